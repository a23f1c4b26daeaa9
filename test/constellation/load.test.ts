import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { loadConstellation, parseConstellation } from "../../lib/constellation/load";
import { InputError } from "../../lib/constellation/problems";
import { allClusters } from "../../lib/constellation/model";
import { PROJECT_ROOT, SHARED, requireShared } from "../helpers";

const BAD = "test/fixtures/bad";
const example = path.join("constellations", "jupiter.constellation.yaml");

function problemsOf(file: string): string {
  try {
    loadConstellation(file);
  } catch (err) {
    assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
    return err.message;
  }
  assert.fail(`${file} loaded, but it should have been refused`);
}

process.chdir(PROJECT_ROOT);

test("the example constellation loads with the design's version set", () => {
  const { constellation: c, warnings, raised } = loadConstellation(example);
  assert.equal(c.name, "jupiter");
  assert.deepEqual(warnings, []);
  assert.deepEqual(raised, []);
  assert.deepEqual(
    allClusters(c).map((x) => [x.name, x.role, x.metro, x.podCidrs[0], x.serviceCidrs[0], x.controlPlane.count, x.workers.map((w) => `${w.key}:${w.count}`)]),
    [
      ["jupiter", "barycenter", "pa", "172.16.0.0/17", "172.16.128.0/17", 1, ["m3-small-x86:2"]],
      ["ganymede", "satellite", "md", "172.17.0.0/17", "172.17.128.0/17", 1, ["m3-small-x86:2"]],
      ["callisto", "satellite", "fr", "172.18.0.0/17", "172.18.128.0/17", 1, ["m3-small-x86:2"]],
    ],
  );
  assert.deepEqual(c.versions, { capi: "v1.10.10", cabpt: "v0.6.12", cacppt: "v0.5.12", infrastructure: "v0.9.0" });
  assert.deepEqual(c.barycenter.versions, { cloudController: "v3.8.1", talos: "v1.12.11", kubernetes: "v1.33.7" });
  assert.deepEqual(c.barycenter.vips, { cp: "public_ipv4", ingress: "public_ipv4", mesh: "public_ipv4" });
  assert.deepEqual(c.satellites[0]!.vips, { cp: "public_ipv4", ingress: "global_ipv4", mesh: "public_ipv4" });
  assert.equal(c.ingress, "cilium");
});

test("the original's files load unchanged but are refused below the minimums without --raise-versions", (t) => {
  if (!requireShared(t)) return;
  for (const f of ["jupiter.constellation.yaml", "demo.v0.1.constellation.yaml", "jupiter.later-format.constellation.yaml"]) {
    const file = path.join(SHARED, "seed", "constellations", f);
    const text = problemsOf(file);
    assert.match(text, /capi: expected v1\.10\.0 or newer .* got "v1\.4\.\d"; --raise-versions \(gocy:raiseVersions\) lifts it to v1\.10\.10/);
    const { constellation, raised } = loadConstellation(file, { raiseVersions: true });
    assert.ok(raised.length >= 7, `${f}: raised ${raised.length}`);
    assert.equal(constellation.versions.capi, "v1.10.10");
    for (const c of allClusters(constellation)) assert.equal(c.versions.cloudController, "v3.8.1");
  }
});

test("the later format keeps several worker groups, per-cluster versions and a constellation name of its own", (t) => {
  if (!requireShared(t)) return;
  const file = path.join(SHARED, "seed", "constellations", "jupiter.later-format.constellation.yaml");
  const { constellation: c, raised } = loadConstellation(file, { raiseVersions: true });
  assert.equal(c.name, "jupiter");
  assert.equal(c.barycenter.name, "europa");
  assert.equal(c.barycenter.domainPrefix, "test");
  assert.deepEqual(c.satellites[0]!.workers.map((w) => [w.key, w.count, w.plan]), [
    ["m3-large-x86", 3, "m3.large.x86"],
    ["c3-medium-x86", 1, "c3.medium.x86"],
  ]);
  assert.deepEqual(
    raised.filter((r) => r.path.startsWith("bary.")).map((r) => `${r.path} ${r.from}→${r.to}`),
    ["bary.cpem v3.6.2→v3.8.1", "bary.talos v1.4→v1.12.11", "bary.kubernetes v1.27.1→v1.33.7"],
  );
  assert.equal(c.barycenter.controlPlane.count, 3);
});

