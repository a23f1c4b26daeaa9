/**
 * Every Helm release the program registers, rendered by the real chart at the pinned version (../shared/charts)
 * with exactly the program's values, and checked for what the program intends (test/support/chart-intent.ts):
 * a value the chart accepts but ignores, a peer left out, a Service without its reserved address all show here.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { EXAMPLE_IDS, exampleConfig, recordExample, recordGenerated, requireShared, SHARED } from "../helpers";
import { fakeAddress } from "../../tools/record/fakes";
import { generatedIds } from "../../tools/generate-constellation";
import { realHelm } from "../../tools/upstream-binaries";
import { releasesOf, renderAll, renderRelease, type Rendered, type ReleaseSpec } from "../../tools/render/helm-template";
import { FAKE_CA_CERT_PEM } from "../../tools/record/fake-ca";
import { DNS_SECRET } from "../../lib/builders/apps/names";
import type { Recording } from "../../tools/record/types";
import { certManagerProblems, ciliumProblems, externalDnsProblems, metallbProblems, type ClusterIntent } from "../support/chart-intent";

const CHARTS = path.join(SHARED, "charts");
const KUBERNETES = "v1.33.7";

function clustersOf(rec: Recording): string[] {
  return Object.keys(rec.outputs.mesh as Record<string, unknown>);
}

function specsOf(rec: Recording): ReleaseSpec[] {
  const clusters = clustersOf(rec).sort((a, b) => b.length - a.length);
  return releasesOf(rec, () => KUBERNETES, (r) => clusters.find((c) => r.name.startsWith(`${c}-`))!);
}

/**
 * What each cluster should hold, derived independently of the program's own mesh output: every cluster's pinned ID
 * and the address the recording engine hands its mesh reservation (`<cluster>-vip-mesh`).
 */
function intentOf(rec: Recording, cluster: string, constellation: string): ClusterIntent {
  const config = exampleConfig();
  const vips = rec.outputs.vips as Record<string, Record<string, string>>;
  const ids: Record<string, number> = constellation === "jupiter" ? { ...EXAMPLE_IDS } : generatedIds(constellation, clustersOf(rec).length - 1);
  const mesh = Object.fromEntries(Object.entries(ids).map(([c, id]) => [c, { id, meshAddress: fakeAddress(`${c}-vip-mesh`, { clusterIds: ids, constellation }) }]));
  return {
    cluster,
    mesh,
    ingressAddress: vips[cluster]!.ingress!,
    ingress: "cilium",
    caCertPem: FAKE_CA_CERT_PEM,
    constellation,
    gcpProject: config["gcp:project"]!,
    domain: config["gocy:domain"]!,
    dnsZone: config["gocy:dnsZone"]!,
  };
}

/** Every problem of every release, by resource. */
function problems(rendered: readonly Rendered[], rec: Recording, constellation: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of rendered) {
    const want = intentOf(rec, r.spec.cluster, constellation);
    const found =
      r.spec.chart === "cilium"
        ? ciliumProblems(r, want)
        : r.spec.chart === "metallb"
          ? metallbProblems(r)
          : r.spec.chart === "cert-manager"
            ? certManagerProblems(r)
            : r.spec.chart === "external-dns"
              ? externalDnsProblems(r, want, DNS_SECRET)
              : [`no intent known for chart ${r.spec.chart}`];
    if (found.length > 0) out[r.spec.resource] = found;
  }
  return out;
}

/** The example's releases, rendered once for the tests that read them unchanged. */
let exampleRendered: Promise<{ rec: Recording; rendered: Rendered[] }> | undefined;
const renderedExample = (helm: string) =>
  (exampleRendered ??= recordExample().then((rec) => ({ rec, rendered: rec.error === null ? renderAll(helm, CHARTS, specsOf(rec)) : [] })));

async function setUp(t: TestContext): Promise<string | undefined> {
  if (!requireShared(t)) return undefined;
  return realHelm();
}

test("every release of the example renders with the real chart and does what the program intends", async (t) => {
  const helm = await setUp(t);
  if (!helm) return;
  const { rec, rendered } = await renderedExample(helm);
  assert.equal(rec.error, null, rec.error ?? "");
  assert.deepEqual(rendered.map((r) => r.spec.resource).sort(), [
    "callisto-cert-manager", "callisto-cilium", "callisto-external-dns", "callisto-metallb",
    "ganymede-cert-manager", "ganymede-cilium", "ganymede-external-dns", "ganymede-metallb",
    "jupiter-cert-manager", "jupiter-cilium", "jupiter-external-dns", "jupiter-metallb",
  ]);
  assert.deepEqual(problems(rendered, rec, "jupiter"), {});
  for (const r of rendered) assert.ok(r.objects.length > 3, `${r.spec.resource}: ${r.objects.length} objects`);
});

