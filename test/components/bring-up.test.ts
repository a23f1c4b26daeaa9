import { test } from "node:test";
import assert from "node:assert/strict";
import { TYPE, SENTINELS, byName, recordExample } from "../helpers";
import { closure, findCycle } from "../support/graph";
import { runRecorded } from "../support/scripts";
import { equinixCurl, stubBin } from "../support/stubs";
import { NO_OP_UPDATE } from "../../lib/builders/scripts/common";
import type { Recording } from "../../tools/record/types";

const TOKEN = SENTINELS["equinix-metal:authToken"];
const KIND_PHASE = ["jupiter-kind", "jupiter-clusterctl-init-kind", "jupiter-capi-apply", "jupiter-wait-initialized", "jupiter-admin-credential", "jupiter-wait-ready"];
/** Commands with no delete, and why none is needed. */
const NO_DELETE: Record<string, string> = {
  "jupiter-clusterctl-init-kind": "the providers go with the kind cluster",
  "jupiter-wait-initialized": "a wait leaves nothing behind",
  "jupiter-admin-credential": "the ServiceAccount lives on the barycenter and goes with it",
  "jupiter-wait-ready": "a wait leaves nothing behind",
  "jupiter-cert-manager-probe": "the probe removes what it creates",
  "jupiter-clusterctl-init": "the providers go with the barycenter",
  "jupiter-clusterctl-upgrade": "the providers go with the barycenter",
  "jupiter-delete-kind": "the command that created kind deletes it",
  "jupiter-talos-schematic-amd64": "Image Factory schematics are content-addressed and shared: nothing to delete",
  "ganymede-wait-initialized": "a wait leaves nothing behind",
  "ganymede-wait-ready": "a wait leaves nothing behind",
  "callisto-wait-initialized": "a wait leaves nothing behind",
  "callisto-wait-ready": "a wait leaves nothing behind",
};
let base: Promise<Recording> | undefined;
const baseRun = () => (base ??= recordExample());
const urnOf = (rec: Recording, name: string) => byName(rec, name).urn;

test("the barycenter's CAPI objects depend on its cp reservation's tag and on clusterctl init", async () => {
  const rec = await baseRun();
  const apply = byName(rec, "jupiter-capi-apply", TYPE.command);
  assert.ok(apply.dependencies.includes(urnOf(rec, "jupiter-vip-cp-tags")), "apply waits for the cp tag");
  assert.ok(apply.dependencies.includes(urnOf(rec, "jupiter-clusterctl-init-kind")));
  assert.ok(closure(rec, apply.urn).has(urnOf(rec, "jupiter-kind")), "destroy deletes the apply (its cleanup) before kind");
  assert.doesNotMatch(String(apply.inputs.stdin), /pulumi\.com\/waitFor/);
});

test("the kubeconfig depends on ControlPlaneInitialized, never on workers or control-plane readiness", async () => {
  const rec = await baseRun();
  const credential = byName(rec, "jupiter-admin-credential", TYPE.command);
  const deps = closure(rec, credential.urn);
  assert.ok(deps.has(urnOf(rec, "jupiter-wait-initialized")));
  assert.ok(!deps.has(urnOf(rec, "jupiter-wait-ready")), "a wait for readiness before the CNI would deadlock");
  assert.match(String(byName(rec, "jupiter-wait-initialized").inputs.create), /--for=condition=ControlPlaneInitialized cluster\/'jupiter'/);
  assert.deepEqual(credential.options.additionalSecretOutputs, ["stdout"]);
  assert.equal(credential.inputs.logging, "stderr", "the printed credential is not logged");
});

