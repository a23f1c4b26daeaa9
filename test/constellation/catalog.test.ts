import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseConstellation } from "../../lib/constellation/load";
import { rawClusters } from "../../lib/constellation/invariants";
import { checkMetro, checkPlan, METROS, PLANS } from "../../lib/infra/equinix-metal/catalog";
import { PROJECT_ROOT } from "../helpers";

process.chdir(PROJECT_ROOT);

const example = readFileSync(path.join("constellations", "jupiter.constellation.yaml"), "utf8");

const METRO_LIST = "am, at, ch, da, dc, fr, he, hk, la, ld, ma, md, me, mt, ny, os, pa, se, sg, sk, sl, sp, sv, sy, tr, ty";
const PLAN_LIST =
  "a3.large.x86, c2.large.arm, c2.medium.x86, c3.large.arm64, c3.medium.x86, c3.small.x86, f3.large.x86, f3.medium.x86, g2.large.x86, " +
  "m2.xlarge.x86, m3.large.x86, m3.small.x86, n2.xlarge.x86, n3.xlarge.x86, s3.xlarge.x86, t3.small.x86, x2.xlarge.x86, x3.xlarge.x86";

function refusal(text: string): string {
  try {
    parseConstellation("x.yaml", text);
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail("expected the constellation to be refused");
}

test("the lists hold 26 metros and 18 plans, each code once", () => {
  assert.equal(Object.keys(METROS).join(", "), METRO_LIST);
  assert.equal(PLANS.join(", "), PLAN_LIST);
  assert.equal(new Set(PLANS).size, PLANS.length);
});

test("an unknown metro is refused at its line and column, with the metro it most likely meant", () => {
  const text = example.replace(/^ {2}metro: md$/m, "  metro: pq");
  assert.equal(
    refusal(text),
    `x.yaml:38:10  satellites[0].metro: expected an Equinix Metal metro code (${METRO_LIST}), got "pq" (did you mean "pa"?); a code Equinix Metal accepts that this list lacks goes under unlisted.metros`,
  );
});

test("an unknown plan is refused once, though its install disk is unknown too", () => {
  const text = example.replace(/^( {2}worker_nodes:\n {2}- count: 2\n {4}plan: )m3\.small\.x86$/m, "$1m3.smal.x86");
  assert.equal(
    refusal(text),
    `x.yaml:35:11  bary.worker_nodes[0].plan: expected an Equinix Metal device plan (${PLAN_LIST}), got "m3.smal.x86" (did you mean "m3.small.x86"?); a code Equinix Metal accepts that this list lacks goes under unlisted.plans`,
  );
});

test("nothing is suggested when no listed code is near, and an upper-case code is pointed to its lower-case form", () => {
  assert.deepEqual(checkMetro("zz"), { expected: `an Equinix Metal metro code (${METRO_LIST})`, suggestion: undefined });
  assert.equal(checkMetro("PA")?.suggestion, "pa");
  assert.equal(checkPlan("q9.enormous.x86")?.suggestion, undefined);
  assert.equal(checkMetro("pa"), null);
  assert.equal(checkPlan("c3.large.arm64"), null);
});

test("unlisted metros and plans are accepted as written, and only those", () => {
  const text =
    example.replace(/^ {2}metro: md$/m, "  metro: mb").replace(/^( {2}worker_nodes:\n {2}- count: 2\n {4}plan: )m3\.small\.x86$/m, "$1m4.huge.x86\n    install_disk: /dev/nvme0n1") +
    "unlisted:\n  metros: [mb]\n  plans: [m4.huge.x86]\n";
  const { constellation } = parseConstellation("x.yaml", text);
  assert.equal(constellation.satellites[0]!.metro, "mb");
  assert.equal(constellation.barycenter.workers[0]!.plan, "m4.huge.x86");
  assert.equal(
    refusal(text.replace(/^ {2}metro: fr$/m, "  metro: xq")),
    `x.yaml:64:10  satellites[1].metro: expected an Equinix Metal metro code (${METRO_LIST}), got "xq"; a code Equinix Metal accepts that this list lacks goes under unlisted.metros`,
  );
});

test("a misspelt key under unlisted is named with the keys it takes", () => {
  assert.equal(refusal(example + "unlisted:\n  metro: [mb]\n"), 'x.yaml:88:3  unlisted.metro: unknown key (did you mean "metros"?); expected one of "metros", "plans"');
});

test("every metro and plan of the example and the good fixtures is on the lists", () => {
  const files = [path.join("constellations", "jupiter.constellation.yaml"), ...readdirSync("test/fixtures/good").map((f) => path.join("test/fixtures/good", f))];
  const seen = new Set<string>();
  for (const file of files) {
    for (const { cluster } of rawClusters(parse(readFileSync(file, "utf8")))) {
      assert.equal(checkMetro(cluster.metro as string), null, `${file}: ${String(cluster.metro)}`);
      seen.add(cluster.metro as string);
      for (const g of [...(cluster.control_nodes as { plan: string }[]), ...(cluster.worker_nodes as { plan: string }[])]) {
        assert.equal(checkPlan(g.plan), null, `${file}: ${g.plan}`);
        seen.add(g.plan);
      }
    }
  }
  assert.deepEqual([...seen].sort(), ["c3.large.arm64", "fr", "m3.small.x86", "md", "pa"]);
});