/** Every bad fixture with its full report. Paths are relative to the project root, as a user would type them. */
const EXPECTED: Record<string, string> = {
  "bad-name": `${BAD}/bad-name.constellation.yaml:59:9  satellites[1].name: expected a DNS-1123 label of at most 32 characters (lower-case letters, digits and '-'; Cilium's cluster.name limit), got "Callisto_1"`,
  "bary-ingress-global": `${BAD}/bary-ingress-global.constellation.yaml:23:14  bary.vips[1].vipType: expected "public_ipv4" (the barycenter's ingress is a public address in its metro), got "global_ipv4"`,
  "capi-beyond-line": `${BAD}/capi-beyond-line.constellation.yaml:3:7  capi: expected a v1.10.x release (clusterctl v1.10 is required: CABPT and CACPPT build on CAPI v1.10, and clusterctl v1.11+ refuses v1beta1 management clusters), got "v1.11.2"`,
  "cidr-host-bits": `${BAD}/cidr-host-bits.constellation.yaml:65:5  satellites[1].pod_cidr_blocks[0]: expected an IPv4 CIDR with no host bits set, like "172.16.0.0/17", got "172.18.0.1/17"`,
  "cidr-prefix": `${BAD}/cidr-prefix.constellation.yaml:40:5  satellites[0].pod_cidr_blocks[0]: expected an IPv4 CIDR with no host bits set, like "172.16.0.0/17", got "172.17.0.0/33"`,
  "cluster-id-zero": `${BAD}/cluster-id-zero.constellation.yaml:36:15  satellites[0].cluster_id: expected a whole number from 1 to 255 (Cluster Mesh refuses 0), got 0`,
  "duplicate-name": `${BAD}/duplicate-name.constellation.yaml:59:9  satellites[1].name: expected a unique cluster name, got "ganymede", already used at satellites[0].name`,
  "duplicate-pins": `${BAD}/duplicate-pins.constellation.yaml:62:15  satellites[1].cluster_id: expected a cluster ID no other cluster has, got 7, already pinned at satellites[0].cluster_id`,
  empty: `${BAD}/empty.constellation.yaml  expected a constellation (a YAML mapping with name, bary and satellites), got an empty file`,
  "even-control-plane": `${BAD}/even-control-plane.constellation.yaml:54:12  satellites[0].control_nodes[0].count: expected an odd number of control-plane nodes (etcd needs a majority to keep quorum), got 2`,
  "fractional-count": `${BAD}/fractional-count.constellation.yaml:57:12  satellites[0].worker_nodes[0].count: expected a whole number, got 1.5`,
  "long-name": `${BAD}/long-name.constellation.yaml:59:9  satellites[1].name: expected a DNS-1123 label of at most 32 characters (lower-case letters, digits and '-'; Cilium's cluster.name limit), got "callisto-with-a-name-far-too-long"`,
  "missing-fields": [
    `${BAD}/missing-fields.constellation.yaml:8:3  bary.control_nodes: expected a list, got nothing`,
    `${BAD}/missing-fields.constellation.yaml:8:3  bary.cpem: expected a string, got nothing`,
    `${BAD}/missing-fields.constellation.yaml:8:3  bary.pod_cidr_blocks: expected a list, got nothing`,
    `${BAD}/missing-fields.constellation.yaml:8:3  bary.service_cidr_blocks: expected a list, got nothing`,
    `${BAD}/missing-fields.constellation.yaml:8:3  bary.vips: expected a list, got nothing`,
    `${BAD}/missing-fields.constellation.yaml:8:3  bary.worker_nodes: expected a list, got nothing`,
  ].join("\n"),
  "negative-count": `${BAD}/negative-count.constellation.yaml:31:12  bary.worker_nodes[0].count: expected a non-negative whole number, got -1`,
  "no-workers": `${BAD}/no-workers.constellation.yaml:82:3  satellites[1].worker_nodes: expected at least one worker node, got none (Talos taints control-plane nodes and excludes them from external load balancers, so nothing could schedule and MetalLB would announce nothing)`,
  "not-a-mapping": `${BAD}/not-a-mapping.constellation.yaml:1:1  expected a YAML mapping with name, bary and satellites, got a list`,
  "not-yaml": [
    `${BAD}/not-yaml.constellation.yaml:2:8  expected YAML, got a syntax error: Implicit keys of flow sequence pairs need to be on a single line`,
    `${BAD}/not-yaml.constellation.yaml:4:1  expected YAML, got a syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`,
  ].join("\n"),
  "overlap-across": `${BAD}/overlap-across.constellation.yaml:65:5  satellites[1].pod_cidr_blocks[0]: expected CIDRs that overlap no other block in the constellation, got "172.17.0.0/16" of callisto, which overlaps "172.17.0.0/17" of ganymede at satellites[0].pod_cidr_blocks[0] (Cluster Mesh routes pod CIDRs between clusters)`,
  "overlap-within": `${BAD}/overlap-within.constellation.yaml:16:5  bary.service_cidr_blocks[0]: expected CIDRs that overlap no other block in the constellation, got "172.16.64.0/18" of jupiter, which overlaps "172.16.0.0/17" of jupiter at bary.pod_cidr_blocks[0] (Cluster Mesh routes pod CIDRs between clusters)`,
  "repeated-plan-unnamed": `${BAD}/repeated-plan-unnamed.constellation.yaml:60:11  satellites[0].worker_nodes[1].plan: expected a name on each group whose plan repeats, got a second unnamed group of plan "m3.small.x86" (the first is worker_nodes[0]); names keep a group's MachineDeployment when another is added`,
  "satellite-ingress-public": `${BAD}/satellite-ingress-public.constellation.yaml:74:14  satellites[1].vips[1].vipType: expected "global_ipv4" (satellites share one Global Anycast address as their ingress), got "public_ipv4"`,
  "talos-minor-only": `${BAD}/talos-minor-only.constellation.yaml:37:10  satellites[0].talos: expected a full patch version like "v1.12.11", got "v1.12"`,
  "two-control-groups": `${BAD}/two-control-groups.constellation.yaml:28:3  bary.control_nodes: expected exactly one group (a Talos control plane has one machine template), got 2`,
  "unknown-keys": [
    // A misspelt key is both unknown and leaves the real one missing: both are said.
    `${BAD}/unknown-keys.constellation.yaml:8:3  bary.pod_cidr_blocks: expected a list, got nothing`,
    `${BAD}/unknown-keys.constellation.yaml:13:3  bary.pod_cidr_block: unknown key (did you mean "pod_cidr_blocks"?); expected one of "name", "metro", "cpem", "pod_cidr_blocks", "service_cidr_blocks", "vips", "control_nodes", "worker_nodes", "talos", "kubernetes", "domain_prefix", "cluster_id", "kubespan", "firewall", "install_disk", "schematic"`,
    `${BAD}/unknown-keys.constellation.yaml:33:1  satelites: unknown key (did you mean "satellites"?); expected one of "name", "version", "capi", "cabpt", "cacppt", "capp", "bary", "satellites", "ingress", "unlisted"`,
  ].join("\n"),
  "unknown-nested-keys": [
    `${BAD}/unknown-nested-keys.constellation.yaml:30:5  bary.control_nodes[0].disk: unknown key; expected one of "count", "plan", "name", "install_disk"`,
    `${BAD}/unknown-nested-keys.constellation.yaml:48:5  satellites[0].vips[1].vipType: expected "public_ipv4" or "global_ipv4", got nothing`,
    `${BAD}/unknown-nested-keys.constellation.yaml:50:5  satellites[0].vips[1].vip_type: unknown key (did you mean "vipType"?); expected one of "role", "count", "vipType"`,
  ].join("\n"),
  "unknown-plan-no-disk": `${BAD}/unknown-plan-no-disk.constellation.yaml:83:11  satellites[1].worker_nodes[0].plan: expected a plan with a known install disk (c3.small.x86, c3.medium.x86, m3.small.x86, m3.large.x86, n3.xlarge.x86, c3.large.arm64) or an install_disk on the group or cluster, got "g2.large.x86"; Talos on Equinix Metal refuses to install without a disk`,
  "versions-below-minimum": [
    `${BAD}/versions-below-minimum.constellation.yaml:3:7  capi: expected v1.10.0 or newer (clusterctl v1.10 is required: CABPT and CACPPT build on CAPI v1.10, and clusterctl v1.11+ refuses v1beta1 management clusters), got "v1.9.5"; --raise-versions (gocy:raiseVersions) lifts it to v1.10.10`,
    `${BAD}/versions-below-minimum.constellation.yaml:11:10  bary.talos: expected v1.7.0 or newer (Talos >= v1.7 adds the routes to the Equinix Metal BGP peers from metadata and boots from Image Factory URLs; CACPPT v0.5.12 supports Talos up to v1.12), got "v1.6.7"; --raise-versions (gocy:raiseVersions) lifts it to v1.12.11`,
  ].join("\n"),
  "vip-count-two": `${BAD}/vip-count-two.constellation.yaml:19:12  bary.vips[0].count: expected 1 (one address per role), got 2`,
  "vip-duplicate-role": [
    `${BAD}/vip-duplicate-role.constellation.yaml:18:3  bary.vips: expected a VIP with role "mesh", got none`,
    `${BAD}/vip-duplicate-role.constellation.yaml:24:11  bary.vips[2].role: expected one VIP of each role, got a second "cp" (the first is at bary.vips[0])`,
  ].join("\n"),
  "vip-missing-role": `${BAD}/vip-missing-role.constellation.yaml:44:3  satellites[0].vips: expected a VIP with role "mesh", got none`,
  "wrong-types": [
    `${BAD}/wrong-types.constellation.yaml:35:10  satellites[0].metro: expected a string, got 5`,
    `${BAD}/wrong-types.constellation.yaml:64:20  satellites[1].pod_cidr_blocks: expected a list, got "172.18.0.0/17"`,
  ].join("\n"),
};

