/**
 * `pulumi destroy` as the engine runs it (tools/record/lifecycle.ts destroyOrder): the graph backwards, in waves,
 * with deletedWith skips, retained and protected resources.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { byName, recordExample, TYPE } from "../helpers";
import { destroyOrder, type DestroyStep } from "../../tools/record/lifecycle";
import type { Recording } from "../../tools/record/types";

const SATELLITES = ["ganymede", "callisto"];
let example: Promise<Recording> | undefined;
const run = () => (example ??= recordExample());

function waveOf(steps: readonly DestroyStep[], urn: string): number {
  const s = steps.find((x) => x.urn === urn);
  assert.ok(s, `${urn} is in the destroy`);
  return s.wave;
}

test("every DNS cleanup runs before the DNS grants and the key are deleted", async () => {
  const rec = await run();
  const steps = destroyOrder(rec);
  const account = ["jupiter-dns-zone-admin", "jupiter-dns-reader", "jupiter-dns-key", "jupiter-dns"].map((n) => rec.resources.find((r) => r.name === n && r.custom)!);
  for (const cluster of ["jupiter", ...SATELLITES]) {
    const cleanup = byName(rec, `${cluster}-dns-cleanup`, TYPE.command);
    assert.equal(steps.find((s) => s.urn === cleanup.urn)!.action, "delete", "the cleanup's delete runs");
    for (const a of account) assert.ok(waveOf(steps, cleanup.urn) < waveOf(steps, a.urn), `${cluster}'s DNS cleanup before ${a.name}`);
  }
});

test("a DNS cleanup that fails (Cloud DNS down) keeps the grants and the key, so a re-run of destroy still has the roles", async () => {
  const rec = await run();
  for (const cluster of ["jupiter", ...SATELLITES]) {
    const cleanup = byName(rec, `${cluster}-dns-cleanup`, TYPE.command);
    const steps = destroyOrder(rec, { failing: [cleanup.urn] });
    for (const name of ["jupiter-dns-zone-admin", "jupiter-dns-reader", "jupiter-dns-key"]) {
      const r = rec.resources.find((x) => x.name === name && x.custom)!;
      assert.equal(steps.find((s) => s.urn === r.urn)!.action, "kept: a dependent's delete failed", `${name} stays while ${cluster}'s cleanup failed`);
    }
  }
});

test("every satellite's Cluster is deleted, and waited for, before the barycenter's move teardown and the adoption", async () => {
  const rec = await run();
  const steps = destroyOrder(rec);
  const move = byName(rec, "jupiter-move");
  assert.equal(steps.find((s) => s.urn === move.urn)!.action, "delete");
  const adopted = byName(rec, "jupiter-cluster");
  assert.equal(steps.find((s) => s.urn === adopted.urn)!.action, "retained", "the adopted Cluster is never deleted as such");
  for (const s of SATELLITES) {
    const cluster = byName(rec, `${s}-cluster`);
    assert.equal(steps.find((x) => x.urn === cluster.urn)!.action, "delete");
    assert.ok(waveOf(steps, cluster.urn) < waveOf(steps, move.urn), `${s}'s Cluster before the move's teardown`);
    assert.ok(waveOf(steps, cluster.urn) < waveOf(steps, adopted.urn), `${s}'s Cluster before the adoption goes`);
    // Its DNS cleanup only once the cluster is gone (external-dns cannot write the records back).
    assert.ok(waveOf(steps, cluster.urn) < waveOf(steps, byName(rec, `${s}-dns-cleanup`).urn));
  }
});

test("once a cluster's Cluster goes, nothing else of it is deleted one by one", async () => {
  const rec = await run();
  const steps = destroyOrder(rec);
  const action = new Map(steps.map((s) => [s.urn, s.action]));
  for (const s of SATELLITES) {
    const cluster = byName(rec, `${s}-cluster`);
    const onIt = rec.resources.filter((r) => r.options.deletedWith === cluster.urn);
    assert.ok(onIt.length > 20, `${onIt.length} resources go with ${s}'s Cluster`);
    for (const r of onIt) assert.equal(action.get(r.urn), "skipped: deletedWith", r.name);
    // Every in-cluster object of the satellite (on its own provider) goes with the Cluster.
    const provider = byName(rec, s, "pulumi:providers:kubernetes");
    for (const r of rec.resources.filter((x) => x.provider === provider.urn)) assert.equal(action.get(r.urn), "skipped: deletedWith", r.name);
  }
  // The barycenter's in-cluster objects go with its apply command (the move teardown deletes the cluster).
  const baryProvider = byName(rec, "jupiter", "pulumi:providers:kubernetes");
  for (const r of rec.resources.filter((x) => x.provider === baryProvider.urn && !/cluster\.x-k8s\.io\//.test(x.type))) {
    assert.equal(action.get(r.urn), "skipped: deletedWith", r.name);
  }
});

test("a plain destroy stops at the protected anycast reservation; --exclude-protected keeps it and only what it needs", async () => {
  const rec = await run();
  const plain = destroyOrder(rec);
  assert.deepEqual(plain.filter((s) => s.action === "protected").map((s) => s.urn.split("::").pop()), ["jupiter-anycast-ingress"]);
  const excluded = destroyOrder(rec, { excludeProtected: true });
  const kept = (component: boolean) =>
    excluded
      .filter((s) => s.action === "kept: --exclude-protected" && s.component === component)
      .map((s) => s.urn.split("::").slice(-2).join("::"))
      .sort();
  assert.deepEqual(kept(false), [
    "gocy:index:AnycastIngress$equinix-metal:index/reservedIpBlock:ReservedIpBlock::jupiter-anycast-ingress",
    "pulumi:providers:equinix-metal::equinix-metal",
  ]);
  assert.deepEqual(kept(true), ["gocy:index:AnycastIngress::jupiter", "pulumi:pulumi:Stack::gocy-jupiter"]);
  assert.equal(excluded.filter((s) => s.action === "protected").length, 0);
});

test("deletes are ordered: nothing is deleted before what depends on it", async () => {
  const rec = await run();
  const steps = destroyOrder(rec);
  const wave = new Map(steps.map((s) => [s.urn, s.wave]));
  for (const r of rec.resources) {
    for (const d of [...r.dependencies, r.parent, r.provider, r.options.deletedWith]) {
      if (d && wave.has(d)) assert.ok(wave.get(r.urn)! < wave.get(d)!, `${r.name} before ${d}`);
    }
  }
});

test("plan.json carries the destroy order, and the plan prints it per cluster", async () => {
  const rec = await run();
  const { planDocument } = await import("../../tools/plan-json");
  const doc = planDocument(rec, "constellations/jupiter.constellation.yaml");
  const destroy = doc.destroy as { urn: string; wave: number; action: string }[];
  assert.equal(destroy.length, rec.resources.length);
  assert.deepEqual([...new Set(destroy.map((s) => s.action))].sort(), ["delete", "protected", "retained", "skipped: deletedWith"]);
  for (let i = 1; i < destroy.length; i++) assert.ok(destroy[i - 1]!.wave <= destroy[i]!.wave, "listed in the order the engine runs them");
  const { destroySummary } = await import("../../tools/plan-summary");
  const lines = destroySummary(rec, new Map(rec.resources.map((r) => [r.urn, r])), ["jupiter", ...SATELLITES]);
  const ganymede = lines.slice(lines.indexOf("  ganymede: 10 deletes"), lines.indexOf("  callisto: 10 deletes"));
  assert.deepEqual(ganymede, [
    "  ganymede: 10 deletes",
    "    wave  2: ganymede-wait-mesh-address",
    "    wave  3: ganymede-wait-initialized, ganymede-wait-ready",
    "    wave  6: ganymede-cluster",
    "    wave 19: ganymede-vip-cp-tags, ganymede-vip-mesh-tags",
    "    wave 20: ganymede-dns-cleanup, ganymede-vip-cp, ganymede-vip-mesh",
    "    wave 22: ganymede",
    "    and 28 more that go with their cluster (deletedWith), without a call of their own",
  ]);
  assert.equal(lines.at(-1), "    protected, kept by --exclude-protected: jupiter-anycast-ingress");
  for (const l of lines) assert.ok([...l].length <= 100, l);
});
