import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SENTINELS, TYPE, byName, recordExample, recordGenerated } from "../helpers";
import { closure, findCycle } from "../support/graph";
import { runRecorded } from "../support/scripts";
import { equinixCurl, stubBin } from "../support/stubs";
import { criticalPath } from "../../tools/critical-path";
import { NO_OP_UPDATE } from "../../lib/builders/scripts/common";
import type { Recording } from "../../tools/record/types";

const TOKEN = SENTINELS["equinix-metal:authToken"];
const SATS = ["ganymede", "callisto"];
let base: Promise<Recording> | undefined;
const baseRun = () => (base ??= recordExample());
const urnOf = (rec: Recording, name: string) => byName(rec, name).urn;
const adoptedUrns = (rec: Recording) => rec.resources.filter((r) => r.provider === byName(rec, "jupiter-adoption").urn).map((r) => r.urn);
/** Everything of a satellite: resources under its component, and its reads. */
function ofSatellite(rec: Recording, sat: string): { urn: string; name: string }[] {
  return [...rec.resources.filter((r) => r.custom && r.urn.includes(`SatelliteCluster`) && r.name.startsWith(`${sat}-`)), ...rec.reads.filter((r) => r.name.startsWith(`${sat}-`))];
}

test("the move follows the probe and clusterctl init on the barycenter; adoption follows the move; kind goes last", async () => {
  const rec = await baseRun();
  const move = byName(rec, "jupiter-move", TYPE.command);
  const moveDeps = closure(rec, move.urn);
  for (const n of ["jupiter-clusterctl-init", "jupiter-cert-manager-probe", "jupiter-wait-ready", "jupiter-cert-manager"]) assert.ok(moveDeps.has(urnOf(rec, n)), `move after ${n}`);
  const adopted = adoptedUrns(rec);
  assert.equal(adopted.length, 7);
  for (const urn of adopted) assert.ok(closure(rec, urn).has(move.urn), `${urn} after the move`);
  const deleteKind = byName(rec, "jupiter-delete-kind");
  for (const urn of adopted) assert.ok(deleteKind.dependencies.includes(urn));
  assert.match(String(byName(rec, "jupiter-clusterctl-init").inputs.create), /clusterctl installed its own cert-manager/);
});

test("adoption: only the adopted objects use the adoption provider; retainOnDelete exactly on Cluster, PacketCluster and TalosControlPlane", async () => {
  const rec = await baseRun();
  const provider = byName(rec, "jupiter-adoption");
  assert.equal(provider.inputs.upsertExistingObjects, "true", "provider inputs travel as strings");
  const adopted = rec.resources.filter((r) => r.provider === provider.urn);
  assert.deepEqual(adopted.filter((r) => r.options.retainOnDelete).map((r) => (r.inputs as any).kind).sort(), ["Cluster", "PacketCluster", "TalosControlPlane"]);
  const cluster = adopted.find((r) => (r.inputs as any).kind === "Cluster")!;
  for (const r of adopted) {
    assert.equal(((r.inputs as any).metadata.annotations as Record<string, string>)["pulumi.com/patchForce"], "true");
    if (r !== cluster) assert.equal(r.options.deletedWith, cluster.urn, `${r.name} goes with the adopted Cluster`);
  }
  assert.equal(rec.resources.filter((r) => r.inputs.upsertExistingObjects === "true").length, 1, "upsert reaches no other provider");
});

test("satellites: CAPI objects on the barycenter's provider, after the adoption step, never depending on each other", async () => {
  const rec = await baseRun();
  const baryProvider = byName(rec, "jupiter", "pulumi:providers:kubernetes").urn;
  const adopted = adoptedUrns(rec);
  for (const sat of SATS) {
    const cluster = byName(rec, `${sat}-cluster`);
    assert.equal(cluster.provider, baryProvider);
    for (const urn of adopted) assert.ok(cluster.dependencies.includes(urn), `${sat}'s Cluster depends on the adoption step explicitly`);
    assert.ok(cluster.dependencies.includes(urnOf(rec, `${sat}-vip-cp-tags`)));
    const component = rec.resources.find((r) => r.type === "gocy:index:SatelliteCluster" && r.name === sat)!;
    assert.deepEqual(component.dependencies, [], "never a dependency of the component: it would hold back the VIPs");
    for (const r of ofSatellite(rec, sat)) {
      // Its VIPs and its DNS cleanup depend on nothing of any cluster, by design.
      if (r.name.includes("-vip-") || r.name.endsWith("-dns-cleanup")) continue;
      assert.ok(closure(rec, r.urn).has(adopted[0]!) || r.urn === cluster.urn, `${r.name} is downstream of the adoption`);
      const other = SATS.find((s) => s !== sat)!;
      for (const dep of closure(rec, r.urn)) {
        const name = dep.split("::").pop()!;
        // The one allowed link: the mesh membership names the other satellite's mesh reservation (and its tag? no).
        if (name === `${other}-vip-mesh`) continue;
        assert.ok(!name.startsWith(`${other}-`) && name !== other, `${r.name} depends on ${other}'s ${name}`);
      }
    }
  }
});

