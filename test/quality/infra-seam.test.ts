/**
 * The infrastructure seam holds: outside the infrastructure folders (lib/infra/, components/infra/), no program file
 * names Equinix, Packet or CPEM, so a second bare-metal target arrives as one folder in each. The contract
 * (lib/infra/target.ts, components/infra/target.ts) and the one place that selects the target
 * (lib/infra/index.ts, components/infra/index.ts) sit in those folders.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../helpers";

/** The platform's names: Equinix (any case), Packet the brand (not "packets" of a network), its CAPI provider CAPP
 * and its cloud controller CPEM. */
const PLATFORM_WORDS = /equinix|\bpacket(?!s\b)|\bcapp\b|cpem/i;
const PROGRAM_ROOTS = ["index.ts", "components", "lib"];
const INFRA_FOLDERS = [path.join("components", "infra"), path.join("lib", "infra")];

function programFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(PROJECT_ROOT, rel);
    if (statSync(abs).isDirectory()) {
      if (INFRA_FOLDERS.includes(rel)) return;
      for (const e of readdirSync(abs).sort()) walk(path.join(rel, e));
    } else if (rel.endsWith(".ts")) out.push(rel);
  };
  for (const r of PROGRAM_ROOTS) walk(r);
  return out;
}

test("outside lib/infra and components/infra, no program file names Equinix, Packet, CAPP or CPEM", () => {
  const files = programFiles();
  assert.ok(files.length > 40, `expected the program's files, found ${files.length}`);
  const hits = files.flatMap((f) =>
    readFileSync(path.join(PROJECT_ROOT, f), "utf8")
      .split("\n")
      .flatMap((line, i) => (PLATFORM_WORDS.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  );
  assert.deepEqual(hits, [], `platform names outside the infrastructure folders:\n${hits.join("\n")}`);
});

test("the scan finds a platform name where one is (it is not vacuous)", () => {
  for (const sample of ["Equinix Metal", "PacketCluster", "cluster-api-provider-packet:", "CPEM v3.8.1", "a packet of", "CAPP finds it"]) assert.match(sample, PLATFORM_WORDS);
  for (const sample of ["Cilium's packets leave by", "MetalLB", "bare metal"]) assert.doesNotMatch(sample, PLATFORM_WORDS);
});

test("only the infrastructure folders import @pulumi/equinix-metal", () => {
  const importers = programFiles().filter((f) => readFileSync(path.join(PROJECT_ROOT, f), "utf8").includes("@pulumi/equinix-metal"));
  assert.deepEqual(importers, []);
});