test("every release of a 10-cluster constellation renders and meshes every cluster with every other", async (t) => {
  const helm = await setUp(t);
  if (!helm) return;
  const rec = await recordGenerated(9);
  assert.equal(rec.error, null, rec.error ?? "");
  const specs = specsOf(rec);
  assert.equal(specs.length, 40);
  assert.deepEqual(problems(renderAll(helm, CHARTS, specs), rec, "gen"), {});
});

test("deliberate breaks are caught: an ignored value, a missing peer, a wrong pool, the old fake CA", async (t) => {
  const helm = await setUp(t);
  if (!helm) return;
  const rec = await recordExample();
  const spec = specsOf(rec).find((s) => s.resource === "ganymede-cilium")!;
  const values = spec.values as Record<string, any>;
  const check = (v: Record<string, any>) => ciliumProblems(renderRelease(helm, CHARTS, { ...spec, values: v }), intentOf(rec, "ganymede", "jupiter"));
  // WireGuard asked for, but encryption off: the chart accepts the value and ignores it.
  assert.deepEqual(check({ ...values, encryption: { ...values.encryption, enabled: false } }), ['cilium-config enable-wireguard is undefined, expected "true"']);
  // A peer left out of the membership.
  const clusters = values.clustermesh.config.clusters.filter((c: { name: string }) => c.name !== "callisto");
  assert.deepEqual(check({ ...values, clustermesh: { ...values.clustermesh, config: { ...values.clustermesh.config, clusters } } }), [
    "cilium-kvstoremesh lists jupiter, expected callisto,jupiter",
    "clustermesh-apiserver resolves callisto.mesh.cilium.io to nothing, expected its reserved 203.0.113.3",
  ]);
  // The mesh Service on the wrong pool.
  const service = { ...values.clustermesh.apiserver.service, annotations: { ...values.clustermesh.apiserver.service.annotations, "metallb.io/address-pool": "ingress" } };
  assert.deepEqual(check({ ...values, clustermesh: { ...values.clustermesh, apiserver: { ...values.clustermesh.apiserver, service } } }), [
    'Service clustermesh-apiserver takes pool "ingress", expected "mesh"',
  ]);
  // The recording engine's old fake CA (a sentence, not a certificate): the chart refuses it.
  const sentence = Buffer.from(`-----BEGIN CERTIFICATE-----\n${Buffer.from("offline placeholder certificate jupiter-mesh-ca").toString("base64")}\n-----END CERTIFICATE-----\n`).toString("base64");
  assert.throws(() => renderRelease(helm, CHARTS, { ...spec, values: { ...values, tls: { ...values.tls, ca: { ...values.tls.ca, cert: sentence } } } }), /ganymede-cilium: helm template cilium 1\.18\.10 refused the program's values:\n[\s\S]*x509: malformed certificate/);
});

test("every built-in object the program registers or a chart renders has only fields the API knows; custom objects match their CRDs", async (t) => {
  const helm = await setUp(t);
  if (!helm) return;
  const { builtinProblems } = await import("../support/builtin-schema");
  const { CRD_FILES, validateObject, strictCrdSchema, formatErrors } = await import("../support/schemas");
  const { isBuiltInApiVersion } = await import("../../lib/builders/kubernetes-api");
  const { plainValues } = await import("../../tools/render/helm-template");
  const Ajv = (await import("ajv")).default;
  const { rec, rendered } = await renderedExample(helm);
  assert.equal(rec.error, null, rec.error ?? "");
  // The objects, each once: registered directly (their inputs), and rendered by the charts.
  const registered = rec.resources
    .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh"))
    .map((r) => ({ where: r.name, obj: plainValues(r.inputs as never) as { apiVersion: string; kind: string } }));
  const fromCharts = rendered.flatMap((r) => r.objects.map((o) => ({ where: `${r.spec.resource}: ${o.kind}/${o.metadata.name}`, obj: o as { apiVersion: string; kind: string } })));
  const crds = new Map<string, unknown>();
  // Each CRD version's schema compiled once, however many objects of its kind the charts render.
  const compiled = new Map<string, ReturnType<InstanceType<typeof Ajv>["compile"]>>();
  for (const { obj } of fromCharts) {
    if (obj.kind !== "CustomResourceDefinition") continue;
    const spec = (obj as unknown as { spec: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema: unknown } }[] } }).spec;
    for (const v of spec.versions) if (v.schema) crds.set(`${spec.group}/${v.name}/${spec.names.kind}`, v.schema.openAPIV3Schema);
  }
  const problems: string[] = [];
  const noSchema = new Map<string, number>();
  let builtIn = 0;
  let custom = 0;
  for (const { where, obj } of [...registered, ...fromCharts]) {
    if (isBuiltInApiVersion(obj.apiVersion)) {
      const found = builtinProblems(obj);
      if (found === undefined) noSchema.set(`${obj.apiVersion} ${obj.kind}`, (noSchema.get(`${obj.apiVersion} ${obj.kind}`) ?? 0) + 1);
      else {
        builtIn++;
        problems.push(...found.map((p) => `${where}: ${p}`));
      }
    } else if (CRD_FILES[`${obj.apiVersion}/${obj.kind}`]) {
      custom++;
      const e = validateObject(obj);
      if (e) problems.push(`${where}: ${e}`);
    } else if (crds.has(`${obj.apiVersion}/${obj.kind}`)) {
      custom++;
      const kindKey = `${obj.apiVersion}/${obj.kind}`;
      let validate = compiled.get(kindKey);
      if (!validate) compiled.set(kindKey, (validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(strictCrdSchema(crds.get(kindKey)) as object)));
      if (!validate(obj)) problems.push(`${where}: ${formatErrors(validate.errors)}`);
    } else noSchema.set(`${obj.apiVersion} ${obj.kind}`, (noSchema.get(`${obj.apiVersion} ${obj.kind}`) ?? 0) + 1);
  }
  assert.deepEqual(problems, []);
  assert.ok(builtIn > 300, `${builtIn} built-in objects validated`);
  assert.ok(custom > 20, `${custom} custom objects validated`);
  // Kinds no schema here describes are listed, never passed silently.
  t.diagnostic(`no schema for: ${[...noSchema].map(([k, n]) => `${k} ×${n}`).join(", ") || "none"}`);
  assert.deepEqual([...noSchema.keys()].sort(), []);
});

