/**
 * Validation against the upstream schemas in ../shared/schemas (see its SOURCES.md): CRDs (OpenAPI v3, as the API
 * server reads them) with ajv, and Talos' machine-config JSON Schema (draft 2020-12) with ajv's 2020 dialect.
 *
 * Fields a CRD does not declare count as errors: the API server would prune them silently, so a typo would vanish.
 * Where an object schema declares `properties` and neither `additionalProperties` nor
 * `x-kubernetes-preserve-unknown-fields`, this adds `additionalProperties: false`. `x-kubernetes-int-or-string` accepts integers and strings.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { SHARED } from "../helpers";

export const SCHEMAS = path.join(SHARED, "schemas");

type Schema = Record<string, unknown>;

/** Makes an OpenAPI v3 CRD schema strict about undeclared fields, as the API server's pruning is. */
export function strictCrdSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictCrdSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const s = { ...(schema as Schema) };
  for (const [k, v] of Object.entries(s)) {
    if (k === "properties" && v && typeof v === "object") {
      s[k] = Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, strictCrdSchema(pv)]));
    } else if (typeof v === "object") {
      s[k] = strictCrdSchema(v);
    }
  }
  // Go's RE2 writes one-letter Unicode classes without braces (`\PC`); JavaScript needs `\P{C}`.
  if (typeof s.pattern === "string") s.pattern = s.pattern.replace(/\\([pP])([A-Z])(?![a-z{])/g, "\\$1{$2}");
  if (s["x-kubernetes-int-or-string"] === true) {
    delete s.type;
    s.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  // Only where a schema declares an object: anyOf/oneOf branches list `properties` just to say what is required.
  if (s.type === "object" && s.properties && s.additionalProperties === undefined && s["x-kubernetes-preserve-unknown-fields"] !== true) {
    s.additionalProperties = false;
  }
  return s;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ["int32", "int64", "byte", "cidr", "idn-hostname"]) ajv.addFormat(f, true);
  return ajv;
}

const crdCache = new Map<string, ValidateFunction>();

/** A validator for the CRD in `file` (relative to ../shared/schemas) at `version`. */
export function crdValidator(file: string, version: string): ValidateFunction {
  const key = `${file}@${version}`;
  const cached = crdCache.get(key);
  if (cached) return cached;
  const crd = parse(readFileSync(path.join(SCHEMAS, file), "utf8")) as { spec: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file} serves no version ${version}`);
  const fn = newAjv().compile(strictCrdSchema(v.schema.openAPIV3Schema) as Schema);
  crdCache.set(key, fn);
  return fn;
}

/** The CRD file for each kind this program renders, by apiVersion and kind. */
export const CRD_FILES: Readonly<Record<string, string>> = {
  "cluster.x-k8s.io/v1beta1/Cluster": "cluster-api/v1.10.10/cluster.x-k8s.io_clusters.yaml",
  "cluster.x-k8s.io/v1beta1/MachineDeployment": "cluster-api/v1.10.10/cluster.x-k8s.io_machinedeployments.yaml",
  "infrastructure.cluster.x-k8s.io/v1beta1/PacketCluster": "cluster-api-provider-packet/v0.9.0/infrastructure.cluster.x-k8s.io_packetclusters.yaml",
  "infrastructure.cluster.x-k8s.io/v1beta1/PacketMachineTemplate": "cluster-api-provider-packet/v0.9.0/infrastructure.cluster.x-k8s.io_packetmachinetemplates.yaml",
  "bootstrap.cluster.x-k8s.io/v1alpha3/TalosConfigTemplate": "cluster-api-bootstrap-provider-talos/v0.6.12/bootstrap.cluster.x-k8s.io_talosconfigtemplates.yaml",
  "controlplane.cluster.x-k8s.io/v1alpha3/TalosControlPlane": "cluster-api-control-plane-provider-talos/v0.5.12/controlplane.cluster.x-k8s.io_taloscontrolplanes.yaml",
  "metallb.io/v1beta2/BGPPeer": "metallb/v0.16.1/metallb.io_bgppeers.yaml",
  "metallb.io/v1beta1/IPAddressPool": "metallb/v0.16.1/metallb.io_ipaddresspools.yaml",
  "metallb.io/v1beta1/BGPAdvertisement": "metallb/v0.16.1/metallb.io_bgpadvertisements.yaml",
  "cilium.io/v2/CiliumClusterwideNetworkPolicy": "cilium/v1.18.10/ciliumclusterwidenetworkpolicies.yaml",
  "cilium.io/v2/CiliumNetworkPolicy": "cilium/v1.18.10/ciliumnetworkpolicies.yaml",
  "cert-manager.io/v1/ClusterIssuer": "cert-manager/v1.21.1/cert-manager.io_clusterissuers.yaml",
  "cert-manager.io/v1/Certificate": "cert-manager/v1.21.1/cert-manager.io_certificates.yaml",
};

export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`).join("; ");
}

