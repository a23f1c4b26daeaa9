/**
 * Fault injection: the rendered create and delete scripts run exactly as the command provider runs them (bash -c,
 * their environment, their stdin) against one simulated world (test/support/world.ts), failing calls in turn, and
 * destroys in the order `pulumi destroy` deletes. Asserted: a clean `gocy:` message, a re-run that converges, a
 * bounded time, no secret in any output, and no device left after a destroy that ends well.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { byName, recordExample, SENTINELS, TYPE } from "../helpers";
import { createWorld, type Device, type World } from "../support/world";
import { destroyOrder } from "../../tools/record/lifecycle";
import { SECRET_KEY, type RecordedResource, type Recording } from "../../tools/record/types";

let example: Promise<Recording> | undefined;
const run = () => (example ??= recordExample());
const SECRETS = [SENTINELS["equinix-metal:authToken"], "SENTINEL-world-token", "SENTINEL-sa-token"];
const BOUND_MS = 20_000;

function envOf(r: RecordedResource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((r.inputs.environment ?? {}) as Record<string, unknown>)) {
    const val = v !== null && typeof v === "object" && SECRET_KEY in (v as object) ? (v as Record<string, unknown>)[SECRET_KEY] : v;
    out[k] = typeof val === "string" ? val : JSON.stringify(val);
  }
  return out;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs a command's script in the world as @pulumi/command would, and checks the rules every run keeps. */
function exec(world: World, r: RecordedResource, phase: "create" | "delete"): Run {
  const text = r.inputs[phase];
  assert.equal(typeof text, "string", `${r.name} has a ${phase} script`);
  const started = Date.now();
  const res = spawnSync("/bin/bash", ["-c", text as string], {
    env: { ...envOf(r), ...world.env, GOCY_KUBECONFIG: world.kubeconfig("jupiter") },
    input: typeof r.inputs.stdin === "string" ? r.inputs.stdin : "",
    encoding: "utf8",
    timeout: BOUND_MS,
  });
  const out = { code: res.status, stdout: res.stdout, stderr: res.stderr, ms: Date.now() - started };
  assert.ok(out.ms < BOUND_MS, `${r.name} ${phase} did not end within ${BOUND_MS} ms: an unbounded wait`);
  // The credential command prints its kubeconfig on stdout by design (a secret output, never logged).
  const stdoutIsSecret = r.options.additionalSecretOutputs.includes("stdout");
  for (const s of SECRETS) assert.ok((stdoutIsSecret || !out.stdout.includes(s)) && !out.stderr.includes(s), `${r.name} ${phase} printed a secret`);
  assert.ok(!/world: unsupported call/.test(out.stderr), `${r.name} ${phase}: ${out.stderr}`);
  if (out.code !== 0) assert.match(out.stderr, /^gocy: .+\ngocy: next: .+$/m, `${r.name} ${phase} failed without a gocy: line and a next step:\n${out.stderr}`);
  return out;
}

const BRING_UP = ["jupiter-kind", "jupiter-clusterctl-init-kind", "jupiter-capi-apply", "jupiter-wait-initialized", "jupiter-admin-credential", "jupiter-wait-ready", "jupiter-cert-manager-probe", "jupiter-clusterctl-init", "jupiter-move", "jupiter-clusterctl-upgrade", "jupiter-delete-kind"];

/** A world with the constellation's reservations, as their tag commands leave them. */
function newWorld(rec: Recording): World {
  const ips = rec.resources
    .filter((r) => r.type === TYPE.command && r.name.endsWith("-tags"))
    .map((r) => ({ id: envOf(r).GOCY_IP_ID!, tags: JSON.parse(envOf(r).GOCY_TAGS!) as string[] }));
  return createWorld({ ips });
}

/** The Equinix id of a reservation: what its tag command was given. */
const ipId = (rec: Recording, reservation: RecordedResource) => envOf(byName(rec, `${reservation.name}-tags`)).GOCY_IP_ID!;

/** Brings the barycenter up in the world, then the satellites as the barycenter's CAPI would. */
function bringUp(world: World, rec: Recording, upTo = BRING_UP.length, from = 0): void {
  for (const name of BRING_UP.slice(from, upTo)) {
    // The program's cert-manager (a Helm release) runs on the barycenter before the probe.
    if (name === "jupiter-cert-manager-probe") world.update((w) => (w.servers.jupiter!.certManager = "program"));
    const r = exec(world, byName(rec, name), "create");
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
  }
}

