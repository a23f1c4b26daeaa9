import { test } from "node:test";
import assert from "node:assert/strict";
import { SENTINELS, byName, recordExample, requireShared } from "../helpers";
import { closure } from "../support/graph";
import { chartSchema, validateObject, validateValues } from "../support/schemas";
import { redact } from "../../tools/plan-json";
import { FIREWALL_RULES, hostFirewallPolicy, metadataDenyPolicy } from "../../lib/builders/network/policies";
import { EQUINIX_METADATA_CIDRS } from "../../lib/infra/equinix-metal/network";
import type { Recording } from "../../tools/record/types";

const CLUSTERS = ["jupiter", "ganymede", "callisto"];
let base: Promise<Recording> | undefined;
const baseRun = () => (base ??= recordExample());
let withFirewall: Promise<Recording> | undefined;
const firewallRun = () => {
  if (!withFirewall) {
    const fs = require("node:fs") as typeof import("node:fs");
    const path = require("node:path") as typeof import("node:path");
    const os = require("node:os") as typeof import("node:os");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gocy-fw-")), "fw.yaml");
    fs.writeFileSync(file, fs.readFileSync("constellations/jupiter.constellation.yaml", "utf8").replace(/  metro: (pa|md|fr)\n/g, "  metro: $1\n  firewall: true\n"));
    withFirewall = recordExample({ overrides: { "gocy:constellation": file } });
  }
  return withFirewall;
};
const plain = (v: unknown) => redact(v) as any;

