import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { byName, recordExample, requireShared } from "../helpers";
import { closure } from "../support/graph";
import { validateObject } from "../support/schemas";
import { planDocument, redact, renderPlan } from "../../tools/plan-json";
import type { Recording } from "../../tools/record/types";

const SATS = ["ganymede", "callisto"];
const plain = (v: unknown) => redact(v) as any;
let base: Promise<Recording> | undefined;
const baseRun = () => (base ??= recordExample());
let nginx: Promise<Recording> | undefined;
const nginxRun = () => {
  if (!nginx) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "gocy-nginx-")), "n.yaml");
    writeFileSync(file, readFileSync("constellations/jupiter.constellation.yaml", "utf8").replace("capp: v0.9.0", "capp: v0.9.0\ningress: nginx"));
    nginx = recordExample({ overrides: { "gocy:constellation": file } });
  }
  return nginx;
};

test("the DNS service account's key is secret wherever it flows, and never in plain text", async () => {
  const rec = await baseRun();
  const plan = renderPlan(planDocument(rec, "x"));
  assert.ok(JSON.stringify(rec.resources).includes("SENTINEL-gcp-sa-key"), "the sentinel key reached the clusters' Secrets");
  assert.ok(!plan.includes("SENTINEL-gcp-sa-key"), "plan.json holds the DNS key in plain text");
  for (const r of rec.resources.filter((x) => x.type === "kubernetes:core/v1:Secret")) {
    assert.equal(plain(r.inputs).stringData, "[secret]", "the provider keeps a Secret's whole stringData secret");
    assert.deepEqual(plain(r.inputs).metadata, { name: "gocy-cloud-dns", namespace: plain(r.inputs).metadata.namespace }, "the rest stays readable");
  }
  for (const c of ["jupiter", ...SATS]) assert.equal(plain(byName(rec, `${c}-dns-cleanup`).inputs.environment).GOCY_GCP_KEY, "[secret]");
  const roles = rec.resources.filter((r) => /IAMMember|IamMember/.test(r.type)).map((r) => `${r.type.split(":").pop()} ${String(r.inputs.role)}`).sort();
  assert.deepEqual(roles, ["DnsManagedZoneIamMember roles/dns.admin", "IAMMember roles/dns.reader"], "zone admin on the one zone, read-only on the project");
});