test("Cilium and MetalLB's chart do not depend on each other; cluster ready depends on Cilium", async () => {
  const rec = await baseRun();
  const [cilium, metallb, ready] = ["jupiter-cilium", "jupiter-metallb", "jupiter-wait-ready"].map((n) => byName(rec, n));
  assert.ok(!closure(rec, cilium!.urn).has(metallb!.urn));
  assert.ok(!closure(rec, metallb!.urn).has(cilium!.urn));
  assert.ok(ready!.dependencies.includes(cilium!.urn));
  assert.equal(cilium!.inputs.skipAwait, true, "Cilium is not awaited on LoadBalancer addresses only MetalLB can give");
  for (const r of [metallb!, byName(rec, "jupiter-cert-manager")]) assert.equal(r.inputs.timeout, 3600, `${r.name} bounded by gocy:waitTimeoutMinutes`);
  assert.equal(byName(rec, "jupiter-cert-manager").inputs.namespace, "cert-manager");
});

test("every command has a delete or a documented reason for none", async () => {
  const rec = await baseRun();
  for (const r of rec.resources.filter((x) => x.type === TYPE.command)) {
    const reason = NO_DELETE[r.name] ?? (r.name.endsWith("-tags") ? "the tags go with their reservation" : /-wait-|-mesh-verify$|-whoami-across-mesh$/.test(r.name) ? "a wait or check leaves nothing behind" : undefined);
    if (typeof r.inputs.delete !== "string") assert.ok(reason, `${r.name} has no delete and no reason`);
    else assert.equal(NO_DELETE[r.name], undefined, `${r.name} has a delete after all`);
  }
});

test("no provider talks to kind: the barycenter's providers use the minted credential, and its resources go with the apply", async () => {
  const rec = await baseRun();
  const providers = rec.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
  assert.deepEqual(providers.map((p) => p.name).sort(), ["callisto", "ganymede", "jupiter", "jupiter-adoption"]);
  const credential = urnOf(rec, "jupiter-admin-credential");
  assert.deepEqual(byName(rec, "jupiter-adoption").dependencies, [credential]);
  for (const sat of ["ganymede", "callisto"]) {
    const read = rec.reads.find((r) => r.name === `${sat}-kubeconfig`)!;
    assert.deepEqual(byName(rec, sat, "pulumi:providers:kubernetes").dependencies, [read.urn], `${sat}'s provider is built from its kubeconfig read`);
    assert.equal(read.provider, byName(rec, "jupiter", "pulumi:providers:kubernetes").urn, "read through the barycenter");
  }
  const p = byName(rec, "jupiter", "pulumi:providers:kubernetes");
  assert.deepEqual(p.dependencies, [urnOf(rec, "jupiter-admin-credential")]);
  assert.ok(typeof p.inputs.kubeconfig === "object" && p.inputs.kubeconfig !== null && "[secret]" in p.inputs.kubeconfig, "the kubeconfig input is secret");
  assert.match(String((p.inputs.kubeconfig as Record<string, unknown>)["[secret]"]), /SENTINEL-kubeconfig-token-jupiter-admin-credential/, "it is the credential command's stdout");
  assert.equal(p.inputs.clusterIdentifier, "gocy:jupiter:jupiter");
  for (const r of rec.resources.filter((x) => x.provider === p.urn && x.name.startsWith("jupiter-"))) {
    assert.equal(r.options.deletedWith, urnOf(rec, "jupiter-capi-apply"), `${r.name} is deleted with the apply command`);
  }
});

test("no CAPI object carries an await, no remote component exists, and the graph with deletedWith has no cycle", async () => {
  const [rec, preview] = await Promise.all([baseRun(), recordExample({ preview: true })]);
  assert.equal(findCycle(rec), undefined);
  assert.deepEqual(rec.resources.filter((r) => r.remote), []);
  assert.equal(preview.error, null);
  assert.deepEqual(preview.resources.map((r) => r.urn).sort(), rec.resources.map((r) => r.urn).sort());
  for (const read of preview.reads) assert.equal(read.id, "[unknown]", `${read.urn} has a known id in preview`);
  assert.equal(byName(preview, "jupiter", "pulumi:providers:kubernetes").inputs.kubeconfig, "[unknown]");
});