test("every satellite in-cluster resource and non-Cluster CAPI object is deleted with its Cluster", async () => {
  const rec = await baseRun();
  for (const sat of SATS) {
    const cluster = urnOf(rec, `${sat}-cluster`);
    const satProvider = byName(rec, sat, "pulumi:providers:kubernetes").urn;
    const mine = rec.resources.filter((r) => r.name.startsWith(`${sat}-`) && (r.provider === satProvider || (r.type.startsWith("kubernetes:") && r.urn !== cluster)));
    assert.ok(mine.length >= 10);
    for (const r of mine) assert.equal(r.options.deletedWith, cluster, `${r.name}`);
    assert.equal(byName(rec, `${sat}-cluster`).options.customTimeouts?.delete, "3600s", "deleting the Cluster waits for bare metal to go");
  }
});

test("nothing the move depends on reaches a satellite, except the satellites' VIP reservations; no cycle", async () => {
  const rec = await baseRun();
  for (const urn of closure(rec, urnOf(rec, "jupiter-move"))) {
    const name = urn.split("::").pop()!;
    if (SATS.some((s) => name.startsWith(`${s}-`) || name === s)) assert.match(name, /-vip-(cp|mesh)(-tags)?$/, `the move depends on ${name}`);
  }
  assert.equal(findCycle(rec), undefined);
});

test("kubeconfigs and talosconfigs are secret outputs read on every up; talosconfigs keep public endpoints only", async () => {
  const rec = await baseRun();
  for (const key of ["kubeconfigs", "talosconfigs"]) {
    const out = rec.outputs[key] as Record<string, unknown>;
    assert.ok(out && "[secret]" in out, `${key} is secret`);
    assert.deepEqual(Object.keys((out as any)["[secret]"]).sort(), ["callisto", "ganymede", "jupiter"]);
  }
  const talos = (rec.outputs.talosconfigs as any)["[secret]"].ganymede as string;
  assert.doesNotMatch(talos, /10\.70\.0\.3/);
  assert.match(talos, /192\.0\.2\.2/);
  assert.deepEqual(rec.reads.map((r) => r.name).sort(), ["callisto-kubeconfig", "callisto-talosconfig", "ganymede-kubeconfig", "ganymede-talosconfig", "jupiter-kubeconfig", "jupiter-talosconfig"]);
  assert.ok(rec.reads.find((r) => r.name === "jupiter-kubeconfig")!.dependencies.includes(urnOf(rec, "jupiter-cluster")), "the barycenter's read follows the adoption");
});

test("a constellation edit never replaces or re-runs the move; a changed credential is a no-op update stored in state", async () => {
  const rec = await baseRun();
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-edit-"));
  const file = path.join(dir, "c.yaml");
  writeFileSync(file, readFileSync("constellations/jupiter.constellation.yaml", "utf8").replace(/- count: 2\n {4}plan: m3\.small\.x86/g, "- count: 4\n    plan: m3.small.x86"));
  const edited = await recordExample({ overrides: { "gocy:constellation": file, "equinix-metal:authToken": "SENTINEL-rotated" } });
  const [a, b] = [byName(rec, "jupiter-move"), byName(edited, "jupiter-move")];
  assert.deepEqual(b.options.replaceOnChanges, ["triggers[*]"]);
  assert.equal(b.inputs.triggers, undefined);
  assert.equal(b.inputs.update, NO_OP_UPDATE);
  const changed = Object.keys(b.inputs).filter((k) => JSON.stringify(a.inputs[k]) !== JSON.stringify(b.inputs[k]));
  assert.deepEqual(changed, ["environment"], "only the credentials changed, and they land in state by an update");
  assert.ok(!b.options.ignoreChanges.includes("environment"));
  const md = (r: Recording) => (byName(r, "ganymede-m3-small-x86").inputs as any).spec.replicas;
  assert.deepEqual([md(rec), md(edited)], [2, 4], "a worker count is a field diff on the MachineDeployment");
});

test("removing a barycenter worker group plans a delete of its MachineDeployment", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-groups-"));
  const two = path.join(dir, "two.yaml");
  const text = readFileSync("constellations/jupiter.constellation.yaml", "utf8");
  writeFileSync(two, text.replace("  worker_nodes:\n  - count: 2\n    plan: m3.small.x86\n", "  worker_nodes:\n  - count: 2\n    plan: m3.small.x86\n  - count: 1\n    plan: c3.small.x86\n"));
  const [withGroup, without] = await Promise.all([recordExample({ overrides: { "gocy:constellation": two } }), baseRun()]);
  const md = withGroup.resources.find((r) => r.name === "jupiter-c3-small-x86")!;
  assert.ok(md, "the extra group exists in the first plan");
  assert.equal(md.options.retainOnDelete, false, "so removing it really deletes its MachineDeployment");
  assert.equal(without.resources.find((r) => r.name === "jupiter-c3-small-x86"), undefined);
});

