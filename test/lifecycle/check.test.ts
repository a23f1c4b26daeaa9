/**
 * The Kubernetes provider's Check, as the recording engine models it (tools/record/providers/kubernetes.ts): every
 * Kubernetes object the program registers must pass it once the provider's kubeconfig is known, which is what a
 * first `up` meets as soon as the barycenter's credential exists, and every preview after it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, recordExample, recordGenerated } from "../helpers";
import { checkKubernetesObject, gvkFromType, isKubernetesObject } from "../../tools/record/providers/kubernetes";
import { customObject } from "../../components/support/custom-object";
import { apiGroup, isBuiltInApiVersion } from "../../lib/builders/kubernetes-api";

let exampleRun: ReturnType<typeof recordExample> | undefined;
const example = () => (exampleRun ??= recordExample());

test("the modelled Check refuses a token without a group, with the provider's own message, and takes core/v1", () => {
  assert.equal(checkKubernetesObject("kubernetes:v1:Namespace"), 'apiVersion does not have both a group and a version: "v1"');
  assert.equal(checkKubernetesObject("kubernetes:core/v1:Namespace"), null);
  assert.deepEqual(gvkFromType("kubernetes:core/v1:Service"), { group: "", version: "v1", kind: "Service" });
  assert.deepEqual(gvkFromType("kubernetes:cilium.io/v2:CiliumNetworkPolicy"), { group: "cilium.io", version: "v2", kind: "CiliumNetworkPolicy" });
  assert.equal(isKubernetesObject("kubernetes:helm.sh/v3:Release"), false);
});

test("an up of the example passes Check for every Kubernetes object, and so does a 10-cluster constellation", async () => {
  for (const rec of [await example(), await recordGenerated(9)]) {
    assert.equal(rec.error, null, rec.error ?? "");
    const objects = rec.resources.filter((r) => r.custom && isKubernetesObject(r.type));
    assert.ok(objects.length > 40, `${objects.length} Kubernetes objects`);
    for (const r of objects) {
      assert.ok(r.configKnown, `${r.name}: in an up every provider's configuration is known, so Check runs`);
      assert.equal(checkKubernetesObject(r.type), null, r.urn);
    }
  }
});

test("a first preview skips Check on the clusters' providers (their kubeconfigs are unknown) and sees their outputs unknown", async () => {
  const rec = await recordExample({ preview: true });
  assert.equal(rec.error, null, rec.error ?? "");
  const inCluster = rec.resources.filter((r) => r.custom && isKubernetesObject(r.type));
  assert.ok(inCluster.every((r) => !r.configKnown), "no Kubernetes object of a fresh stack has a known provider configuration");
});

test("built-in kinds go through their typed classes: no built-in kind is registered as a CustomResource", async () => {
  // The guard: the one helper that registers a CustomResource refuses a built-in kind before registering anything.
  assert.throws(() => customObject("x-namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } }, {}), /v1 Namespace is a built-in kind; register it with its typed class/);
  assert.throws(() => customObject("x-ingress", { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "x" } }, {}), /built-in kind/);
  assert.equal(apiGroup("apps/v1"), "apps");
  assert.equal(isBuiltInApiVersion("cluster.x-k8s.io/v1beta1"), false);
  // And nothing else registers one: every `apiextensions.CustomResource(` in the program is in that helper.
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".ts")) files.push(p);
    }
  };
  for (const d of ["components", "lib"]) walk(path.join(PROJECT_ROOT, d));
  files.push(path.join(PROJECT_ROOT, "index.ts"));
  const users = files.filter((f) => /apiextensions\.CustomResource\(/.test(readFileSync(f, "utf8"))).map((f) => path.relative(PROJECT_ROOT, f));
  assert.deepEqual(users, ["components/support/custom-object.ts"]);
});

test("the other providers' Check, as modelled: each rule refuses what its provider refuses, and the example passes all", async () => {
  const { checkInputs, CHECKED_TYPES } = await import("../../tools/record/providers/schemas");
  assert.match(checkInputs("gcp:serviceaccount/account:Account", { accountId: "gocy-dns-a-very-long-constellation" }) ?? "", /must be 6 to 30 characters/);
  assert.match(checkInputs("gcp:serviceaccount/account:Account", { accountId: "gocy-dns-" }) ?? "", /must be 6 to 30/);
  assert.equal(checkInputs("gcp:serviceaccount/account:Account", { accountId: "[unknown]" }), null, "unknown values pass, as in a preview");
  assert.match(checkInputs("gcp:dns/recordSet:RecordSet", { name: "whoami.gocy.example.com" }) ?? "", /trailing dot/);
  assert.match(checkInputs("gcp:projects/iAMMember:IAMMember", { member: "gocy-dns@p.iam.gserviceaccount.com" }) ?? "", /invalid value for member/);
  assert.match(checkInputs("equinix-metal:index/reservedIpBlock:ReservedIpBlock", { type: "public_ipv6" }) ?? "", /one of \[public_ipv4 global_ipv4\]/);
  assert.match(checkInputs("tls:index/selfSignedCert:SelfSignedCert", { allowedUses: ["cert_signing", "certSigning"] }) ?? "", /"certSigning"/);
  assert.match(checkInputs("tls:index/privateKey:PrivateKey", { algorithm: "ECDSA", ecdsaCurve: "P-256" }) ?? "", /ecdsa_curve/);
  const rec = await example();
  const checked = rec.resources.filter((r) => CHECKED_TYPES.includes(r.type));
  assert.ok(checked.length >= 14, `${checked.length} resources of modelled types`);
  for (const r of checked) assert.equal(checkInputs(r.type, r.inputs), null, r.urn);
});