function addSatellites(world: World): void {
  world.update((w) => {
    for (const s of ["ganymede", "callisto"]) {
      w.servers.jupiter!.clusters[`default/${s}`] = { paused: false, uid: `uid-${s}` };
      for (const role of ["control-plane", "worker"]) w.devices.push({ id: `${s}-${role}`, hostname: `${s}-${role}`, tags: [`capp:cluster-id:${s}`] });
    }
  });
}

/**
 * `pulumi destroy` in the world: deletes in the engine's order. Commands run their delete script; a satellite's
 * Cluster is deleted by the provider through the barycenter (CAPI deletes its devices); reservations by the Equinix
 * provider. `dropped` resources are not in Pulumi's state. Returns the first failure, if any.
 */
function destroy(world: World, rec: Recording, opts: { excludeProtected?: boolean; dropped?: (r: RecordedResource) => boolean } = {}): { failed: string | null } {
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  for (const step of destroyOrder(rec, { excludeProtected: opts.excludeProtected ?? true })) {
    const r = byUrn.get(step.urn)!;
    if (step.action !== "delete" || step.component || opts.dropped?.(r)) continue;
    if (r.type === TYPE.command) {
      // The DNS cleanups talk to Cloud DNS, which this world does not hold (test/scripts/faults.test.ts covers them).
      if (typeof r.inputs.delete !== "string" || r.name.endsWith("-dns-cleanup")) continue;
      const out = exec(world, r, "delete");
      if (out.code !== 0) return { failed: `${r.name}: ${out.stderr}` };
    } else if (r.type === "kubernetes:cluster.x-k8s.io/v1beta1:Cluster") {
      const name = r.name.replace(/-cluster$/, "");
      const w = world.state();
      if (!w.servers.jupiter?.up) return { failed: `${r.name}: configured Kubernetes cluster is unreachable` };
      world.update((x) => {
        delete x.servers.jupiter!.clusters[`default/${name}`];
        // CAPI deletes the machines; Equinix may list them as deprovisioning for a while.
        if (x.deprovisioning) for (const d of x.devices) if (d.tags.includes(`capp:cluster-id:${name}`)) d.state = "deprovisioning";
        if (!x.deprovisioning) x.devices = x.devices.filter((d) => !d.tags.includes(`capp:cluster-id:${name}`));
      });
    } else if (r.type === TYPE.reservation) {
      const id = ipId(rec, r);
      world.update((x) => (x.ips = x.ips.filter((i) => i.id !== id)));
    }
  }
  return { failed: null };
}

const remainingIps = (world: World) => world.state().ips.map((i) => i.tags.find((t) => t.startsWith("gocy:role:")));

test("the world's tools: arguments, standard input, relative paths and bounds reach the world; output and exit codes come back exactly", () => {
  const world = createWorld({ devices: [{ id: "d1", tags: ["t"] }] });
  const sh = (script: string, input = "") => spawnSync("/bin/bash", ["-c", script], { env: world.env, cwd: world.dir, input, encoding: "utf8" });
  // kind writes its kubeconfig at a path relative to the caller; kubectl reads the manifest from standard input.
  const up = sh("kind create cluster --name a --kubeconfig rel.kubeconfig && KUBECONFIG=rel.kubeconfig kubectl apply -f - && KUBECONFIG=rel.kubeconfig kubectl get clusters.cluster.x-k8s.io -A -o custom-columns=namespace", "kind: Cluster\nmetadata:\n  name: c1\n");
  assert.deepEqual([up.status, up.stdout, up.stderr], [0, "default/c1\n", ""]);
  assert.deepEqual(world.state().servers["kind:a"]!.clusters, { "default/c1": { paused: false, uid: "uid-c1" } });
  // An argument with a space and a newline arrives whole; a failure keeps its exit code and message.
  const again = sh("kind create cluster --name a; echo \"rc=$?\"; kind delete cluster --name $'x y\\nz'");
  assert.deepEqual([again.status, again.stdout, again.stderr], [0, 'rc=1\nDeleting cluster "x y\nz" ...', 'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "a"\n']);
  // curl writes its body where it is told, relative to the caller, and prints the status (the apply made c1's devices).
  const list = sh("curl --output body --write-out '%{http_code}' --request GET https://api.equinix.com/metal/v1/projects/p/devices");
  const ids = (JSON.parse(readFileSync(path.join(world.dir, "body"), "utf8")) as { devices: Device[] }).devices.map((d) => d.id);
  assert.deepEqual([list.status, list.stdout, ids], [0, "200", ["d1", "dev-1", "dev-2"]]);
  // A hang meets the call's bound (timeout's), and fails at once; an unknown call is reported as such.
  world.inject({ tool: "kind", match: "^kind get clusters", mode: "hang", times: 1 });
  const hang = sh("timeout 5 kind get clusters; echo \"rc=$?\"; cilium status; kind get nodes");
  assert.deepEqual([hang.status, hang.stdout, hang.stderr], [97, "rc=1\n", "kind: timed out (its own bound ran out)\nworld: unsupported call: kind get nodes\n"]);
  assert.deepEqual(world.state().calls.slice(-3), ["kind get clusters", "cilium status", "kind get nodes"]);
});