test("ClusterIssuers, Certificates and whoami's policy validate against their CRDs", async (t) => {
  if (!requireShared(t)) return;
  for (const rec of [await baseRun(), await nginxRun()]) {
    for (const r of rec.resources.filter((x) => /^kubernetes:(cert-manager|cilium)\.io\//.test(x.type))) assert.equal(validateObject(plain(r.inputs)), "", r.name);
  }
});

test("production and staging issuers solve DNS01 with Cloud DNS; the chosen one signs the certificates", async () => {
  const rec = await baseRun();
  for (const env of ["production", "staging"]) {
    const issuer = plain(byName(rec, `jupiter-letsencrypt-${env}`).inputs);
    assert.equal(issuer.spec.acme.email, "admin@example.com");
    assert.deepEqual(issuer.spec.acme.solvers[0].dns01.cloudDNS, { project: "my-gcp-project", hostedZoneName: "example-com", serviceAccountSecretRef: { name: "gocy-cloud-dns", key: "key.json" } });
  }
  assert.equal(plain(byName(rec, "ganymede-whoami-certificate").inputs).spec.issuerRef.name, "letsencrypt-production");
  const staging = await recordExample({ overrides: { "gocy:letsEncrypt": "staging" } });
  assert.equal(plain(byName(staging, "ganymede-whoami-certificate").inputs).spec.issuerRef.name, "letsencrypt-staging");
});

test("each cluster's DNS cleanup comes before its Cluster (satellites) or the move (barycenter), and depends on nothing of any cluster", async () => {
  const rec = await baseRun();
  for (const c of ["jupiter", ...SATS]) {
    const cleanup = byName(rec, `${c}-dns-cleanup`);
    const owner = c === "jupiter" ? byName(rec, "jupiter-move") : byName(rec, `${c}-cluster`);
    assert.ok(owner.dependencies.includes(cleanup.urn), `${owner.name} depends on ${cleanup.name}`);
    assert.equal(cleanup.options.deletedWith, null);
    for (const urn of closure(rec, cleanup.urn)) {
      assert.ok(!/gocy:index:(ManagementCluster|SatelliteCluster)/.test(urn), `${cleanup.name} depends on ${urn}`);
    }
    assert.equal(plain(cleanup.inputs.environment).GOCY_TXT_OWNER, `gocy-jupiter-${c}`);
    assert.equal(plain(byName(rec, `${c}-external-dns`).inputs.values).txtOwnerId, `gocy-jupiter-${c}`);
  }
});

test("exactly one DNS record for the anycast name; one certificate per satellite, each with the anycast name and its own", async () => {
  const rec = await baseRun();
  const records = rec.resources.filter((r) => r.type === "gcp:dns/recordSet:RecordSet");
  assert.equal(records.length, 1);
  assert.deepEqual(plain(records[0]!.inputs), { managedZone: "example-com", name: "whoami.gocy.example.com.", project: "my-gcp-project", rrdatas: [rec.outputs.anycastAddress], ttl: 300, type: "A" });
  assert.equal(records[0]!.parent, "urn:pulumi:jupiter::gocy::gocy:index:AnycastIngress::jupiter");
  const sets = SATS.map((s) => plain(byName(rec, `${s}-whoami-certificate`).inputs).spec.dnsNames as string[]);
  assert.deepEqual(sets, [["whoami.gocy.example.com", "ganymede.gocy.example.com"], ["whoami.gocy.example.com", "callisto.gocy.example.com"]]);
  assert.equal(rec.resources.filter((r) => r.name.endsWith("-whoami-certificate")).length, SATS.length);
  assert.equal(rec.outputs.whoamiUrl, "https://whoami.gocy.example.com/");
});

test("every satellite's ingress asks for the same anycast address, with either ingress controller", async () => {
  const rec = await baseRun();
  const anycast = rec.outputs.anycastAddress;
  for (const s of SATS) {
    const values = plain(byName(rec, `${s}-cilium`).inputs.values);
    assert.deepEqual(values.ingressController.service.annotations, { "metallb.io/address-pool": "ingress", "metallb.io/loadBalancerIPs": anycast });
    assert.equal(values.ingressController.loadbalancerMode, "shared");
    assert.equal(plain(byName(rec, `${s}-whoami-ingress`).inputs).spec.ingressClassName, "cilium");
  }
  const n = await nginxRun();
  assert.equal(n.error, null);
  for (const s of SATS) {
    assert.deepEqual(plain(byName(n, `${s}-ingress-nginx`).inputs.values).controller.service.annotations, { "metallb.io/address-pool": "ingress", "metallb.io/loadBalancerIPs": n.outputs.anycastAddress });
    assert.equal(plain(byName(n, `${s}-whoami-ingress`).inputs).spec.ingressClassName, "nginx");
    assert.equal(plain(byName(n, `${s}-cilium`).inputs.values).ingressController, undefined);
  }
});

test("whoami: a global Service with local affinity on every cluster, pods only on satellites, external-dns told to keep off", async () => {
  const rec = await baseRun();
  for (const c of ["jupiter", ...SATS]) {
    const svc = plain(byName(rec, `${c}-whoami-service`).inputs);
    assert.deepEqual(svc.metadata.annotations, { "service.cilium.io/global": "true", "service.cilium.io/affinity": "local" });
  }
  assert.equal(rec.resources.filter((r) => r.name === "jupiter-whoami").length, 0);
  for (const s of SATS) {
    const d = plain(byName(rec, `${s}-whoami`).inputs);
    assert.deepEqual(d.spec.template.spec.containers[0].args, ["--port", "80", "--name", s]);
    assert.equal(plain(byName(rec, `${s}-whoami-ingress`).inputs).metadata.annotations["external-dns.alpha.kubernetes.io/controller"], "gocy-anycast-ingress");
    const policy = plain(byName(rec, `${s}-whoami-policy`).inputs).spec;
    assert.ok(policy.ingress.some((r: any) => r.fromEntities?.includes("world")));
    for (const sel of policy.ingress.flatMap((r: any) => r.fromEndpoints ?? [])) {
      assert.equal(sel.matchLabels["k8s:io.cilium.k8s.policy.cluster"], undefined, "no one cluster named");
      assert.deepEqual(sel.matchExpressions, [{ key: "k8s:io.cilium.k8s.policy.cluster", operator: "Exists" }], "every mesh cluster, explicitly");
    }
  }
});
