/**
 * What the Kubernetes provider awaits (tools/record/lifecycle.ts awaitOf): every awaited resource comes after what
 * it waits for (its cluster's readiness, the address pools it needs) with a timeout bounded by the configured wait,
 * or is awaited before the readiness for a reason stated here; none keeps the provider's 10-minute default.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { byName, EXAMPLE_IDS, recordExample, recordGenerated } from "../helpers";
import { closure } from "../support/graph";
import { awaitOf } from "../../tools/record/lifecycle";
import type { RecordedResource, Recording } from "../../tools/record/types";

/**
 * Awaited before their cluster's readiness wait, on purpose. Each needs only the CNI and a worker, which come up
 * whether or not it is ready (the readiness wait does not depend on it, so no cycle), and what depends on it needs
 * it serving: MetalLB's objects need its webhook, the issuers and Secrets cert-manager's.
 */
const AWAITED_BEFORE_READY: Readonly<Record<string, string>> = {
  metallb: "MetalLB's own objects are refused until its webhook serves",
  "cert-manager": "the issuers are refused until its webhook serves; the move's probe needs it",
};

const DEFAULT_WAIT_SECONDS = 3600;

function clusterOf(r: RecordedResource, clusters: readonly string[]): string {
  const c = clusters.filter((n) => r.name.startsWith(`${n}-`)).sort((a, b) => b.length - a.length)[0];
  assert.ok(c, `${r.name} belongs to a cluster`);
  return c;
}

function assertAwaits(rec: Recording, clusters: readonly string[], waitSeconds: number): number {
  assert.equal(rec.error, null, rec.error ?? "");
  let awaited = 0;
  for (const r of rec.resources) {
    const a = awaitOf(r);
    if (a === null) continue;
    awaited++;
    assert.ok(a.timeoutSeconds !== null, `${r.name} is awaited (${a.until}) with the provider's default of ${a.defaultTimeoutSeconds}s: give it the wait timeout`);
    assert.ok(a.timeoutSeconds <= waitSeconds, `${r.name}: ${a.timeoutSeconds}s exceeds the wait timeout ${waitSeconds}s`);
    const cluster = clusterOf(r, clusters);
    const after = closure(rec, r.urn);
    const role = r.name.slice(cluster.length + 1);
    if (!(role in AWAITED_BEFORE_READY)) {
      assert.ok(after.has(byName(rec, `${cluster}-wait-ready`).urn), `${r.name} is awaited (${a.until}) but does not come after ${cluster}'s readiness wait`);
    }
    if (r.type === "kubernetes:networking.k8s.io/v1:Ingress") {
      const pools = rec.resources.filter((x) => x.name.startsWith(`${cluster}-`) && x.type === "kubernetes:metallb.io/v1beta1:IPAddressPool");
      assert.ok(pools.length > 0 && pools.every((p) => after.has(p.urn)), `${r.name} waits for a load-balancer address: after ${cluster}'s address pools`);
    }
  }
  return awaited;
}

test("every awaited resource of the example comes after its cluster's readiness, bounded by the wait timeout", async () => {
  const rec = await recordExample();
  const n = assertAwaits(rec, Object.keys(EXAMPLE_IDS), DEFAULT_WAIT_SECONDS);
  // whoami: Deployment, Service and Ingress on each satellite, the Service on the barycenter; external-dns, MetalLB
  // and cert-manager releases on each cluster.
  assert.equal(n, 2 * 3 + 1 + 3 * 3);
});

test("with a shorter wait, and for a 10-cluster constellation, the same holds", async () => {
  const rec = await recordExample({ overrides: { "gocy:waitTimeoutMinutes": "45" } });
  assertAwaits(rec, Object.keys(EXAMPLE_IDS), 45 * 60);
  const gen = await recordGenerated(9);
  const clusters = [...new Set(gen.resources.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => r.name.replace(/-adoption$/, "")))];
  assert.equal(clusters.length, 10);
  assertAwaits(gen, clusters, DEFAULT_WAIT_SECONDS);
});

test("the await model follows the provider: skipAwait, customTimeouts, Helm's timeout and unawaited kinds", () => {
  const base = { urn: "u", name: "n", custom: true, remote: false, parent: null, provider: null, providers: {}, dependencies: [], configKnown: true };
  const options = { protect: false, retainOnDelete: false, deletedWith: null, ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [], deleteBeforeReplace: false, aliases: [], customTimeouts: null };
  const deployment = { ...base, type: "kubernetes:apps/v1:Deployment", options, inputs: { metadata: { name: "x" } } };
  assert.deepEqual(awaitOf(deployment), { until: "Available, every replica of the new ReplicaSet ready", defaultTimeoutSeconds: 600, timeoutSeconds: null });
  assert.equal(awaitOf({ ...deployment, options: { ...options, customTimeouts: { create: "1800s" } } })!.timeoutSeconds, 1800);
  assert.equal(awaitOf({ ...deployment, inputs: { metadata: { annotations: { "pulumi.com/skipAwait": "true" } } } }), null);
  assert.equal(awaitOf({ ...deployment, type: "kubernetes:core/v1:Namespace" }), null);
  assert.equal(awaitOf({ ...deployment, type: "kubernetes:core/v1:Secret" }), null);
  const release = { ...base, type: "kubernetes:helm.sh/v3:Release", options, inputs: { chart: "c" } };
  assert.deepEqual(awaitOf(release), { until: "every object of the release ready (helm --wait)", defaultTimeoutSeconds: 300, timeoutSeconds: null });
  assert.equal(awaitOf({ ...release, inputs: { skipAwait: true } }), null);
  assert.equal(awaitOf({ ...release, inputs: { timeout: 3600 } })!.timeoutSeconds, 3600);
  assert.equal(awaitOf({ ...deployment, options: { ...options, customTimeouts: { create: "1h30m" } } })!.timeoutSeconds, 5400);
  // pulumi.com/waitFor replaces the built-in awaiter, for any kind.
  assert.equal(awaitOf({ ...deployment, type: "kubernetes:cilium.io/v2:CiliumNetworkPolicy", inputs: { metadata: { annotations: { "pulumi.com/waitFor": "condition=Ready" } } } })!.until, "pulumi.com/waitFor: condition=Ready");
});

test("PULUMI_K8S_AWAIT_ALL=true is refused before anything is registered, in a preview too; the offline plan warns", async () => {
  const preview = await recordExample({ preview: true, offlineSignal: false, env: { PULUMI_K8S_AWAIT_ALL: "true" } });
  assert.match(preview.error ?? "", /^the environment would stall the bring-up:\nPULUMI_K8S_AWAIT_ALL=true is set: the Kubernetes provider would wait for every Cluster API object/);
  assert.equal(preview.resources.filter((r) => r.custom).length, 0, "nothing registered");
  const plan = await recordExample({ env: { PULUMI_K8S_AWAIT_ALL: "true" } });
  assert.equal(plan.error, null);
  assert.ok(plan.logs.some((l) => l.severity === "warning" && l.message.includes("PULUMI_K8S_AWAIT_ALL=true is set")));
  // The provider acts on exactly "true" (metadata/overrides.go); anything else is not refused.
  const other = await recordExample({ preview: true, offlineSignal: false, env: { PULUMI_K8S_AWAIT_ALL: "1" } });
  assert.equal(other.error, null, other.error ?? "");
});