test("bring-up then destroy: every device and reservation gone but the protected address, and the billing check passes", async () => {
  const rec = await run();
  for (const deprovisioning of [false, true]) {
    const world = newWorld(rec);
    world.update((w) => (w.deprovisioning = deprovisioning));
    bringUp(world, rec);
    addSatellites(world);
    assert.equal(world.state().devices.length, 6);
    assert.deepEqual(Object.keys(world.state().kind), [], "kind was deleted after the adoption (by its own command)");
    const { failed } = destroy(world, rec);
    assert.equal(failed, null, failed ?? "");
    // Devices Equinix is still deprovisioning are going away: no second delete is sent, and the check passes.
    assert.deepEqual(world.state().devices.filter((d) => d.state !== "deprovisioning"), []);
    assert.equal(world.state().devices.length, deprovisioning ? 6 : 0);
    assert.deepEqual(remainingIps(world), ["gocy:role:ingress-anycast"], "only the protected anycast address stays");
  }
});

test("destroy with the barycenter unreachable: after the satellites are dropped from state, the sweep deletes every cluster's devices", async () => {
  const rec = await run();
  const world = newWorld(rec);
  bringUp(world, rec);
  addSatellites(world);
  world.update((w) => (w.servers.jupiter!.up = false));
  const first = destroy(world, rec);
  assert.match(first.failed ?? "", /ganymede-cluster|callisto-cluster: configured Kubernetes cluster is unreachable/);
  // The usual next step (PULUMI_K8S_DELETE_UNREACHABLE=true, or pulumi state delete): the Clusters leave the state.
  const again = destroy(world, rec, { dropped: (r) => r.type === "kubernetes:cluster.x-k8s.io/v1beta1:Cluster" });
  assert.equal(again.failed, null, again.failed ?? "");
  assert.deepEqual(world.state().devices, [], "the satellites' devices were swept too");
});

test("a move that failed after taking the Cluster from kind: a re-run completes it; or a destroy deletes what it left", async () => {
  const rec = await run();
  for (const next of ["up", "destroy"] as const) {
    const world = newWorld(rec);
    bringUp(world, rec, BRING_UP.indexOf("jupiter-move"));
    world.inject({ tool: "clusterctl", match: "^clusterctl move", mode: "then-fail", times: 1 });
    const move = exec(world, byName(rec, "jupiter-move"), "create");
    assert.equal(move.code, 1);
    assert.match(move.stderr, /^gocy: jupiter: clusterctl move failed; run pulumi up again to resume it/m);
    assert.equal(world.state().servers["kind:gocy-jupiter"]!.clusters["default/jupiter"], undefined, "kind no longer holds it");
    assert.equal(world.state().servers.jupiter!.clusters["default/jupiter"]!.paused, true, "the barycenter holds it, paused");
    if (next === "up") {
      const again = exec(world, byName(rec, "jupiter-move"), "create");
      assert.equal(again.code, 0, again.stderr);
      assert.equal(world.state().servers.jupiter!.clusters["default/jupiter"]!.paused, false, "the re-run unpaused it");
    } else {
      // The move is not in Pulumi's state, nor is anything after it.
      const after = new Set(BRING_UP.slice(BRING_UP.indexOf("jupiter-move")));
      const { failed } = destroy(world, rec, { dropped: (r) => after.has(r.name) || r.name === "jupiter-delete-kind" || r.type === "kubernetes:cluster.x-k8s.io/v1beta1:Cluster" });
      assert.equal(failed, null, failed ?? "");
      assert.deepEqual(world.state().devices, [], "the apply's delete found and deleted the barycenter's devices");
    }
  }
});

