import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { byName, recordExample, recordGenerated } from "../helpers";
import { closure } from "../support/graph";
import { redact } from "../../tools/plan-json";
import type { RecordedResource, Recording } from "../../tools/record/types";
import { FAKE_CA_KEY_PEM } from "../../tools/record/fake-ca";

const plain = (v: unknown) => redact(v) as any;
const clusterNames = (rec: Recording) => rec.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name.endsWith("-cilium")).map((r) => r.name.replace(/-cilium$/, ""));

function assertFullMesh(rec: Recording): void {
  assert.equal(rec.error, null);
  const names = clusterNames(rec);
  const vips = rec.outputs.vips as Record<string, Record<string, string>>;
  const ids = new Set<number>();
  let pairs = 0;
  for (const c of names) {
    const values = plain(byName(rec, `${c}-cilium`).inputs.values);
    ids.add(values.cluster.id);
    const peers = values.clustermesh.config.clusters as { name: string; port: number; ips: string[] }[];
    assert.deepEqual(peers.map((p) => p.name).sort(), names.filter((n) => n !== c).sort(), `${c} lists every other cluster exactly once`);
    for (const p of peers) assert.deepEqual(p, { name: p.name, port: 2379, ips: [vips[p.name]!.mesh] });
    pairs += peers.length;
    assert.equal(values.tls.ca.key, "[secret]", "the CA key is a secret leaf");
    assert.notEqual(values.tls.ca.cert, "[secret]", "the CA certificate stays readable");
  }
  assert.equal(pairs, names.length * (names.length - 1));
  assert.equal(ids.size, names.length);
  for (const id of ids) assert.ok(id >= 1 && id <= 255);
}

test("3 clusters: every ordered pair is connected exactly once, IDs unique, the CA key secret", async () => {
  assertFullMesh(await recordExample());
});

test("11 clusters: every ordered pair is connected exactly once, IDs unique, the CA key secret", async () => {
  assertFullMesh(await recordGenerated(10));
});

test("the CA key appears in no field but the secret ones", async () => {
  const rec = await recordExample();
  const key = rec.resources.find((r) => r.type === "tls:index/privateKey:PrivateKey")!;
  assert.deepEqual(key.options.additionalSecretOutputs.filter((k) => k === "privateKeyPem"), ["privateKeyPem"]);
  const b64 = Buffer.from(FAKE_CA_KEY_PEM).toString("base64").slice(0, 40);
  const outsideSecrets = JSON.stringify(rec.resources.map((r) => r.inputs)).replace(/\{"\[secret\]":"[^"]*"\}/g, '"[secret]"');
  assert.ok(!outsideSecrets.includes(b64), "the base64 CA key appears outside a secret");
  assert.ok(JSON.stringify(rec.resources).includes(b64), "the test looks for the right text");
  assert.ok(!JSON.stringify(rec.outputs.mesh).includes("PRIVATE"));
  assert.deepEqual(rec.outputs.mesh, { jupiter: { id: 1, meshAddress: "203.0.113.1" }, ganymede: { id: 2, meshAddress: "203.0.113.2" }, callisto: { id: 3, meshAddress: "203.0.113.3" } });
});

test("each cluster's verification lists its peers and runs after every cluster's Cilium and mesh address", async () => {
  const rec = await recordExample();
  const names = clusterNames(rec);
  for (const c of names) {
    const v = byName(rec, `${c}-mesh-verify`);
    const peers = JSON.parse((v.inputs.environment as any).GOCY_MESH_PEERS);
    assert.deepEqual(Object.keys(peers).sort(), names.filter((n) => n !== c).sort());
    for (const o of names) {
      assert.ok(closure(rec, v.urn).has(byName(rec, `${o}-cilium`).urn), `${c}'s check after ${o}'s Cilium`);
      assert.ok(closure(rec, v.urn).has(byName(rec, `${o}-wait-mesh-address`).urn));
    }
  }
  const off = await recordExample({ overrides: { "gocy:meshVerify": "false" } });
  assert.equal(off.resources.filter((r) => r.name.endsWith("-mesh-verify")).length, 0);
});

/** The example with a fourth cluster appended, pinned to ID 4 (or with ganymede removed). */
function variant(edit: (text: string) => string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "gocy-mesh-")), "c.yaml");
  writeFileSync(file, edit(readFileSync("constellations/jupiter.constellation.yaml", "utf8")));
  return file;
}
const EUROPA = (text: string) => {
  const start = text.indexOf("- name: callisto");
  return text + text.slice(start).replace(/callisto/g, "europa").replace(/metro: fr/, "metro: am").replace(/172\.18\./g, "172.19.");
};

/** What may differ on a resource both plans hold when a satellite is added: the mesh membership and checks, and the
 * billing check's list of clusters (a no-op update that its delete reads). */
