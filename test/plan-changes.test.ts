/**
 * The plan's "changes since the last plan" (tools/plan-changes.ts) and its machines summary, on edited
 * constellations: a worker count, an appended satellite, a moved metro.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT, recordExample } from "./helpers";
import { planDocument } from "../tools/plan-json";
import { clusterOf, machineSummary, phaseTable, wrapItems, wrapLine } from "../tools/plan-summary";
import { compareWithLast, renderChanges } from "../tools/plan-changes";
import type { Recording } from "../tools/record/types";
import { loadConstellation } from "../lib/constellation/load";
import type { Constellation } from "../lib/constellation/model";

const IDS = '{"jupiter":1,"ganymede":2,"callisto":3,"europa":4}';

function edited(edit: (text: string) => string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "gocy-changes-")), "jupiter.constellation.yaml");
  writeFileSync(file, edit(readFileSync(path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml"), "utf8")));
  return file;
}

async function changes(edit: (text: string) => string, clusterIds?: Record<string, number>) {
  const before = await recordExample({ overrides: { "gocy:clusterIds": IDS } });
  const after = await recordExample({ overrides: { "gocy:constellation": edited(edit), "gocy:clusterIds": IDS }, ...(clusterIds ? { clusterIds } : {}) });
  assert.equal(after.error, null, after.error ?? "");
  const all = new Map([...before.resources, ...after.resources].map((r) => [r.urn, r]));
  const result = compareWithLast(planDocument(before, "a"), planDocument(after, "b"), (urn) => clusterOf(all.get(urn)!, all), "jupiter");
  return { result, lines: renderChanges(result), after };
}

test("a worker count: exactly that MachineDeployment changes, its replicas named, with what it does to devices", async () => {
  const { result, lines } = await changes((t) => t.replace(/(- name: ganymede[\s\S]*?worker_nodes:\n  - count: )2/, "$13"));
  assert.deepEqual(result.counts, { add: 0, change: 1, replace: 0, delete: 0 });
  assert.deepEqual(lines, [
    "Changes since the last plan: 0 to add, 1 to change, 0 to replace, 0 to delete",
    "  ganymede:",
    "    change ganymede-m3-small-x86 (spec.replicas): changes the group's devices (more, fewer or rolled)",
  ]);
});

test("an appended satellite: its resources to add, the mesh membership of the others to change", async () => {
  const EUROPA = (text: string) => {
    const start = text.indexOf("- name: callisto");
    return text + text.slice(start).replace(/callisto/g, "europa").replace(/metro: fr/, "metro: am").replace(/172\.18\./g, "172.19.");
  };
  const { result, lines } = await changes(EUROPA, { jupiter: 1, ganymede: 2, callisto: 3, europa: 4 });
  assert.equal(result.counts.delete + result.counts.replace, 0);
  assert.ok(result.changes.filter((c) => c.kind === "add").every((c) => c.cluster === "europa" || c.name.startsWith("europa-")), "only europa's resources are added");
  assert.equal(result.counts.add, 39);
  const changed = result.changes.filter((c) => c.kind === "update").map((c) => c.name).sort();
  assert.deepEqual(changed, ["callisto-cilium", "callisto-mesh-verify", "ganymede-cilium", "ganymede-mesh-verify", "jupiter-billing-check", "jupiter-cilium", "jupiter-mesh-verify", "jupiter-whoami-across-mesh"]);
  assert.ok(lines.includes("    change ganymede-cilium (values.clustermesh.config.clusters[2])"), lines.join("\n"));
});

test("a moved metro: the cluster's reservations are replaced, forced by the metro, and the control plane rolls", async () => {
  const { result, lines } = await changes((t) => t.replace(/(- name: callisto\n {2}metro: )fr/, "$1am"));
  assert.deepEqual(result.changes.filter((c) => c.kind === "replace").map((c) => c.name).sort(), ["callisto-control-plane-machines", "callisto-vip-cp", "callisto-vip-mesh"]);
  assert.ok(lines.includes("    replace callisto-vip-cp (metro) [replaced: metro changed]: a new address is reserved and the old one released"), lines.join("\n"));
  assert.ok(lines.includes("    replace callisto-control-plane-machines (metadata.name) [replaced: metadata.name changed]: rolls the control plane onto new devices"), lines.join("\n"));
  assert.ok(result.changes.every((c) => c.cluster === "callisto"), "nothing outside callisto");
});

/** The example's recording and its constellation, as the plan has them. */
async function example(): Promise<{ rec: Recording; c: Constellation }> {
  return { rec: await recordExample(), c: loadConstellation(path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml")).constellation };
}

test("the machines summary: devices by plan and reserved addresses by type, per cluster and in all", async () => {
  const { rec, c } = await example();
  assert.deepEqual(machineSummary(c, rec), `
Machines (every device billed hourly) and reserved addresses (billed while reserved):
  jupiter: 3 devices (3 × m3.small.x86), 3 public IPv4 /32
  ganymede: 3 devices (3 × m3.small.x86), 2 public IPv4 /32
  callisto: 3 devices (3 × m3.small.x86), 2 public IPv4 /32
  the constellation: 1 global anycast IPv4 /32
  in all: 9 devices (9 × m3.small.x86), 7 public IPv4 /32 and 1 global anycast IPv4 /32
`.slice(1, -1).split("\n"));
});

test("the phase table: phases in words, in the order an up reaches them, by barycenter, satellites and shared", async () => {
  const { rec, c } = await example();
  assert.deepEqual(phaseTable(rec, c), `
Resources by phase, in the order a real pulumi up reaches them (154 resources and the stack):
  phase                        jupiter  2 satellites  shared  in all
  groupings (no cloud object)        4             8       3      15
  address reservations               6             8       2      16
  bootstrap kind cluster             2             -       -       2
  Cluster API objects                8            14       -      22
  first control plane up             1             2       -       3
  admin kubeconfig                   1             -       -       1
  Pulumi providers                   2             2       2       6
  CNI and add-ons                   20            48      13      81
  cluster ready                      1             2       -       3
  CAPI state moved                   4             -       -       4
  kind cluster deleted               1             -       -       1
`.slice(1, -1).split("\n"));
});

test("long lists wrap at 100 columns after a separator; long prose at a space, indented past its line", () => {
  const items = Array.from({ length: 9 }, (_, i) => `europa-resource-${i}`);
  assert.deepEqual(wrapItems("  12. ", items, " ∥ ", 6), [
    "  12. europa-resource-0 ∥ europa-resource-1 ∥ europa-resource-2 ∥ europa-resource-3 ∥",
    "      europa-resource-4 ∥ europa-resource-5 ∥ europa-resource-6 ∥ europa-resource-7 ∥",
    "      europa-resource-8",
  ]);
  assert.deepEqual(wrapItems("  1. ", ["x".repeat(120)], " ∥ ", 5), [`  1. ${"x".repeat(120)}`]);
  const words = `  ${"word ".repeat(30).trimEnd()}`;
  assert.deepEqual(wrapLine(words), [`  ${"word ".repeat(19).trimEnd()}`, `      ${"word ".repeat(11).trimEnd()}`]);
  assert.deepEqual(wrapLine("short"), ["short"]);
});
