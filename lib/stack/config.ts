/**
 * The stack configuration (Pulumi.<stack>.yaml, docs/configuration.md): every key, its type, default and
 * description, what a real `pulumi up` needs, and the placeholders the committed example carries. CONFIG_KEYS is the
 * one source: Pulumi.yaml's `config:` block is checked against it and docs/configuration.md's table is generated
 * from it (tools/config-docs.ts; test/stack/config-keys.test.ts fails when either drifts). Problems use the same
 * format as the constellation's.
 */
import { existsSync, readFileSync } from "node:fs";
import { DNS_LABEL } from "../constellation/schema";
import { describeValue, type Problem } from "../constellation/problems";
import { YamlSource } from "../constellation/yaml-source";
import { closest, distance } from "fastest-levenshtein";
import { infra } from "../infra";

/** How the program is running: decides whether a missing key is an error, a warning or a placeholder. */
export type RunMode = "up" | "preview" | "offline-plan";

/** The types Pulumi.yaml's project `config:` block declares (Pulumi's project schema, `configTypeDeclaration`). */
export type ConfigType = "string" | "integer" | "boolean" | "object";

export interface ConfigKey {
  readonly key: string;
  readonly type: ConfigType;
  /** One sentence or two, word for word the same in Pulumi.yaml and docs/configuration.md. */
  readonly description: string;
  readonly secret: boolean;
  /**
   * The value Pulumi.yaml declares as the key's default, and the one the program uses when the stack sets none.
   * Required keys declare "" so that the program, not the CLI, reports them missing. Undefined for keys of other
   * namespaces, which a project cannot declare.
   */
  readonly default?: string | number | boolean | Readonly<Record<string, never>>;
  /** How the documentation states the default when the value above is a stand-in for one derived elsewhere. */
  readonly defaultNote?: string;
  /** A real `pulumi up` cannot proceed without it. */
  readonly requiredForUp: boolean;
  /** What the committed example stack holds until the user sets a real value (non-secret keys only). */
  readonly placeholder?: string;
  /** Checks a set value; returns what was expected when it is wrong. */
  readonly check?: (value: string) => string | undefined;
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const ZONE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

const boolean = (v: string) => (v === "true" || v === "false" ? undefined : "expected true or false");

/** Every key the program reads, in the order docs/configuration.md lists them. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  // The infrastructure target's own keys first (its project and API token): lib/infra.
  ...infra.configKeys,
  {
    key: "gcp:project",
    type: "string",
    description: "Google Cloud project that holds the Cloud DNS zone and the DNS service account.",
    secret: false,
    requiredForUp: true,
    placeholder: "my-gcp-project",
    check: (v) => (GCP_PROJECT.test(v) ? undefined : "expected a Google Cloud project ID (6 to 30 lower-case letters, digits and '-')"),
  },
  {
    key: "gcp:credentials",
    type: "string",
    description: "Google Cloud service-account key JSON (secret). Optional: without it the GCP provider uses application default credentials.",
    secret: true,
    requiredForUp: false,
  },
  {
    key: "gocy:domain",
    type: "string",
    description: "Domain of the Cloud DNS managed zone (e.g. example.com).",
    secret: false,
    requiredForUp: true,
    default: "",
    placeholder: "example.com",
    check: (v) => (DNS_NAME.test(v) ? undefined : "expected a DNS domain like \"example.com\""),
  },
  {
    key: "gocy:dnsZone",
    type: "string",
    description: "Name of that Cloud DNS managed zone (e.g. example-com).",
    secret: false,
    requiredForUp: true,
    default: "",
    placeholder: "example-com",
    check: (v) => (ZONE_NAME.test(v) ? undefined : "expected a Cloud DNS managed-zone name (lower-case letters, digits and '-')"),
  },
  {
    key: "gocy:subdomain",
    type: "string",
    description: "Subdomain under gocy:domain for the constellation's names (whoami.<subdomain>.<domain>).",
    secret: false,
    requiredForUp: true,
    default: "",
    check: (v) => (DNS_LABEL.test(v) ? undefined : "expected a DNS-1123 label"),
  },
  {
    key: "gocy:adminEmail",
    type: "string",
    description: "E-mail address registered with Let's Encrypt (ACME).",
    secret: false,
    requiredForUp: true,
    default: "",
    placeholder: "admin@example.com",
    check: (v) => (EMAIL.test(v) ? undefined : "expected an e-mail address"),
  },
  {
    key: "gocy:clusterIds",
    type: "object",
    description: "Pinned Cilium cluster IDs, cluster name to 1..255. A real pulumi up refuses while a cluster is unpinned; npm run plan -- --pin-ids writes them.",
    secret: false,
    requiredForUp: false,
    default: {},
    check: (v) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        return "expected a mapping of cluster name to ID";
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "expected a mapping of cluster name to ID";
      for (const [name, id] of Object.entries(parsed)) {
        if (typeof id !== "number" || !Number.isInteger(id) || id < 1 || id > 255) {
          return `expected IDs from 1 to 255 (Cluster Mesh refuses 0), got ${describeValue(id)} for ${describeValue(name)}`;
        }
      }
      return undefined;
    },
  },
  {
    key: "gocy:constellation",
    type: "string",
    description: "Path of the constellation file.",
    secret: false,
    requiredForUp: false,
    default: "",
    defaultNote: "constellations/<stack>.constellation.yaml",
  },
  {
    key: "gocy:raiseVersions",
    type: "boolean",
    description: "Lift versions below the minimums to the version set, with a warning per field.",
    secret: false,
    requiredForUp: false,
    default: false,
    check: boolean,
  },
  {
    key: "gocy:waitTimeoutMinutes",
    type: "integer",
    description: "Bound of every wait and awaited Helm release, in minutes (bare metal takes longer than the 10-minute defaults).",
    secret: false,
    requiredForUp: false,
    default: 60,
    check: (v) => (/^[1-9]\d{0,3}$/.test(v) ? undefined : "expected a whole number of minutes from 1 to 9999"),
  },
  {
    key: "gocy:letsEncrypt",
    type: "string",
    description: "Let's Encrypt environment the certificates come from: production or staging.",
    secret: false,
    requiredForUp: false,
    default: "production",
    check: (v) => (v === "production" || v === "staging" ? undefined : 'expected "production" or "staging"'),
  },
  {
    key: "gocy:meshVerify",
    type: "boolean",
    description: "Verify every Cluster Mesh connection with the cilium CLI during pulumi up (false: no cilium CLI needed).",
    secret: false,
    requiredForUp: false,
    default: true,
    check: boolean,
  },
  {
    key: "gocy:keepBootstrapCluster",
    type: "boolean",
    description: "Keep the local kind cluster after the move (for debugging).",
    secret: false,
    requiredForUp: false,
    default: false,
    check: boolean,
  },
];

export interface StackConfig {
  readonly stack: string;
  readonly constellationFile: string;
  /** The infrastructure target's project (or account) every machine and address lives in. */
  readonly infraProjectId: string;
  readonly gcpProject: string;
  readonly domain: string;
  readonly dnsZone: string;
  readonly subdomain: string;
  readonly adminEmail: string;
  readonly clusterIds: Readonly<Record<string, number>>;
  readonly raiseVersions: boolean;
  readonly keepBootstrapCluster: boolean;
  /** Bound of every wait and awaited release, in seconds. */
  readonly waitTimeoutSeconds: number;
  /** Verify the mesh with the cilium CLI. */
  readonly meshVerify: boolean;
  readonly letsEncrypt: "production" | "staging";
}