test("every bad fixture has its expected report, and every expected report has its fixture", () => {
  const fixtures = readdirSync(BAD).map((f) => f.replace(/\.constellation\.yaml$/, "")).sort();
  assert.deepEqual(fixtures, Object.keys(EXPECTED).sort());
  assert.ok(fixtures.length >= 20, `only ${fixtures.length} bad fixtures`);
});

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`refuses ${name} with every problem, one line each`, () => {
    assert.equal(problemsOf(`${BAD}/${name}.constellation.yaml`), expected);
  });
}

test("a missing constellation file is one line naming the file and that it does not exist", () => {
  assert.equal(problemsOf("constellations/nope.constellation.yaml"), "constellations/nope.constellation.yaml  expected a constellation file, but this one does not exist");
});

test("255 clusters load; 256 are refused at the satellites list, naming the Cilium ID range", () => {
  const cluster = (i: number) => ({
    name: `c${i}`,
    metro: "pa",
    cpem: "v3.8.1",
    pod_cidr_blocks: [`10.${i >> 6}.${(i & 63) * 4}.0/23`],
    service_cidr_blocks: [`10.${i >> 6}.${(i & 63) * 4 + 2}.0/23`],
    vips: [
      { role: "cp", count: 1, vipType: "public_ipv4" },
      { role: "ingress", count: 1, vipType: i === 0 ? "public_ipv4" : "global_ipv4" },
      { role: "mesh", count: 1, vipType: "public_ipv4" },
    ],
    control_nodes: [{ count: 1, plan: "m3.small.x86" }],
    worker_nodes: [{ count: 1, plan: "m3.small.x86" }],
  });
  const doc = (n: number) =>
    stringify({ name: "big", version: "0.1.0", capi: "v1.10.10", cabpt: "v0.6.12", cacppt: "v0.5.12", capp: "v0.9.0", bary: cluster(0), satellites: Array.from({ length: n - 1 }, (_, i) => cluster(i + 1)) });
  assert.equal(parseConstellation("big.yaml", doc(255)).constellation.satellites.length, 254);
  assert.throws(() => parseConstellation("big.yaml", doc(256)), (err: Error) => {
    assert.equal(err.message, "big.yaml:32:3  satellites: expected at most 255 clusters in a constellation (Cilium cluster IDs run 1..255), got 256");
    return true;
  });
});