function allowedChange(r: RecordedResource): boolean {
  return r.name.endsWith("-cilium") || r.name.endsWith("-mesh-verify") || r.name.endsWith("-whoami-across-mesh") || r.name.endsWith("-billing-check");
}

test("appending a satellite changes only the membership in each existing Cilium and each existing verification; removing it restores the plan", async () => {
  const ids = '{"jupiter":1,"ganymede":2,"callisto":3,"europa":4}';
  const [before, after, removed] = await Promise.all([
    recordExample({ overrides: { "gocy:clusterIds": ids } }),
    recordExample({ overrides: { "gocy:constellation": variant(EUROPA), "gocy:clusterIds": ids }, clusterIds: { jupiter: 1, ganymede: 2, callisto: 3, europa: 4 } }),
    recordExample({ overrides: { "gocy:clusterIds": ids } }),
  ]);
  const afterByUrn = new Map(after.resources.map((r) => [r.urn, r]));
  const changed: string[] = [];
  for (const r of before.resources) {
    const a = afterByUrn.get(r.urn);
    assert.ok(a, `${r.urn} survives`);
    const same = JSON.stringify([r.inputs, r.options, r.dependencies, r.parent, r.provider]) === JSON.stringify([a.inputs, a.options, a.dependencies, a.parent, a.provider]);
    if (!same) {
      changed.push(r.name);
      assert.ok(allowedChange(r), `${r.name} changed`);
    }
    if (r.name.endsWith("-billing-check") && !same) {
      const env = (x: RecordedResource) => x.inputs.environment as Record<string, unknown>;
      assert.deepEqual({ ...r.inputs, environment: { ...env(r), GOCY_CLUSTERS: "" } }, { ...a.inputs, environment: { ...env(a), GOCY_CLUSTERS: "" } }, "only its cluster list");
      assert.equal(env(a).GOCY_CLUSTERS, "jupiter ganymede callisto europa");
    }
    if (r.name.endsWith("-cilium") && !same) {
      const [x, y] = [plain(r.inputs.values), plain(a.inputs.values)];
      const strip = (v: any) => ({ ...v, clustermesh: { ...v.clustermesh, config: { ...v.clustermesh.config, clusters: [] } } });
      assert.deepEqual(strip(x), strip(y), `${r.name}: only the membership changed`);
      assert.deepEqual(y.clustermesh.config.clusters.slice(0, -1), x.clustermesh.config.clusters, "the new member is appended");
      assert.equal(y.clustermesh.config.clusters.at(-1).name, "europa");
    }
  }
  assert.deepEqual(changed.sort(), ["callisto-cilium", "callisto-mesh-verify", "ganymede-cilium", "ganymede-mesh-verify", "jupiter-billing-check", "jupiter-cilium", "jupiter-mesh-verify", "jupiter-whoami-across-mesh"]);
  assert.ok(after.resources.some((r) => r.name === "europa-cilium"));
  assert.deepEqual(removed.resources, before.resources, "removing it restores the original plan exactly");
});

test("with IDs pinned, removing a satellite from the middle renumbers nobody", async () => {
  const file = variant((t) => t.slice(0, t.indexOf("- name: ganymede")) + t.slice(t.indexOf("- name: callisto")));
  const rec = await recordExample({ overrides: { "gocy:constellation": file } });
  assert.equal(rec.error, null);
  assert.equal(plain(byName(rec, "callisto-cilium").inputs.values).cluster.id, 3);
  assert.equal(plain(byName(rec, "jupiter-cilium").inputs.values).cluster.id, 1);
  assert.deepEqual(rec.outputs.clusterIds, { jupiter: 1, callisto: 3 });
});

test("a request crosses the mesh: from the barycenter, the whoami global service must answer from every satellite", async () => {
  const rec = await recordExample();
  const check = byName(rec, "jupiter-whoami-across-mesh");
  for (const s of ["ganymede", "callisto"]) {
    assert.ok(closure(rec, check.urn).has(byName(rec, `${s}-whoami`).urn), `after ${s}'s whoami`);
    assert.ok(check.dependencies.includes(byName(rec, `${s}-mesh-verify`).urn));
  }
  const { stubBin } = await import("../support/stubs");
  const { runRecorded } = await import("../support/scripts");
  const ok = stubBin();
  ok.behave("kubectl", `[[ "$1" == logs ]] && { printf 'Name: ganymede\nName: callisto\n'; exit 0; }`);
  const r = runRecorded(check, "create", { PATH: ok.path, GOCY_KUBECONFIG: "apiVersion: v1" });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /answered from ganymede, callisto through the mesh/);
  assert.ok(ok.calls().some((c) => c.startsWith("kubectl run gocy-mesh-probe -n kube-system --restart=Never --image=curlimages/curl:8.17.0 --labels=app.kubernetes.io/name=gocy-mesh-probe")));
});