test("an apply that was never recorded: kind's own delete deletes the Cluster it holds, and with it the devices", async () => {
  const rec = await run();
  const world = newWorld(rec);
  world.inject({ tool: "kubectl", match: "^kubectl apply --server-side --force-conflicts", mode: "then-fail", times: 10 });
  bringUp(world, rec, 2);
  const apply = exec(world, byName(rec, "jupiter-capi-apply"), "create");
  assert.equal(apply.code, 1);
  assert.equal(world.state().devices.length, 2, "the objects were applied and CAPP created devices");
  const recorded = new Set(["jupiter-kind", "jupiter-clusterctl-init-kind", "jupiter-billing-check"]);
  const { failed } = destroy(world, rec, { dropped: (r) => r.type === TYPE.command && !recorded.has(r.name) && !r.name.endsWith("-tags") && !r.name.endsWith("-dns-cleanup") });
  assert.equal(failed, null, failed ?? "");
  assert.deepEqual(world.state().devices, []);
  assert.deepEqual(Object.keys(world.state().kind), []);
});

test("each bring-up command under failure, hang, transient failure and success-then-failure: a clean message, then a converging re-run", async () => {
  const rec = await run();
  const cases: [string, "kind" | "kubectl" | "clusterctl", string][] = [
    // The state-changing commands of the bring-up (the waits and the kind-side clusterctl init follow the same
    // bounded patterns as these).
    ["jupiter-kind", "kind", "^kind create cluster"],
    ["jupiter-capi-apply", "kubectl", "^kubectl apply"],
    ["jupiter-clusterctl-init", "clusterctl", "^clusterctl init"],
    ["jupiter-move", "clusterctl", "^clusterctl move"],
  ];
  for (const [name, tool, match] of cases) {
    const world = newWorld(rec);
    bringUp(world, rec, BRING_UP.indexOf(name));
    if (name === "jupiter-clusterctl-init") world.update((w) => (w.servers.jupiter!.certManager = "program"));
    const before = world.state();
    for (const mode of ["fail", "hang", "transient", "then-fail"] as const) {
      world.update((w) => Object.assign(w, structuredClone(before)));
      world.inject({ tool, match, mode, times: mode === "transient" ? 1 : 100 });
      const first = exec(world, byName(rec, name), "create");
      if (first.code === 0) assert.ok(mode === "transient" || name === "jupiter-capi-apply", `${name} under ${mode} succeeded`);
      world.update((w) => (w.faults = []));
      // The interrupted kind create leaves a broken cluster: the message says to delete it, and then a re-run works.
      if (name === "jupiter-kind" && mode === "then-fail") {
        const broken = exec(world, byName(rec, name), "create");
        assert.match(broken.stderr, /gocy: next: delete it \(kind delete cluster --name gocy-jupiter\)/);
        world.update((w) => {
          delete w.kind["gocy-jupiter"];
          delete w.servers["kind:gocy-jupiter"];
        });
      }
      const again = exec(world, byName(rec, name), "create");
      assert.equal(again.code, 0, `${name} after ${mode}: ${again.stderr}`);
      // Converged: the rest of the bring-up runs (once in full, for the most intricate fault), and nothing doubled.
      bringUp(world, rec, mode === "then-fail" ? BRING_UP.length : BRING_UP.indexOf(name) + 2, BRING_UP.indexOf(name) + 1);
      const w = world.state();
      assert.ok(w.devices.length <= 2, `${name} after ${mode}: no device doubled`);
      if (mode === "then-fail") {
        assert.equal(w.devices.length, 2, `${name} after ${mode}: exactly the barycenter's devices`);
        assert.deepEqual(Object.keys(w.servers.jupiter!.clusters), ["default/jupiter"], `${name} after ${mode}: the barycenter manages itself`);
        assert.equal(w.servers.jupiter!.clusters["default/jupiter"]!.paused, false);
      }
    }
  }
});