test("raising versions says what it raised, field by field", () => {
  const text = loadConstellationText().replace("capi: v1.10.10", "capi: v1.4.2").replace("  talos: v1.12.11", "  talos: v1.4");
  const { raised, constellation } = parseConstellation("x.yaml", text, { raiseVersions: true });
  assert.deepEqual(raised, [
    { path: "capi", line: 6, col: 7, field: "capi", from: "v1.4.2", to: "v1.10.10" },
    { path: "bary.talos", line: 14, col: 10, field: "talos", from: "v1.4", to: "v1.12.11" },
  ]);
  assert.equal(constellation.barycenter.versions.talos, "v1.12.11");
});

test("a version above a published support matrix is a warning, not a refusal", () => {
  const text = loadConstellationText().replace("  kubernetes: v1.33.7", "  kubernetes: v1.34.2");
  const { warnings } = parseConstellation("x.yaml", text);
  assert.deepEqual(warnings, [
    'x.yaml:15:15  bary.kubernetes: "v1.34.2" is newer than the published support matrix (up to v1.33.x: Talos v1.12 runs Kubernetes v1.30 to v1.35 (talos112 compatibility), and CAPI v1.10 manages clusters up to v1.33); it may work, untested here',
  ]);
});

function loadConstellationText(): string {
  return require("node:fs").readFileSync(example, "utf8") as string;
}

