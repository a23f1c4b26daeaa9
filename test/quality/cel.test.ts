import { test } from "node:test";
import assert from "node:assert/strict";
import { recordExample, requireShared } from "../helpers";
import { CRD_FILES } from "../support/schemas";
import { evaluateCel } from "../support/cel";
import { redact } from "../../tools/plan-json";
import { defineCluster } from "../../lib/builders/capi/manifest";
import { loadConstellation } from "../../lib/constellation/load";
import { allClusters } from "../../lib/constellation/model";

test("every CEL rule of our CRDs that the library supports holds for every rendered object; skipped rules are listed", async (t) => {
  if (!requireShared(t)) return;
  const rec = await recordExample();
  const objects: { apiVersion: string; kind: string }[] = rec.resources
    .filter((r) => r.type.startsWith("kubernetes:") && /\.io\//.test(r.type))
    .map((r) => redact(r.inputs) as { apiVersion: string; kind: string });
  const c = loadConstellation("constellations/jupiter.constellation.yaml").constellation;
  for (const cluster of allClusters(c)) objects.push(...defineCluster(cluster, "p", "192.0.2.1").list);
  const evaluated = new Set<string>();
  const skipped = new Set<string>();
  const failed: string[] = [];
  let checked = 0;
  for (const o of objects) {
    const file = CRD_FILES[`${o.apiVersion}/${o.kind}`];
    if (!file) continue;
    checked++;
    const r = await evaluateCel(file, o.apiVersion.split("/")[1]!, o);
    r.evaluated.forEach((e) => evaluated.add(e));
    r.skipped.forEach((e) => skipped.add(e));
    failed.push(...r.failed);
  }
  assert.ok(checked > 30, `${checked} objects checked`);
  assert.deepEqual(failed, []);
  t.diagnostic(`CEL: ${evaluated.size} rules evaluated, ${skipped.size} skipped:\n${[...skipped].join("\n")}`);
  const files = new Set([...evaluated].map((e) => e.split(" ")[0]));
  // Rules sit on the fields they constrain: only those our objects set are evaluated (ClusterIssuer's is under
  // `venafi`, BGPPeer's under hold and keepalive times, none of which we set).
  assert.ok(files.has("metallb/v0.16.1/metallb.io_bgpadvertisements.yaml"), "the BGPAdvertisement rule was evaluated");
  assert.deepEqual([...skipped], [], "no rule on a field we set was skipped");
});

test("the CEL evaluation is not vacuous: a BGPAdvertisement mixing serviceSelectors and aggregationLength fails its rule", async (t) => {
  if (!requireShared(t)) return;
  const bad = { apiVersion: "metallb.io/v1beta1", kind: "BGPAdvertisement", metadata: { name: "x" }, spec: { aggregationLength: 24, serviceSelectors: [{ matchLabels: { a: "b" } }] } };
  const r = await evaluateCel(CRD_FILES["metallb.io/v1beta1/BGPAdvertisement"]!, "v1beta1", bad);
  assert.equal(r.failed.length, 1);
  assert.match(r.failed[0]!, /serviceSelectors and aggregationLength are mutually exclusive/);
  const issuer = { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "x" }, spec: { venafi: { zone: "z", tpp: { url: "u" }, cloud: { apiTokenSecretRef: { name: "n" } } } } };
  const r2 = await evaluateCel(CRD_FILES["cert-manager.io/v1/ClusterIssuer"]!, "v1", issuer);
  assert.match(r2.failed.join(), /exactly one of tpp, cloud, or ngts/);
});

test("every CEL rule in the CRDs we validate against is counted: parsed by the library, or listed as skipped", async (t) => {
  if (!requireShared(t)) return;
  const { parse } = (await import("@marcbachmann/cel-js")) as { parse: (expr: string) => unknown };
  const { readFileSync } = await import("node:fs");
  const path = await import("node:path");
  const { parse: parseYaml } = await import("yaml");
  const { SCHEMAS } = await import("../support/schemas");
  const rules: { file: string; rule: string }[] = [];
  const collect = (s: unknown, file: string) => {
    if (Array.isArray(s)) return s.forEach((x) => collect(x, file));
    if (s === null || typeof s !== "object") return;
    for (const v of ((s as any)["x-kubernetes-validations"] ?? []) as { rule: string }[]) rules.push({ file, rule: v.rule });
    for (const x of Object.values(s)) collect(x, file);
  };
  for (const file of new Set(Object.values(CRD_FILES))) collect(parseYaml(readFileSync(path.join(SCHEMAS, file), "utf8")), file);
  const skipped: string[] = [];
  for (const r of rules) {
    if (/\boldSelf\b/.test(r.rule)) skipped.push(`${r.file}: ${r.rule} (transition rule)`);
    else
      try {
        parse(r.rule);
      } catch (err) {
        skipped.push(`${r.file}: ${r.rule} (${(err as Error).message.split("\n")[0]})`);
      }
  }
  t.diagnostic(`${rules.length} CEL rules in our CRDs; ${rules.length - skipped.length} parsed; ${skipped.length} skipped:\n${skipped.join("\n")}`);
  assert.equal(rules.length, 5);
  assert.deepEqual(skipped.map((s) => s.split(":")[0]), ["metallb/v0.16.1/metallb.io_bgppeers.yaml"]);
});