export interface StackConfigResult {
  readonly config: StackConfig;
  readonly problems: readonly Problem[];
  /** Keys a real `pulumi up` still needs (missing or placeholders), one line each. */
  readonly stillNeeded: readonly string[];
  readonly warnings: readonly string[];
}

/** Placeholders the offline plan uses for values nobody set, so that it runs with no account at all. */
const OFFLINE_VALUES: Readonly<Record<string, string>> = {
  [infra.projectIdKey]: infra.configKeys.find((k) => k.key === infra.projectIdKey)!.placeholder!,
  "gcp:project": "my-gcp-project",
  "gocy:domain": "example.com",
  "gocy:dnsZone": "example-com",
  "gocy:subdomain": "gocy",
  "gocy:adminEmail": "admin@example.com",
};

/**
 * Keys of the `gocy:` namespace that the program does not know, each with "did you mean" when one is near: a typo
 * must not silently drop a setting. Other namespaces belong to the providers (gcp:region, …) and are theirs to check.
 */
export function unknownConfigKeys(keys: Iterable<string>): { key: string; message: string }[] {
  const known = CONFIG_KEYS.map((k) => k.key).filter((k) => k.startsWith("gocy:"));
  const out: { key: string; message: string }[] = [];
  for (const key of keys) {
    if (!key.startsWith("gocy:") || known.includes(key)) continue;
    const near = closest(key, known);
    const hint = distance(key, near) <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean "${near}"?)` : "";
    out.push({ key, message: `unknown configuration key${hint}; the gocy keys are ${known.join(", ")}` });
  }
  return out;
}

/**
 * Reads and checks the stack configuration.
 * @param get a key's value as Pulumi hands it over (objects as JSON), or undefined when unset.
 * @param has whether a key is set at all (secrets are checked for presence only; their values stay out of reach).
 * @param stackFile the stack file, read only to point problems at their line.
 */
export function readStackConfig(
  stack: string,
  get: (key: string) => string | undefined,
  has: (key: string) => boolean,
  mode: RunMode,
  stackFile = `Pulumi.${stack}.yaml`,
): StackConfigResult {
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const stillNeeded: string[] = [];
  const source = existsSync(stackFile) ? YamlSource.parse(stackFile, readFileSync(stackFile, "utf8")) : undefined;
  // Point at the key's line when the stack file holds it; a key the file lacks has no line.
  const where = (key: string) => (source && !("errors" in source) && source.hasKey(["config"], key) ? source.keyPosition(["config"], key) : {});
  const values = new Map<string, string>();

  for (const k of CONFIG_KEYS) {
    const set = has(k.key) && (k.secret || get(k.key) !== "");
    // An empty string is Pulumi.yaml's way of declaring an optional key with no value.
    const raw = k.secret ? undefined : get(k.key);
    const value = raw === "" ? undefined : raw;
    if (value !== undefined && k.check) {
      const expected = k.check(value);
      if (expected) {
        const message = expected.includes(", got ") ? expected : `${expected}, got ${describeValue(value)}`;
        problems.push({ file: stackFile, ...where(k.key), path: k.key, message });
        continue;
      }
    }
    const placeholder = value !== undefined && k.placeholder === value;
    if (k.requiredForUp && (!set || placeholder)) {
      const how = k.secret ? `pulumi config set --secret ${k.key} <value>` : `pulumi config set ${k.key} <value>`;
      const state = placeholder ? `still the placeholder ${describeValue(value)}` : "not set";
      const line = `${k.key}: ${state}; a real pulumi up needs it (${how})`;
      stillNeeded.push(line);
      // A secret the providers need (the platform's API token) is needed by a real preview too: the provider is configured.
      if (mode === "up" || (mode === "preview" && k.secret)) problems.push({ file: stackFile, ...(placeholder ? where(k.key) : {}), path: k.key, message: `${state}; a real pulumi up needs it: ${how}` });
      else if (mode === "preview") warnings.push(`${stackFile}  ${line}`);
    }
    if (value !== undefined) values.set(k.key, value);
  }

  const str = (key: string) => values.get(key) ?? OFFLINE_VALUES[key] ?? "";
  // An optional key the stack does not set takes its default from CONFIG_KEYS, as Pulumi.yaml declares it.
  const optional = (key: string) => values.get(key) ?? String(CONFIG_KEYS.find((k) => k.key === key)!.default);
  const clusterIds = values.has("gocy:clusterIds") ? (JSON.parse(values.get("gocy:clusterIds")!) as Record<string, number>) : {};
  return {
    config: {
      stack,
      constellationFile: values.get("gocy:constellation") ?? `constellations/${stack}.constellation.yaml`,
      infraProjectId: str(infra.projectIdKey),
      gcpProject: str("gcp:project"),
      domain: str("gocy:domain"),
      dnsZone: str("gocy:dnsZone"),
      subdomain: str("gocy:subdomain"),
      adminEmail: str("gocy:adminEmail"),
      clusterIds,
      raiseVersions: optional("gocy:raiseVersions") === "true",
      keepBootstrapCluster: optional("gocy:keepBootstrapCluster") === "true",
      waitTimeoutSeconds: 60 * Number(optional("gocy:waitTimeoutMinutes")),
      meshVerify: optional("gocy:meshVerify") === "true",
      letsEncrypt: optional("gocy:letsEncrypt") === "staging" ? "staging" : "production",
    },
    problems,
    stillNeeded,
    warnings,
  };
}