test("Helm values and every MetalLB and Cilium object validate against the upstream schemas, firewall on and off", async (t) => {
  if (!requireShared(t)) return;
  const schemas = { cilium: chartSchema("cilium/v1.18.10"), metallb: chartSchema("metallb/v0.16.1"), "cert-manager": chartSchema("cert-manager/v1.21.1") };
  for (const rec of [await baseRun(), await firewallRun()]) {
    const unvalidated = new Set<string>();
    for (const r of rec.resources.filter((x) => x.type === "kubernetes:helm.sh/v3:Release")) {
      const chart = String(r.inputs.chart) as keyof typeof schemas;
      // external-dns publishes no values schema for this chart release (and ../shared holds none): not validated.
      if (!schemas[chart]) {
        unvalidated.add(chart);
        continue;
      }
      assert.deepEqual(validateValues(plain(r.inputs.values), schemas[chart]), [], r.name);
    }
    assert.deepEqual([...unvalidated], ["external-dns"], "the only chart without a schema to validate against");
    for (const r of rec.resources.filter((x) => /^kubernetes:(metallb|cilium)\.io\//.test(x.type))) {
      assert.equal(validateObject(plain(r.inputs)), "", r.name);
    }
  }
});

test("per cluster, the ingress and mesh pools hold exactly its addresses; every satellite's ingress is the one anycast address", async () => {
  const rec = await baseRun();
  const vips = rec.outputs.vips as Record<string, Record<string, string>>;
  for (const c of CLUSTERS) {
    const pool = (name: string) => (byName(rec, `${c}-metallb-ipaddresspool-${name}`).inputs as any).spec;
    assert.deepEqual(pool("ingress"), { addresses: [`${vips[c]!.ingress}/32`], autoAssign: false });
    assert.deepEqual(pool("mesh"), { addresses: [`${vips[c]!.mesh}/32`], autoAssign: false });
    const cilium = plain(byName(rec, `${c}-cilium`).inputs.values);
    assert.deepEqual(cilium.clustermesh.apiserver.service, { type: "LoadBalancer", annotations: { "metallb.io/address-pool": "mesh", "metallb.io/loadBalancerIPs": vips[c]!.mesh } });
    assert.equal(cilium.defaultLBServiceIPAM, "none", "Cilium's LB IPAM does not compete with MetalLB");
    assert.equal(cilium.hubble.peerService.clusterDomain, `${c}.local`);
    for (const [i, peer] of ["169.254.255.1", "169.254.255.2"].entries()) {
      assert.deepEqual((byName(rec, `${c}-metallb-bgppeer-equinix-${i + 1}`).inputs as any).spec, { myASN: 65000, peerASN: 65530, peerAddress: peer, ebgpMultiHop: true });
    }
  }
  assert.equal(vips.ganymede!.ingress, rec.outputs.anycastAddress);
  assert.equal(vips.callisto!.ingress, rec.outputs.anycastAddress);
});

test("cluster IDs are unique and stable, and each cluster's Cilium carries its own", async () => {
  const rec = await baseRun();
  const ids = CLUSTERS.map((c) => plain(byName(rec, `${c}-cilium`).inputs.values).cluster);
  assert.deepEqual(ids, [{ name: "jupiter", id: 1 }, { name: "ganymede", id: 2 }, { name: "callisto", id: 3 }]);
});

test("MetalLB's objects depend on its chart; no Cilium resource depends on MetalLB or the reverse", async () => {
  const rec = await baseRun();
  for (const c of CLUSTERS) {
    const chart = byName(rec, `${c}-metallb`).urn;
    const cilium = byName(rec, `${c}-cilium`).urn;
    const metallbObjects = rec.resources.filter((r) => r.name.startsWith(`${c}-metallb-`) && r.type.startsWith("kubernetes:metallb.io/"));
    assert.equal(metallbObjects.length, 5);
    for (const o of metallbObjects) {
      assert.ok(o.dependencies.includes(chart), o.name);
      assert.ok(!closure(rec, o.urn).has(cilium), `${o.name} depends on Cilium`);
    }
    for (const urn of closure(rec, cilium)) assert.ok(!urn.includes("metallb"), `Cilium depends on ${urn}`);
  }
});

test("Cilium's inputs and dependencies name nothing of another cluster but the mesh CA and the others' mesh reservations", async () => {
  const rec = await baseRun();
  for (const c of CLUSTERS) {
    const cilium = byName(rec, `${c}-cilium`);
    const others = CLUSTERS.filter((o) => o !== c);
    const values = plain(cilium.inputs.values);
    const { clusters: peers, ...restOfMesh } = values.clustermesh.config;
    const text = JSON.stringify({ ...cilium.inputs, values: { ...values, clustermesh: { ...values.clustermesh, config: restOfMesh } } });
    for (const o of others) assert.ok(!text.includes(o), `${c}'s Cilium names ${o} outside the mesh membership`);
    assert.deepEqual(peers.map((p: { name: string }) => p.name), others);
    // Only direct dependencies count: a satellite's chain reaches the barycenter's management side, which is exempt.
    for (const urn of cilium.dependencies) {
      const name = urn.split("::").pop()!;
      const ok =
        name === c ||
        name.startsWith(`${c}-`) ||
        others.some((o) => name === `${o}-vip-mesh`) ||
        name === "jupiter-mesh-ca" ||
        name === "jupiter-mesh-ca-key" ||
        name === "jupiter-anycast-ingress"; // the constellation's anycast address, the ingress of every satellite
      assert.ok(ok, `${c}'s Cilium depends directly on ${name}`);
    }
  }
});

test("the metadata policy denies exactly the metadata service, with default deny off both ways and no allow rule", async () => {
  const rec = await baseRun();
  for (const c of CLUSTERS) {
    const p = byName(rec, `${c}-deny-equinix-metadata`);
    assert.deepEqual((p.inputs as any).spec, metadataDenyPolicy().spec);
    assert.ok(p.dependencies.includes(byName(rec, `${c}-wait-ready`).urn), "after the cluster is ready (Cilium registers its CRDs)");
  }
  const spec = metadataDenyPolicy().spec as any;
  assert.deepEqual(spec.enableDefaultDeny, { egress: false, ingress: false });
  assert.deepEqual(Object.keys(spec).sort(), ["description", "egressDeny", "enableDefaultDeny", "endpointSelector"]);
  assert.deepEqual(spec.egressDeny, [{ toCIDRSet: EQUINIX_METADATA_CIDRS.map((cidr) => ({ cidr })) }]);
  assert.equal((await baseRun()).resources.filter((r) => r.name.endsWith("-host-firewall")).length, 0, "no host firewall unless asked");
});

test("the host firewall (firewall: true) admits each port from exactly the sources the platform needs", async () => {
  const rec = await firewallRun();
  const sources = Object.fromEntries(FIREWALL_RULES.map((r) => [r.ports?.map((p) => `${p.port}${p.endPort ? `-${p.endPort}` : ""}/${p.protocol}`).join(",") ?? "icmp", [...(r.from.entities ?? []), ...(r.from.cidrs ?? [])].join(" ")]));
  assert.deepEqual(sources, {
    "80/TCP,443/TCP": "world",
    "6443/TCP": "world cluster",
    "50000-50001/TCP": "world remote-node",
    "2379-2380/TCP": "remote-node host",
    "10250/TCP": "kube-apiserver remote-node host cluster",
    "51820/UDP": "world remote-node",
    "8472/UDP": "remote-node",
    "51871/UDP": "world remote-node",
    "4240/TCP,4244/TCP": "remote-node host cluster",
    "7946/TCP,7946/UDP": "remote-node",
    "19443/TCP": "kube-apiserver remote-node host",
    "179/TCP": "169.254.255.1/32 169.254.255.2/32",
    icmp: "world remote-node host",
  });
  for (const c of CLUSTERS) {
    assert.deepEqual((byName(rec, `${c}-host-firewall`).inputs as any).spec, hostFirewallPolicy().spec);
    assert.deepEqual(plain(byName(rec, `${c}-cilium`).inputs.values).hostFirewall, { enabled: true });
  }
  assert.equal(plain(byName(await baseRun(), "jupiter-cilium").inputs.values).hostFirewall, undefined);
});

test("KubeSpan and Cilium work together: KubeSpan's MTU as the device MTU, legacy host routing, WireGuard for pods", async () => {
  const v = plain(byName(await baseRun(), "ganymede-cilium").inputs.values);
  assert.equal(v.routingMode, "tunnel");
  assert.equal(v.tunnelProtocol, "vxlan");
  assert.equal(v.MTU, 1420);
  assert.deepEqual(v.bpf, { hostLegacyRouting: true });
  assert.deepEqual(v.encryption, { enabled: true, type: "wireguard" });
});

test("a readiness check waits for the mesh Service's reserved address, after Cilium and MetalLB's objects", async () => {
  const rec = await baseRun();
  for (const c of CLUSTERS) {
    const w = byName(rec, `${c}-wait-mesh-address`);
    const env = w.inputs.environment as Record<string, unknown>;
    assert.equal(env.GOCY_MESH_ADDRESS, (rec.outputs.vips as any)[c].mesh);
    assert.ok(typeof env.GOCY_KUBECONFIG === "object" && "[secret]" in (env.GOCY_KUBECONFIG as object), "the kubeconfig is secret");
    assert.ok(w.dependencies.includes(byName(rec, `${c}-cilium`).urn));
    assert.ok(w.dependencies.includes(byName(rec, `${c}-metallb-ipaddresspool-mesh`).urn));
  }
  assert.ok(!JSON.stringify(rec.resources).replace(/\{"\[secret\]":"[^"]*"\}/g, "").includes(SENTINELS["equinix-metal:authToken"]));
});