test("kind-phase commands are frozen: worker count, a new group, the timeout and the token re-run none of them", async () => {
  const rec = await baseRun();
  const text = require("node:fs").readFileSync("constellations/jupiter.constellation.yaml", "utf8") as string;
  const dir = require("node:fs").mkdtempSync(require("node:path").join(require("node:os").tmpdir(), "gocy-frozen-"));
  const file = require("node:path").join(dir, "c.yaml");
  require("node:fs").writeFileSync(
    file,
    text.replace("  worker_nodes:\n  - count: 2\n    plan: m3.small.x86\n", "  worker_nodes:\n  - count: 3\n    plan: m3.small.x86\n  - count: 1\n    plan: c3.small.x86\n"),
  );
  const changed = await recordExample({
    overrides: { "gocy:constellation": file, "gocy:waitTimeoutMinutes": "90", "equinix-metal:authToken": "SENTINEL-rotated-token" },
  });
  assert.equal(changed.error, null);
  for (const name of KIND_PHASE) {
    const [a, b] = [byName(rec, name), byName(changed, name)];
    const differing = Object.keys({ ...a.inputs, ...b.inputs }).filter((k) => JSON.stringify(a.inputs[k]) !== JSON.stringify(b.inputs[k]));
    for (const key of differing) {
      // The credential, whose stdout others take, ignores every input ("*").
      const ignored = b.options.ignoreChanges.includes(key) || b.options.ignoreChanges.includes("*");
      // A changed environment (credentials) or delete script is stored by a no-op update: nothing runs.
      const noOpUpdate = (key === "environment" || key === "delete") && b.inputs.update === NO_OP_UPDATE;
      assert.ok(ignored || noOpUpdate, `${name}: a change of ${key} would run it again`);
    }
    if (b.inputs.environment !== undefined) assert.ok(!b.options.ignoreChanges.includes("environment") && !b.options.ignoreChanges.includes("*"), `${name}: credentials stay updatable`);
    // @pulumi/command marks triggers as replace-on-change; no lifecycle command sets triggers, and they are ignored.
    assert.deepEqual(b.options.replaceOnChanges, ["triggers[*]"]);
    assert.equal(b.inputs.triggers, undefined);
    assert.ok(b.options.ignoreChanges.includes("triggers") || b.options.ignoreChanges.includes("*"));
  }
  assert.notEqual(JSON.stringify(byName(rec, "jupiter-capi-apply").inputs.stdin), JSON.stringify(byName(changed, "jupiter-capi-apply").inputs.stdin), "the test really changed the barycenter");
});