test("the modelled critical path is the same for 2 and for 20 satellites", async () => {
  const [two, twenty] = await Promise.all([recordGenerated(2), recordGenerated(20)]);
  assert.equal(two.error, null);
  assert.equal(twenty.error, null);
  const [a, b] = [criticalPath(two), criticalPath(twenty)];
  assert.equal(a.minutes, b.minutes);
  assert.ok(a.minutes > 60, `the path covers boot, move and a satellite (${a.minutes} min)`);
  assert.ok(a.path.includes("gen-move") && a.path.some((n) => n.endsWith("-wait-ready") && n.startsWith("sat-")), a.path.join(" → "));
});

test("the move script: runs clusterctl move from kind once, and succeeds when kind already gave up its Cluster or is gone", async () => {
  const rec = await baseRun();
  const move = byName(rec, "jupiter-move");
  const stubs = stubBin();
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo gocy-jupiter; exit 0; }
[[ "$1 $2" == "get kubeconfig" ]] && { echo "apiVersion: v1 # kind"; exit 0; }`);
  // kind holds the Cluster until the move; the barycenter after it.
  stubs.behave("kubectl", `[[ "$1 $2" == "get cluster" ]] && { if [[ "$KUBECONFIG" == *kind* ]]; then [ -f "${stubs.dir}/moved" ] || echo cluster.cluster.x-k8s.io/jupiter; else [ -f "${stubs.dir}/moved" ] && echo cluster.cluster.x-k8s.io/jupiter; fi; exit 0; }`);
  stubs.behave("clusterctl", `[[ "$1" == move ]] && { touch "${stubs.dir}/moved"; exit 0; }`);
  const env = { PATH: stubs.path, GOCY_KUBECONFIG: "apiVersion: v1 # barycenter" };
  assert.equal(runRecorded(move, "create", env).code, 0);
  const second = runRecorded(move, "create", env);
  assert.equal(second.code, 0);
  assert.match(second.stderr, /kind holds no Cluster jupiter: the move happened before/);
  assert.equal(stubs.calls().filter((c) => c.startsWith("clusterctl move")).length, 1);
  assert.match(stubs.calls().find((c) => c.startsWith("clusterctl move"))!, /--kubeconfig \S+\/kind\.kubeconfig --to-kubeconfig \S+\/barycenter\.kubeconfig --namespace default$/);
  assert.ok(stubs.calls().some((c) => c.startsWith("kubectl patch cluster jupiter -n default --type merge -p {\"spec\":{\"paused\":false}}")), "the barycenter's Cluster is unpaused");
  const gone = stubBin();
  gone.behave("kind", `[[ "$1 $2" == "get clusters" ]] && exit 0`);
  gone.behave("kubectl", `[[ "$1 $2" == "get cluster" ]] && { echo cluster.cluster.x-k8s.io/jupiter; exit 0; }`);
  assert.equal(runRecorded(move, "create", { PATH: gone.path, GOCY_KUBECONFIG: "apiVersion: v1 # barycenter" }).code, 0);
  // Neither kind nor the barycenter holds it: never a silent success.
  const lost = stubBin();
  lost.behave("kind", `[[ "$1 $2" == "get clusters" ]] && exit 0`);
  const r = runRecorded(move, "create", { PATH: lost.path, GOCY_KUBECONFIG: "apiVersion: v1 # barycenter" });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /neither kind nor the barycenter holds its Cluster/);
  assert.ok(!stubs.calls().join("\n").includes(TOKEN));
});

test("the teardown moves the barycenter back to a throwaway kind, deletes its Cluster there and then kind", async () => {
  const rec = await baseRun();
  const move = byName(rec, "jupiter-move");
  const stubs = stubBin();
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { [ -f "${stubs.dir}/state-kind" ] && echo gocy-jupiter-teardown; exit 0; }
[[ "$1 $2" == "create cluster" ]] && { touch "${stubs.dir}/state-kind"; exit 0; }
[[ "$1 $2" == "get kubeconfig" ]] && { echo "apiVersion: v1 # kind"; exit 0; }
[[ "$1 $2" == "delete cluster" ]] && { rm -f "${stubs.dir}/state-kind"; exit 0; }`);
  stubs.behave("kubectl", `[[ "$*" == *"get --raw /readyz"* ]] && exit 0
[[ "$1 $2" == "get providers.clusterctl.cluster.x-k8s.io" ]] && exit 0
[[ "$1 $2" == "get clusters.cluster.x-k8s.io" ]] && { printf 'jupiter '; exit 0; }
[[ "$1 $2" == "get cluster" ]] && { if [[ "$(cat "$KUBECONFIG")" == *kind* ]]; then [ -f "${stubs.dir}/moved" ] && [ ! -f "${stubs.dir}/deleted" ] && echo cluster.cluster.x-k8s.io/jupiter; else [ -f "${stubs.dir}/moved" ] || echo cluster.cluster.x-k8s.io/jupiter; fi; exit 0; }
[[ "$1 $2" == "delete cluster" ]] && { touch "${stubs.dir}/deleted"; exit 0; }`);
  stubs.behave("clusterctl", `[[ "$1" == move ]] && { touch "${stubs.dir}/moved"; exit 0; }`);
  stubs.behave("curl", `for a in "$@"; do case "$prev" in --output) out="$a";; --request) m="$a";; esac; prev="$a"; done
echo '{"devices":[]}' >"$out"; echo -n 200`);
  const r = runRecorded(move, "delete", { PATH: stubs.path, GOCY_KUBECONFIG: "apiVersion: v1 # barycenter" });
  assert.equal(r.code, 0, r.stderr);
  const calls = stubs.calls().filter((c) => /^(kind (create|delete)|clusterctl|kubectl (delete|patch))/.test(c)).map((c) => c.split(" ").slice(0, 3).join(" "));
  assert.deepEqual(calls, ["kind create cluster", "clusterctl init --core", "clusterctl move --kubeconfig", "kubectl patch cluster", "kubectl delete cluster", "kind delete cluster"]);
  // A barycenter that still manages another cluster is never moved back: that cluster would be orphaned.
  const busy = stubBin();
  busy.behave("kubectl", `[[ "$*" == *"get --raw /readyz"* ]] && exit 0
[[ "$1 $2" == "get cluster" ]] && { echo cluster.cluster.x-k8s.io/jupiter; exit 0; }
[[ "$1 $2" == "get clusters.cluster.x-k8s.io" ]] && { printf 'jupiter ganymede '; exit 0; }`);
  busy.behave("kind", `[[ "$1 $2" == "get clusters" ]] && exit 0`);
  const refused = runRecorded(move, "delete", { PATH: busy.path, GOCY_KUBECONFIG: "apiVersion: v1 # barycenter" });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /the barycenter still manages ganymede : delete those clusters first/);
  assert.ok(!busy.calls().some((c) => c.startsWith("clusterctl move")));
  assert.ok(stubs.calls().some((c) => c.startsWith("kubectl delete cluster jupiter -n default --cascade=background --wait --timeout=3600s")));
  assert.ok(!stubs.calls().filter((c) => !c.startsWith("stdin: ")).join("\n").includes(TOKEN), "no secret in an argument");
});

