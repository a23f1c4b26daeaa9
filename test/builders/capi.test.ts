import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import Ajv from "ajv";
import { loadConstellation } from "../../lib/constellation/load";
import { allClusters, type ClusterSpec } from "../../lib/constellation/model";
import { defineCluster, renderManifest } from "../../lib/builders/capi/manifest";
import { ipxeUrl } from "../../lib/infra/equinix-metal/capi";
import { CAPP_API_KEY, CAPP_CONTROL_PLANE_ENDPOINT, toCappTemplate } from "../../lib/infra/equinix-metal/talos";
import type { K8sObject } from "../../lib/builders/capi/api-versions";
import { PROJECT_ROOT, SHARED, requireShared } from "../helpers";
import { formatErrors, talosPatchValidator, validateObject } from "../support/schemas";

const PROJECT = "5f2b3c1d-0000-4000-8000-000000000001";
const example = loadConstellation(path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml")).constellation;
const vipOf = (c: ClusterSpec) => `192.0.2.${allClusters(example).indexOf(c) + 1}`;
const defs = allClusters(example).map((c) => ({ cluster: c, def: defineCluster(c, PROJECT, vipOf(c)) }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads into rendered plain data
const spec = (o: K8sObject) => o.spec as any;
const patchesOf = (def: ReturnType<typeof defineCluster>) => ({
  controlPlane: spec(def.objects.controlPlane).controlPlaneConfig.controlplane.strategicPatches as string[],
  workers: def.objects.workers.map((w) => spec(w.bootstrapTemplate).template.spec.strategicPatches as string[]),
});

function laterFormat() {
  return loadConstellation(path.join(SHARED, "seed", "constellations", "jupiter.later-format.constellation.yaml"), { raiseVersions: true }).constellation;
}

test("every rendered object validates against the upstream CRD of its kind and version, undeclared fields counting as errors", (t) => {
  if (!requireShared(t)) return;
  const all = [...defs.map((d) => d.def), ...allClusters(laterFormat()).map((c) => defineCluster(c, PROJECT, "192.0.2.9"))];
  for (const def of all) for (const o of def.list) assert.equal(validateObject(o), "", `${o.kind} ${o.metadata.name}`);
});

test("the CRD validation is not vacuous: an undeclared field and a wrong enum are refused", (t) => {
  if (!requireShared(t)) return;
  const pc = defs[0]!.def.objects.infraCluster;
  assert.match(validateObject({ ...pc, spec: { ...spec(pc), vipMangaer: "KUBE_VIP" } }), /additional properties \(vipMangaer\)/);
  assert.match(validateObject({ ...pc, spec: { ...spec(pc), vipManager: "KUBEVIP" } }), /allowed values/);
});

/** The path no Talos 1.12 schema declares (docs/architecture.md#talos-on-equinix-metal), its sub-schema from v1alpha1_types.go at v1.12.11
 * (Device.vip line 1778, DeviceVIPConfig 1835–1842, VIPEquinixMetalConfig.apiToken 1847–1849). */
const LEGACY_VIP_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["machine"],
  properties: {
    machine: {
      type: "object",
      additionalProperties: false,
      properties: {
        network: {
          type: "object",
          additionalProperties: false,
          properties: {
            interfaces: {
              type: "array",
              items: {
                type: "object",
                additionalProperties: false,
                required: ["interface", "vip"],
                properties: {
                  interface: { type: "string" },
                  vip: {
                    type: "object",
                    additionalProperties: false,
                    required: ["ip", "equinixMetal"],
                    properties: {
                      ip: { type: "string" },
                      equinixMetal: { type: "object", additionalProperties: false, required: ["apiToken"], properties: { apiToken: { type: "string" } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

test("every Talos patch validates against the Talos 1.12 schema, except exactly the legacy VIP path, which has a sub-schema of its own", (t) => {
  if (!requireShared(t)) return;
  const talos = talosPatchValidator("v1.12.11");
  const legacy = new Ajv({ allErrors: true }).compile(LEGACY_VIP_SCHEMA);
  let legacyDocs = 0;
  for (const { cluster, def } of defs) {
    const p = patchesOf(def);
    for (const text of [...p.controlPlane, ...p.workers.flat()]) {
      const doc = parse(text) as any;
      if (doc.machine?.network?.interfaces !== undefined) {
        legacyDocs++;
        const [legacyOk, talosOk]: boolean[] = [legacy(doc), talos(doc)];
        assert.ok(legacyOk, `${cluster.name}: ${formatErrors(legacy.errors)}`);
        assert.equal(talosOk, false, "the legacy path really is absent from the 1.12 schema");
        assert.deepEqual(Object.keys(doc), ["machine"]);
        assert.deepEqual(Object.keys(doc.machine), ["network"]);
        assert.deepEqual(Object.keys(doc.machine.network), ["interfaces"], "the VIP document holds nothing but the legacy path");
      } else {
        assert.ok(talos(doc), `${cluster.name}: ${formatErrors(talos.errors)}`);
      }
    }
  }
  assert.equal(legacyDocs, defs.length, "one VIP document per cluster, on the control plane only");
  assert.equal(talos({ machine: { instal: { disk: "/dev/sda" } } }), false, "the Talos validation is not vacuous");
});

test("the cp VIP is the PacketCluster endpoint, and the Talos VIP takes CAPP's {{ .controlPlaneEndpoint }}", () => {
  for (const { cluster, def } of defs) {
    assert.deepEqual(spec(def.objects.infraCluster).controlPlaneEndpoint, { host: vipOf(cluster), port: 6443 });
    assert.equal(spec(def.objects.infraCluster).vipManager, "KUBE_VIP");
    assert.equal(spec(def.objects.infraCluster).metro, cluster.metro);
    const vipDoc = parse(patchesOf(def).controlPlane[1]!) as any;
    assert.deepEqual(vipDoc.machine.network.interfaces, [{ interface: "bond0", vip: { ip: CAPP_CONTROL_PLANE_ENDPOINT, equinixMetal: { apiToken: CAPP_API_KEY } } }]);
  }
});

test("subnets, dnsDomain, replicas and plans match the constellation; every configuration installs to a disk and states its talosVersion", () => {
  for (const { cluster, def } of defs) {
    const net = spec(def.objects.cluster).clusterNetwork;
    assert.deepEqual(net, { pods: { cidrBlocks: cluster.podCidrs }, services: { cidrBlocks: cluster.serviceCidrs }, serviceDomain: `${cluster.name}.local` });
    assert.equal(spec(def.objects.controlPlane).replicas, cluster.controlPlane.count);
    assert.equal(spec(def.objects.controlPlane).version, cluster.versions.kubernetes);
    assert.equal(spec(def.objects.controlPlane).controlPlaneConfig.controlplane.talosVersion, "v1.12");
    assert.equal(spec(def.objects.controlPlaneMachineTemplate).template.spec.machineType, cluster.controlPlane.plan);
    def.objects.workers.forEach((w, i) => {
      assert.equal(spec(w.machineDeployment).replicas, cluster.workers[i]!.count);
      assert.equal(spec(w.machineTemplate).template.spec.machineType, cluster.workers[i]!.plan);
      assert.equal(spec(w.bootstrapTemplate).template.spec.talosVersion, "v1.12");
      assert.equal(spec(w.bootstrapTemplate).template.spec.generateType, "worker");
    });
    const p = patchesOf(def);
    for (const text of [p.controlPlane[0]!, ...p.workers.map((w) => w[0]!)]) {
      const doc = parse(text) as any;
      assert.equal(doc.machine.install.disk, "/dev/sda");
      assert.equal(doc.machine.install.grubUseUKICmdline, false);
      assert.deepEqual(doc.cluster.network, { cni: { name: "none" }, dnsDomain: `${cluster.name}.local`, podSubnets: cluster.podCidrs, serviceSubnets: cluster.serviceCidrs });
      assert.deepEqual(doc.cluster.proxy, { disabled: true });
      assert.deepEqual(doc.cluster.externalCloudProvider, { enabled: true });
      assert.deepEqual(doc.machine.network.kubespan, { enabled: true });
      assert.deepEqual(doc.cluster.discovery, { enabled: true });
    }
  }
});

test("the iPXE URL is exactly Image Factory's for the schematic, full Talos version and architecture; billing is hourly", () => {
  const { def } = defs[1]!;
  const tpl = spec(def.objects.workers[0]!.machineTemplate).template.spec;
  assert.deepEqual(tpl, {
    os: "custom_ipxe",
    // The program's equinixMetal schematic (lib/builders/talos/schematic.ts), not the empty one.
    ipxeURL: "https://pxe.factory.talos.dev/pxe/a6ef1cf923b0b123f88968fb611f4b4d5e53dd8f77be11ba010a38c4bab7f505/v1.12.11/equinixMetal-amd64",
    billingCycle: "hourly",
    machineType: "m3.small.x86",
  });
  assert.equal(ipxeUrl("abc", "v1.12.11", "arm64"), "https://pxe.factory.talos.dev/pxe/abc/v1.12.11/equinixMetal-arm64");
});

test("names: <cluster>-control-plane, <cluster>-<group>, <cluster>-<group|control-plane>-<hash8>", () => {
  for (const { cluster, def } of defs) {
    const n = cluster.name;
    assert.equal(def.objects.cluster.metadata.name, n);
    assert.equal(def.objects.controlPlane.metadata.name, `${n}-control-plane`);
    assert.match(def.objects.controlPlaneMachineTemplate.metadata.name, new RegExp(`^${n}-control-plane-[0-9a-f]{8}$`));
    for (const w of def.objects.workers) {
      assert.equal(w.machineDeployment.metadata.name, `${n}-${w.group.key}`);
      assert.match(w.machineTemplate.metadata.name, new RegExp(`^${n}-${w.group.key}-[0-9a-f]{8}$`));
      assert.match(w.bootstrapTemplate.metadata.name, new RegExp(`^${n}-${w.group.key}-[0-9a-f]{8}$`));
      assert.equal(spec(w.machineDeployment).template.spec.infrastructureRef.name, w.machineTemplate.metadata.name);
      assert.equal(spec(w.machineDeployment).template.spec.bootstrap.configRef.name, w.bootstrapTemplate.metadata.name);
    }
    for (const o of def.list) assert.equal(o.metadata.namespace, "default", `${o.kind} has an explicit namespace`);
  }
});

test("no object carries an await; every object carries the background propagation policy; the Cluster skips await", () => {
  for (const { def } of defs) {
    for (const o of def.list) {
      const a = o.metadata.annotations ?? {};
      assert.equal(a["pulumi.com/waitFor"], undefined);
      assert.equal(a["pulumi.com/deletionPropagationPolicy"], "background", `${o.kind}`);
    }
    assert.equal(def.objects.cluster.metadata.annotations?.["pulumi.com/skipAwait"], "true");
  }
});

test("the token and the VIP come only from CAPP's variables: workers hold no {{ at all, the control plane nothing else", () => {
  for (const { cluster, def } of defs) {
    const p = patchesOf(def);
    for (const w of p.workers.flat()) assert.ok(!w.includes("{{"), "worker configuration holds no template");
    const cp = p.controlPlane.join("\n");
    const actions = cp.match(/\{\{[^}]*\}\}/g) ?? [];
    assert.ok(actions.length >= 3);
    for (const a of actions) assert.ok([CAPP_API_KEY, CAPP_CONTROL_PLANE_ENDPOINT].includes(a), `unexpected template action ${a}`);
    assert.match(cp, /"apiKey":"\{\{ \.apiKey \}\}"/, "CPEM's secret takes the token from CAPP");
    assert.ok(cp.includes(`"projectID":"${PROJECT}","metro":"${cluster.metro}","eipTag":""`), "CPEM's config: project, metro, no EIP tag");
    assert.match(cp, /kind: Secret[\s\S]*stringData:/);
    assert.doesNotMatch(cp, /loadbalancer/);
  }
});

test("every other literal {{ is escaped for Go's text/template", () => {
  assert.equal(toCappTemplate("a {{ b }} c"), "a {{ `{{` }} b }} c");
  assert.equal(toCappTemplate("no braces"), "no braces");
});

test("the later-format file yields one MachineDeployment per worker group", (t) => {
  if (!requireShared(t)) return;
  const c = laterFormat();
  const def = defineCluster(c.satellites[0]!, PROJECT, "192.0.2.2");
  assert.deepEqual(def.objects.workers.map((w) => w.machineDeployment.metadata.name), ["ganymede-m3-large-x86", "ganymede-c3-medium-x86"]);
  assert.equal(spec(def.objects.controlPlane).replicas, 3);
});

test("changing a worker group's plan changes its template's name and the reference to it, and nothing else's", () => {
  const base = defs[1]!;
  const changed = { ...base.cluster, workers: [{ ...base.cluster.workers[0]!, plan: "c3.small.x86" }] };
  const def = defineCluster(changed, PROJECT, vipOf(base.cluster));
  const [before, after] = [base.def.objects.workers[0]!, def.objects.workers[0]!];
  assert.notEqual(after.machineTemplate.metadata.name, before.machineTemplate.metadata.name);
  assert.equal(spec(after.machineDeployment).template.spec.infrastructureRef.name, after.machineTemplate.metadata.name);
  assert.equal(after.machineDeployment.metadata.name, before.machineDeployment.metadata.name, "the MachineDeployment keeps its name");
  assert.equal(after.bootstrapTemplate.metadata.name, before.bootstrapTemplate.metadata.name);
  assert.equal(def.objects.controlPlaneMachineTemplate.metadata.name, base.def.objects.controlPlaneMachineTemplate.metadata.name);
});

test("changing the control-plane machine configuration renames the control-plane template (a rollout)", () => {
  const base = defs[0]!;
  const def = defineCluster({ ...base.cluster, kubespan: false }, PROJECT, vipOf(base.cluster));
  assert.notEqual(def.objects.controlPlaneMachineTemplate.metadata.name, base.def.objects.controlPlaneMachineTemplate.metadata.name);
  assert.equal(def.objects.controlPlane.metadata.name, base.def.objects.controlPlane.metadata.name);
});

test("every node installs the installer of the schematic it booted: the program's, or the cluster's own", () => {
  const c = { ...defs[1]!.cluster, schematic: "a".repeat(64) };
  const doc = parse(patchesOf(defineCluster(c, PROJECT, "192.0.2.2")).workers[0]![0]!) as any;
  assert.equal(doc.machine.install.image, `factory.talos.dev/installer/${"a".repeat(64)}:v1.12.11`);
  assert.equal(
    (parse(patchesOf(defs[1]!.def).workers[0]![0]!) as any).machine.install.image,
    "factory.talos.dev/installer/a6ef1cf923b0b123f88968fb611f4b4d5e53dd8f77be11ba010a38c4bab7f505:v1.12.11",
  );
});

test("jupiter's rendered manifests match their golden files (GOCY_UPDATE_GOLDEN=1 rewrites them)", () => {
  for (const { cluster, def } of defs) {
    const file = path.join(PROJECT_ROOT, "test", "golden", "jupiter", `${cluster.name}.cluster-manifest.yaml`);
    const text = renderManifest(def.list);
    if (process.env.GOCY_UPDATE_GOLDEN === "1" || !existsSync(file)) {
      if (process.env.GOCY_UPDATE_GOLDEN !== "1") assert.fail(`missing golden file ${file}: run with GOCY_UPDATE_GOLDEN=1`);
      writeFileSync(file, text);
    }
    assert.equal(text, readFileSync(file, "utf8"));
  }
});