test("refuses a Kubernetes release the cluster's Talos does not run, even a defaulted one", () => {
  const text = loadConstellationText().replace("  talos: v1.12.11", "  talos: v1.8.3");
  assert.throws(() => parseConstellation("x.yaml", text), (err: Error) => {
    assert.equal(err.message, 'x.yaml:15:15  bary.kubernetes: expected Kubernetes v1.26.x to v1.31.x, the releases Talos v1.8.3 runs, got "v1.33.7"');
    return true;
  });
});

test("an unclosed quote is one error at the line where it opens; a tab one error at its line", () => {
  const text = loadConstellationText();
  const lines = (t: string) => {
    try {
      parseConstellation("x.yaml", t);
      return "";
    } catch (err) {
      return (err as Error).message;
    }
  };
  assert.equal(lines(text.replace(/^name: jupiter$/m, 'name: "jupiter')), 'x.yaml:4:7  expected YAML, got a syntax error: a double quote opens here and is never closed');
  assert.equal(lines(text.replace(/^ {2}metro: md$/m, "  metro: 'md")), "x.yaml:38:10  expected YAML, got a syntax error: a single quote opens here and is never closed");
  assert.equal(lines(text.replace(/^version: 0\.1\.0$/m, "\tversion: 0.1.0")), "x.yaml:5:1  expected YAML, got a syntax error: Tabs are not allowed as indentation");
});