/** Validates a rendered Kubernetes object against its CRD; returns the errors, empty when valid. */
export function validateObject(obj: { apiVersion: string; kind: string; [key: string]: unknown }): string {
  const version = obj.apiVersion.split("/")[1]!;
  const file = CRD_FILES[`${obj.apiVersion}/${obj.kind}`];
  if (!file) throw new Error(`no CRD known for ${obj.apiVersion} ${obj.kind}`);
  const validate = crdValidator(file, version);
  return validate(obj) ? "" : formatErrors(validate.errors);
}

/** A schema with every `required` removed, recursively. */
function withoutRequired(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(withoutRequired);
  if (s === null || typeof s !== "object") return s;
  return Object.fromEntries(Object.entries(s as Schema).filter(([k]) => k !== "required").map(([k, v]) => [k, withoutRequired(v)]));
}

const talosCache = new Map<string, ValidateFunction>();

/**
 * A validator for a Talos v1alpha1 configuration *patch* of the given Talos minor (schema `talos/<release>/`):
 * the `v1alpha1.Config` definition with every `required` dropped (a patch is partial by nature), undeclared
 * fields still refused.
 */
export function talosPatchValidator(release: string): ValidateFunction {
  const cached = talosCache.get(release);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(path.join(SCHEMAS, "talos", release, "config.schema.json"), "utf8")) as Schema;
  const patchSchema: Schema = { ...(withoutRequired(schema) as Schema), $ref: "#/$defs/v1alpha1.Config" };
  delete patchSchema.oneOf;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const fn = ajv.compile(patchSchema);
  talosCache.set(release, fn);
  return fn;
}

/** A chart's values schema (draft-07), by chart directory under ../shared/schemas (e.g. `cilium/v1.18.10`). */
export function chartSchema(release: string): Schema {
  return JSON.parse(readFileSync(path.join(SCHEMAS, release, "chart", "values.schema.json"), "utf8")) as Schema;
}

/**
 * Validates Helm values against a chart's schema, and refuses every key the schema does not declare (chart
 * schemas allow unknown keys, so a typo would otherwise pass). Returns the problems, empty when valid.
 */
export function validateValues(values: unknown, schema: Schema): string[] {
  const problems: string[] = [];
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Some charts name draft-07 by its https URI, which ajv does not know by that name; the dialect is the same.
  // Helm validates values merged over the chart's defaults, which fill every `required` key: drop `required`.
  const { $schema: _dialect, ...body } = schema;
  void _dialect;
  const validate = ajv.compile(withoutRequired(body) as Schema);
  if (!validate(values)) problems.push(formatErrors(validate.errors));
  const resolve = (s: Schema | undefined): Schema | undefined => {
    if (!s) return undefined;
    const ref = s.$ref;
    if (typeof ref === "string" && ref.startsWith("#/")) {
      let cur: unknown = schema;
      for (const seg of ref.slice(2).split("/")) cur = (cur as Schema)[seg];
      return resolve(cur as Schema);
    }
    return s;
  };
  const walk = (v: unknown, s: Schema | undefined, at: string) => {
    s = resolve(s);
    if (!s || v === null || typeof v !== "object" || Array.isArray(v)) return;
    const props = s.properties as Record<string, Schema> | undefined;
    const open = s.additionalProperties;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const declared = props?.[k];
      if (declared) walk(child, declared, `${at}.${k}`);
      else if (open && typeof open === "object") walk(child, open as Schema, `${at}.${k}`);
      else if (!props && (open === undefined || open === true)) continue; // a free-form map (e.g. annotations)
      else problems.push(`${at}.${k}: not declared by the chart's schema`);
    }
  };
  walk(values, schema, "values");
  return problems;
}