test("the teardown's last resort: a barycenter that does not answer has every cluster's devices deleted by tag", async () => {
  const rec = await baseRun();
  const stubs = stubBin();
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && exit 0`);
  stubs.behave("kubectl", `[[ "$*" == *"get --raw /readyz"* ]] && exit 1`);
  // The satellites' Clusters were dropped from Pulumi's state (an unreachable barycenter): their devices are still
  // there, found through the constellation's reservations. Another constellation's devices stay.
  stubs.behave(
    "curl",
    equinixCurl(
      [
        { id: "d9", tags: ["capp:cluster-id:jupiter"] },
        { id: "d10", tags: ["capp:cluster-id:ganymede"] },
        { id: "d11", tags: ["capp:cluster-id:titan"] },
      ],
      [
        { id: "r1", tags: ["gocy:constellation:jupiter", "gocy:cluster:ganymede", "gocy:role:cp"] },
        { id: "r2", tags: ["gocy:constellation:jupiter", "gocy:cluster:callisto", "gocy:role:cp"] },
        { id: "r3", tags: ["gocy:constellation:saturn", "gocy:cluster:titan", "gocy:role:cp"] },
      ],
    ),
  );
  const r = runRecorded(byName(rec, "jupiter-move"), "delete", { PATH: stubs.path, GOCY_KUBECONFIG: "apiVersion: v1 # barycenter" });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /jupiter: the barycenter does not answer, and no earlier teardown holds its Cluster; deleting the devices of every cluster of the constellation directly/);
  const deleted = stubs.calls().filter((c) => /--request DELETE /.test(c)).map((c) => /\/devices\/(\w+)\?/.exec(c)![1]);
  assert.deepEqual(deleted, ["d9", "d10"]);
  assert.ok(!r.stderr.includes(TOKEN) && !stubs.calls().some((c) => c.startsWith("curl") && c.includes(TOKEN)));
});

