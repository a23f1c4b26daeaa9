/**
 * Per-case golden files for the Talos patches: for each case, the patches a node's user data carries (as CAPP
 * renders them) and the machine configuration they merge into, applied to the fields Talos generates
 * (test/golden/talos/base-*.yaml) with Talos' merge rules (test/support/talos-merge.ts). A reviewer reads
 * `merged.yaml` to see what a node runs with. GOCY_UPDATE_GOLDEN=1 rewrites the files; review the diff.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseAllDocuments, parse, stringify } from "yaml";
import { loadConstellation } from "../../lib/constellation/load";
import type { ClusterSpec } from "../../lib/constellation/model";
import { buildTalosPatches } from "../../lib/builders/talos/patches";
import { PROJECT_ROOT } from "../helpers";
import { renderCappTemplate, talosMerge } from "../support/talos-merge";

const GOLDEN = path.join(PROJECT_ROOT, "test", "golden", "talos");
const UPDATE = process.env.GOCY_UPDATE_GOLDEN === "1";
const PROJECT = "5f2b3c1d-0000-4000-8000-000000000001";
const VARS = { apiKey: "CAPP-API-KEY-PLACEHOLDER", controlPlaneEndpoint: "192.0.2.1" };

const load = (file: string) => loadConstellation(path.join(PROJECT_ROOT, file)).constellation;
const example = load("constellations/jupiter.constellation.yaml");
const arm = load("test/fixtures/good/arm64-workers.constellation.yaml");

interface Case {
  readonly name: string;
  readonly why: string;
  readonly cluster: ClusterSpec;
  /** `control-plane`, or a worker group's key. */
  readonly group: string;
}

const CASES: readonly Case[] = [
  { name: "barycenter-control-plane", why: "the shared settings, the cloud controller and the platform VIP document", cluster: example.barycenter, group: "control-plane" },
  { name: "satellite-worker", why: "a worker: no VIP, no cloud controller, no template variables", cluster: example.satellites[0]!, group: example.satellites[0]!.workers[0]!.key },
  {
    name: "arm64-worker",
    why: "another architecture: its own schematic and install disk",
    cluster: arm.satellites.find((s) => s.workers.some((w) => w.architecture === "arm64")) ?? arm.barycenter,
    group: (arm.satellites.find((s) => s.workers.some((w) => w.architecture === "arm64")) ?? arm.barycenter).workers.find((w) => w.architecture === "arm64")!.key,
  },
  { name: "kubespan-off-worker", why: "kubespan: false drops KubeSpan and discovery from the patch", cluster: { ...example.satellites[0]!, kubespan: false }, group: example.satellites[0]!.workers[0]!.key },
];

function rendered(c: Case): string[] {
  const patches = buildTalosPatches({ cluster: c.cluster, projectId: PROJECT });
  const texts = c.group === "control-plane" ? patches.controlPlane : patches.workers[c.group];
  assert.ok(texts, `${c.name}: no patches for group ${c.group}`);
  return texts.map((t) => renderCappTemplate(t, VARS));
}

function golden(file: string, actual: string): void {
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) assert.fail(`${path.relative(PROJECT_ROOT, file)} is missing; run GOCY_UPDATE_GOLDEN=1 node --import tsx --test ${path.relative(PROJECT_ROOT, __filename)}`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, "utf8"), `${path.relative(PROJECT_ROOT, file)} differs (GOCY_UPDATE_GOLDEN=1 rewrites it; review the diff)`);
}

for (const c of CASES) {
  test(`Talos patches, ${c.name}: ${c.why}; the patches and the merged configuration match their golden files`, () => {
    const texts = rendered(c);
    // Each patch is one YAML document Talos parses on its own.
    const docs = texts.map((t) => {
      const all = parseAllDocuments(t);
      assert.equal(all.length, 1, `${c.name}: a patch must be one document`);
      assert.deepEqual(all[0]!.errors, [], `${c.name}: a patch must parse`);
      return all[0]!.toJS() as unknown;
    });
    golden(path.join(GOLDEN, c.name, "patches.yaml"), `# ${c.name}: ${c.why}\n${texts.join("---\n")}`);
    const base = parse(readFileSync(path.join(GOLDEN, c.group === "control-plane" ? "base-controlplane.yaml" : "base-worker.yaml"), "utf8")) as {
      cluster: { network: { dnsDomain: string; podSubnets: string[]; serviceSubnets: string[] } };
    };
    // What CABPT fills in from the Cluster object (the program sets serviceDomain to <cluster>.local).
    base.cluster.network = { ...base.cluster.network, dnsDomain: `${c.cluster.name}.local`, podSubnets: [...c.cluster.podCidrs], serviceSubnets: [...c.cluster.serviceCidrs] };
    const merged = docs.reduce((acc, d) => talosMerge(acc, d), base);
    golden(path.join(GOLDEN, c.name, "merged.yaml"), stringify(merged, { lineWidth: 0 }));
  });
}

test("the merge model follows Talos: subnets replace (an empty list too), interfaces merge by name, known lists append, false overrides, unknown lists refused", () => {
  assert.deepEqual(talosMerge({ cluster: { network: { podSubnets: ["a"] } } }, { cluster: { network: { podSubnets: [] } } }), { cluster: { network: { podSubnets: [] } } });
  const eth0 = (vlanId: number) => ({ machine: { network: { interfaces: [{ interface: "eth0", vlans: [{ vlanId }] }] } } });
  assert.throws(() => talosMerge(eth0(4), eth0(5)), /no rule for the list at machine\.network\.interfaces\[\]\.vlans/);
  const base = { cluster: { network: { podSubnets: ["10.244.0.0/16"] } }, machine: { install: { grubUseUKICmdline: true, disk: "/dev/sda" }, kubelet: { nodeIP: { validSubnets: ["a"] } }, network: { interfaces: [{ interface: "bond0", mtu: 1500 }] } } };
  const patch = { cluster: { network: { podSubnets: ["172.16.0.0/17"] } }, machine: { install: { grubUseUKICmdline: false, disk: "" }, kubelet: { nodeIP: { validSubnets: ["b"] } }, network: { interfaces: [{ interface: "bond0", vip: { ip: "192.0.2.1" } }, { interface: "eth1" }] } } };
  assert.deepEqual(talosMerge(base, patch), {
    cluster: { network: { podSubnets: ["172.16.0.0/17"] } },
    machine: {
      install: { grubUseUKICmdline: false, disk: "/dev/sda" },
      kubelet: { nodeIP: { validSubnets: ["a", "b"] } },
      network: { interfaces: [{ interface: "bond0", mtu: 1500, vip: { ip: "192.0.2.1" } }, { interface: "eth1" }] },
    },
  });
});