test("an unknown field on a built-in kind is refused, as the API server's strict field validation refuses it", async () => {
  const { builtinProblems } = await import("../support/builtin-schema");
  const { whoamiDeployment, whoamiService } = await import("../../lib/builders/apps/whoami");
  assert.deepEqual(builtinProblems(whoamiDeployment("ganymede") as never), []);
  const d = whoamiDeployment("ganymede") as any;
  d.spec.template.spec.containers[0].securityContext.runAsNonroot = true;
  assert.deepEqual(builtinProblems(d), ["Deployment.spec.template.spec.containers[0].securityContext.runAsNonroot: unknown field"]);
  const s = whoamiService(true) as any;
  s.spec.ports[0].targetport = 80;
  assert.deepEqual(builtinProblems(s), ["Service.spec.ports[0].targetport: unknown field"]);
});

test("npm run render writes each release's manifests per cluster, with no secret in them", async (t) => {
  if (!requireShared(t)) return;
  const { spawnSync } = await import("node:child_process");
  const { mkdtempSync, readdirSync, readFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { PROJECT_ROOT, SENTINELS } = await import("../helpers");
  const { CACHE_ENV } = await import("../../tools/record/engine");
  const out = mkdtempSync(path.join(tmpdir(), "gocy-render-out-"));
  const secrets = Object.values(SENTINELS);
  const r = spawnSync(process.execPath, ["--import", "tsx", "tools/plan.ts", "--render", "--out", out, "--charts", CHARTS, ...secrets.map((s, i) => `--secret=${Object.keys(SENTINELS)[i]}=${s}`)], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, [CACHE_ENV]: "1" } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Rendered 12 releases to .*\/<cluster>\/rendered\/ \(\d+ objects\)\.$/m);
  // Secrets: the sentinels of the config, the mesh CA's key (the recording engine's fake, which the chart copies into
  // cilium-ca), and any private key the charts generate.
  const { FAKE_CA_KEY_PEM } = await import("../../tools/record/fake-ca");
  const forbidden = [...secrets, FAKE_CA_KEY_PEM.split("\n")[1]!, Buffer.from(FAKE_CA_KEY_PEM).toString("base64").slice(0, 40), "PRIVATE KEY", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVk", "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS"];
  for (const c of ["jupiter", "ganymede", "callisto"]) {
    assert.deepEqual(readdirSync(path.join(out, c, "rendered")).sort(), ["cert-manager.yaml", "cilium.yaml", "external-dns.yaml", "metallb.yaml"]);
    for (const f of readdirSync(path.join(out, c, "rendered"))) {
      const text = readFileSync(path.join(out, c, "rendered", f), "utf8");
      for (const s of forbidden) assert.ok(!text.includes(s), `${c}/rendered/${f} holds ${s.slice(0, 20)}`);
    }
    const text = readFileSync(path.join(out, c, "rendered", "cilium.yaml"), "utf8");
    assert.match(text, /^# cilium 1\.18\.10 rendered by helm template with the plan's values \(Kubernetes v1\.33\.7\); every Secret's data shown as \[secret\]\.$/m);
    assert.match(text, /^kind: Secret\nmetadata:\n {2}name: cilium-ca\n[\s\S]*?^ {2}ca\.key: "\[secret\]"$/m);
  }
});
