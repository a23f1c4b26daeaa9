import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { loadConstellation } from "../../lib/constellation/load";
import { buildCiliumValues } from "../../lib/builders/helm/cilium";
import { buildCertManagerValues, buildMetallbValues } from "../../lib/builders/helm/addons";
import { CHARTS } from "../../lib/builders/helm/charts";
import { PROJECT_ROOT, requireShared } from "../helpers";
import { chartSchema, validateValues } from "../support/schemas";

const c = loadConstellation(path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml")).constellation;

test("each chart is pinned to the release whose values schema the tests hold", () => {
  assert.equal(CHARTS.cilium.version, "1.18.10");
  assert.equal(CHARTS.metallb.version, "0.16.1");
  assert.equal(CHARTS.certManager.version, "v1.21.1");
});

test("Cilium's values validate against its chart schema with no undeclared key, and carry the Talos settings", (t) => {
  if (!requireShared(t)) return;
  const schema = chartSchema("cilium/v1.18.10");
  for (const [i, cluster] of [c.barycenter, ...c.satellites].entries()) {
    const values = buildCiliumValues({ cluster, clusterId: i + 1, meshAddress: `203.0.113.${i + 1}` });
    assert.deepEqual(validateValues(values, schema), []);
    assert.deepEqual(values.cluster, { name: cluster.name, id: i + 1 });
  }
  const v = buildCiliumValues({ cluster: c.barycenter, clusterId: 1, meshAddress: "203.0.113.1" }) as any;
  assert.equal(v.k8sServiceHost, "localhost");
  assert.equal(v.k8sServicePort, 7445);
  assert.equal(v.kubeProxyReplacement, true);
  assert.deepEqual(validateValues({ ...v, kubeProxyReplacment: true }, schema), ["values.kubeProxyReplacment: not declared by the chart's schema"], "the undeclared-key check is not vacuous");
});

test("MetalLB's and cert-manager's values validate against their chart schemas", (t) => {
  if (!requireShared(t)) return;
  assert.deepEqual(validateValues(buildMetallbValues(), chartSchema("metallb/v0.16.1")), []);
  assert.deepEqual(validateValues(buildCertManagerValues(), chartSchema("cert-manager/v1.21.1")), []);
  assert.deepEqual(buildCertManagerValues(), { crds: { enabled: true, keep: true } });
});