test("kind create and clusterctl init check before they act: a second run after a failure picks up where it stopped", async () => {
  const rec = await baseRun();
  const stubs = stubBin();
  // First run: kind has no cluster yet; clusterctl init fails half-way (after core and bootstrap).
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { [ -f "${stubs.dir}/kind-up" ] && echo gocy-jupiter; exit 0; }
[[ "$1 $2" == "create cluster" ]] && { touch "${stubs.dir}/kind-up"; exit 0; }
[[ "$1 $2" == "get kubeconfig" ]] && { echo "apiVersion: v1"; exit 0; }`);
  stubs.behave("kubectl", `[[ "$1 $2" == "get providers.clusterctl.cluster.x-k8s.io" ]] && { cat "${stubs.dir}/installed" 2>/dev/null; exit 0; }`);
  stubs.behave("clusterctl", `[[ "$1" == init ]] && { printf 'CoreProvider/cluster-api\\nBootstrapProvider/talos\\n' >"${stubs.dir}/installed"; echo "Error: timed out waiting for providers" >&2; exit 1; }`);
  const env = { PATH: stubs.path };
  const kind = byName(rec, "jupiter-kind");
  const init = byName(rec, "jupiter-clusterctl-init-kind");
  assert.equal(runRecorded(kind, "create", env).code, 0);
  const failed = runRecorded(init, "create", env);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /gocy: gocy-jupiter: clusterctl init failed/);
  assert.ok(!failed.stderr.includes(TOKEN) && !failed.stdout.includes(TOKEN), "the failure holds no secret");
  stubs.behave("clusterctl", `[[ "$1" == init ]] && exit 0`);
  assert.equal(runRecorded(kind, "create", env).code, 0);
  assert.equal(runRecorded(init, "create", env).code, 0);
  const calls = stubs.calls();
  assert.equal(calls.filter((c) => c.startsWith("kind create cluster")).length, 1, "kind created once");
  assert.deepEqual(calls.filter((c) => c.startsWith("clusterctl init")), [
    "clusterctl init --core cluster-api:v1.10.10 --bootstrap talos:v0.6.12 --control-plane talos:v0.5.12 --infrastructure packet:v0.9.0 --wait-providers --wait-provider-timeout 900",
    "clusterctl init --control-plane talos:v0.5.12 --infrastructure packet:v0.9.0 --wait-providers --wait-provider-timeout 900",
  ]);
  assert.ok(!calls.join("\n").includes(TOKEN), "no secret in any argument");
  assert.match(calls.find((c) => c.startsWith("kind create"))!, /--image kindest\/node:v1\.33\.7@sha256:d26ef333/);
});

test("the apply command's delete unpauses, deletes and waits for a Cluster kind still holds; after a move it does nothing", async () => {
  const rec = await baseRun();
  const apply = byName(rec, "jupiter-capi-apply");
  const stubs = stubBin();
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo gocy-jupiter; exit 0; }
[[ "$1 $2" == "get kubeconfig" ]] && { echo "apiVersion: v1"; exit 0; }`);
  stubs.behave("kubectl", `[[ "$1 $2" == "get cluster" ]] && { echo cluster.cluster.x-k8s.io/jupiter; exit 0; }`);
  stubs.behave("curl", equinixCurl());
  const env = { PATH: stubs.path };
  const held = runRecorded(apply, "delete", env);
  assert.equal(held.code, 0, held.stderr);
  const calls = stubs.calls().filter((c) => c.startsWith("kubectl"));
  assert.deepEqual(calls, [
    "kubectl get cluster jupiter -n default --ignore-not-found -o name --request-timeout=60s",
    `kubectl patch cluster jupiter -n default --type merge -p {"spec":{"paused":false}}`,
    "kubectl delete cluster jupiter -n default --cascade=background --wait --timeout=3600s",
  ]);
  // After the move kind holds no Cluster: nothing is deleted.
  const moved = stubBin();
  moved.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo gocy-jupiter; exit 0; }`);
  moved.behave("kubectl", `[[ "$1 $2" == "get cluster" ]] && exit 0`);
  moved.behave("curl", equinixCurl([{ id: "d7", tags: ["capp:cluster-id:ganymede"] }]));
  const r = runRecorded(apply, "delete", { PATH: moved.path });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /kind holds no Cluster jupiter and no device of it is left: nothing to delete/);
  assert.ok(!moved.calls().some((c) => / delete |--request DELETE/.test(c)));
  // A kind that cannot be asked (docker down) never reads as "moved": the delete fails and keeps its state.
  const down = stubBin();
  down.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo "Cannot connect to the Docker daemon" >&2; exit 1; }`);
  const refused = runRecorded(apply, "delete", { PATH: down.path });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /gocy: kind cannot list its clusters \(is docker running\?\): Cannot connect to the Docker daemon/);
  const unreachable = stubBin();
  unreachable.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo gocy-jupiter; exit 0; }`);
  unreachable.behave("kubectl", `[[ "$1 $2" == "get cluster" ]] && { echo "connection refused" >&2; exit 1; }`);
  const r2 = runRecorded(apply, "delete", { PATH: unreachable.path });
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /gocy: jupiter: cannot ask the API server: connection refused/);
});

test("when the Cluster will not go, the apply's delete deletes the devices CAPP tagged, token on stdin only", async () => {
  const rec = await baseRun();
  const stubs = stubBin();
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo gocy-jupiter; exit 0; }`);
  stubs.behave("kubectl", `[[ "$1" == delete ]] && exit 1
[[ "$1 $2" == "get cluster" ]] && { echo cluster.cluster.x-k8s.io/jupiter; exit 0; }`);
  stubs.behave("curl", `for a in "$@"; do case "$prev" in --output) out="$a";; --request) m="$a";; esac; prev="$a"; done
if [ "$m" = GET ]; then echo '{"devices":[{"id":"d1","tags":["capp:cluster-id:jupiter"]},{"id":"d2","tags":["capp:cluster-id:ganymede"]}]}' >"$out"; echo -n 200; else : >"$out"; echo -n 204; fi`);
  const r = runRecorded(byName(rec, "jupiter-capi-apply"), "delete", { PATH: stubs.path });
  assert.equal(r.code, 0, r.stderr);
  const curls = stubs.calls().filter((c) => c.startsWith("curl"));
  assert.equal(curls.length, 2);
  // Every device of the project, filtered by tag here: d2 carries another cluster's tag and stays.
  assert.match(curls[0]!, /--request GET --header @- https:\/\/api\.equinix\.com\/metal\/v1\/projects\/00000000-0000-0000-0000-000000000000\/devices\?per_page=1000&page=1$/);
  assert.match(curls[1]!, /--request DELETE --header @- https:\/\/api\.equinix\.com\/metal\/v1\/devices\/d1\?force_delete=true$/);
  assert.ok(!curls.join("\n").includes(TOKEN));
  assert.ok(stubs.calls().some((c) => c === `stdin: X-Auth-Token: ${TOKEN}`), "the token went on stdin");
});

