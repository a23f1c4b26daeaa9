import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { recordExample } from "../helpers";
import { findCycle } from "../support/graph";

test("adding a worker group to one cluster changes nothing outside that cluster", async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "gocy-stab-")), "c.yaml");
  const text = readFileSync("constellations/jupiter.constellation.yaml", "utf8");
  const at = text.indexOf("- name: callisto");
  writeFileSync(file, text.slice(0, at) + text.slice(at).replace("  worker_nodes:\n  - count: 2\n    plan: m3.small.x86\n", "  worker_nodes:\n  - count: 2\n    plan: m3.small.x86\n  - count: 1\n    plan: c3.small.x86\n"));
  const [before, after] = await Promise.all([recordExample(), recordExample({ overrides: { "gocy:constellation": file } })]);
  const afterByUrn = new Map(after.resources.map((r) => [r.urn, r]));
  const changed: string[] = [];
  for (const r of before.resources) {
    const a = afterByUrn.get(r.urn);
    assert.ok(a, `${r.urn} survives`);
    if (JSON.stringify([r.inputs, r.options, r.dependencies]) !== JSON.stringify([a.inputs, a.options, a.dependencies])) changed.push(r.name);
  }
  for (const name of changed) assert.ok(name.startsWith("callisto-"), `${name} changed`);
  assert.deepEqual(changed.sort(), ["callisto-wait-initialized", "callisto-wait-ready"], "only the waits that follow every CAPI object of the cluster");
  const added = after.resources.filter((r) => !before.resources.some((b) => b.urn === r.urn)).map((r) => r.name).sort();
  assert.deepEqual(added, ["callisto-c3-small-x86", "callisto-c3-small-x86-config", "callisto-c3-small-x86-machines"]);
});

test("real-preview safety over the whole program: no remote component, every read unknown, no cycle, no await on CAPI", async () => {
  const [update, preview] = await Promise.all([recordExample(), recordExample({ preview: true })]);
  for (const rec of [update, preview]) {
    assert.equal(rec.error, null);
    assert.deepEqual(rec.resources.filter((r) => r.remote).map((r) => r.name), [], "remote components fail on an unknown kubeconfig");
    assert.equal(findCycle(rec), undefined);
  }
  assert.ok(preview.reads.length >= 6);
  for (const read of preview.reads) assert.equal(read.id, "[unknown]", `${read.name} would run in a first preview`);
  assert.deepEqual(preview.logs.filter((l) => l.message.includes("known id during preview")), []);
  for (const r of update.resources.filter((x) => /x-k8s\.io/.test(x.type))) {
    assert.equal(((r.inputs as any).metadata?.annotations ?? {})["pulumi.com/waitFor"], undefined, r.name);
  }
  for (const r of update.resources.filter((x) => x.type === "command:local:Command" && x.name.endsWith("-capi-apply"))) assert.doesNotMatch(String(r.inputs.stdin), /pulumi\.com\/waitFor/);
  const providers = preview.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
  assert.ok(providers.every((p) => p.inputs.kubeconfig === "[unknown]"), "in a first preview every cluster's kubeconfig is unknown");
});