test("deletes succeed against stubs that cannot reach a cluster", async () => {
  const rec = await baseRun();
  const stubs = stubBin();
  // kind answers, but the cluster is gone.
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && exit 0
exit 1`);
  stubs.behave("kubectl", "exit 1");
  stubs.behave("curl", equinixCurl());
  for (const name of ["jupiter-capi-apply", "jupiter-kind", "jupiter-delete-kind"]) {
    if (typeof byName(rec, name).inputs.delete !== "string") {
      assert.equal(runRecorded(byName(rec, name), "create", { PATH: stubs.path }).code, 0, `${name} (its create deletes)`);
      continue;
    }
    const r = runRecorded(byName(rec, name), "delete", { PATH: stubs.path });
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
  }
});

test("the credential script prints the kubeconfig as its last act and passes the token through no argument", async () => {
  const rec = await baseRun();
  const stubs = stubBin();
  stubs.behave("kind", `[[ "$1 $2" == "get kubeconfig" ]] && { echo "apiVersion: v1"; exit 0; }`);
  stubs.behave("kubectl", `[[ "$*" == *'index .data "value" | base64decode'* ]] && { printf 'apiVersion: v1'; exit 0; }
[[ "$*" == *"-o jsonpath={.data.token}"* ]] && { printf 'U0VOVElORUwtc2EtdG9rZW4='; exit 0; }
[[ "$*" == *'index .data "token" | base64decode'* ]] && { printf 'SENTINEL-sa-token'; exit 0; }
[[ "$*" == *"jsonpath={.clusters[0].cluster.server}"* ]] && { printf 'https://192.0.2.1:6443'; exit 0; }
[[ "$*" == *"certificate-authority-data"* ]] && { printf 'Q0E='; exit 0; }`);
  const r = runRecorded(byName(rec, "jupiter-admin-credential"), "create", { PATH: stubs.path });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^apiVersion: v1\nkind: Config\n[\s\S]*user: \{token: "SENTINEL-sa-token"\}[\s\S]*current-context: admin@jupiter\n$/);
  assert.ok(!stubs.calls().some((c) => c.includes("SENTINEL-sa-token")), "the token is in no argument");
});
