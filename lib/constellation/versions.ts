/**
 * The version set this program is written for, the minimums the design needs, and the checks between them.
 * Every fixed value cites its reason; docs/architecture.md#versions explains them.
 */
import { infra } from "../infra";
import type { TargetVersion } from "../infra/target";

/** A parsed `vMAJOR.MINOR[.PATCH]` version. */
export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number | undefined;
}

const VERSION = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/;

export function parseVersion(text: string): Semver | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? undefined : Number(m[3]) };
}

/** Compares two versions; a missing patch counts as 0. */
export function compareVersions(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? 0) - (b.patch ?? 0);
}

/** The versions every target shares; the infrastructure target adds its provider's and cloud controller's. */
export type CoreVersionField = "capi" | "cabpt" | "cacppt" | "talos" | "kubernetes";
/** A version field of the constellation file: a core one, or one the target names (lib/infra). */
export type VersionField = CoreVersionField | (string & {});

/**
 * The example constellation's version set: each the newest release that fits the others (docs/architecture.md#versions).
 * `--raise-versions` / `gocy:raiseVersions` lifts a version below its minimum to this one.
 */
const CORE_VERSION_SET: Readonly<Record<CoreVersionField, string>> = {
  // Cluster API core. v1.10.x is the line CABPT v0.6.12 and CACPPT v0.5.12 build on (their go.mod requires
  // sigs.k8s.io/cluster-api v1.10.9); clusterctl v1.11+ refuses v1beta1 management clusters.
  capi: "v1.10.10",
  // Talos bootstrap provider (siderolabs/cluster-api-bootstrap-provider-talos), newest stable release.
  cabpt: "v0.6.12",
  // Talos control-plane provider (siderolabs/cluster-api-control-plane-provider-talos), newest release; Talos <= 1.12.
  cacppt: "v0.5.12",
  // Talos: the newest v1.12 patch (CACPPT v0.5.12 supports Talos up to v1.12).
  talos: "v1.12.11",
  // Kubernetes: v1.33 (CAPI v1.10 supports management and workload clusters up to v1.33), at the patch kind
  // v0.31.0 publishes a node image for, so that the bootstrap cluster runs the same release (KIND_NODE_IMAGE in
  // lib/builders/scripts/bring-up.ts pins it).
  kubernetes: "v1.33.7",
};

/** A core table with the infrastructure target's two fields added under their keys in the file. */
function withTargetVersions<T>(core: Readonly<Record<CoreVersionField, T>>, pick: (v: TargetVersion) => T): Readonly<Record<CoreVersionField, T>> & Readonly<Record<string, T>> {
  const { provider, cloudController } = infra.versions;
  return { ...core, [provider.key]: pick(provider), [cloudController.key]: pick(cloudController) };
}

/** The example's version set with the infrastructure target's two (its Cluster API provider, its cloud controller). */
export const VERSION_SET = withTargetVersions(CORE_VERSION_SET, (v) => v.pin);

export interface VersionRule {
  /** Lowest version accepted (inclusive). */
  readonly minimum: string;
  /** Why the minimum, shown with the refusal. */
  readonly why: string;
  /** A version must also stay on this major.minor line (CAPI: clusterctl v1.11+ refuses v1beta1 clusters). */
  readonly line?: string;
  /** The highest version a published support matrix covers; above it is a warning, not a refusal. */
  readonly supportedUpTo?: string;
  /** The field must name a patch release (vX.Y.Z), not just a minor. */
  readonly fullPatch?: boolean;
}

const CORE_VERSION_RULES: Readonly<Record<CoreVersionField, VersionRule>> = {
  capi: {
    minimum: "v1.10.0",
    line: "v1.10",
    fullPatch: true,
    why: "clusterctl v1.10 is required: CABPT and CACPPT build on CAPI v1.10, and clusterctl v1.11+ refuses v1beta1 management clusters",
  },
  cabpt: {
    // Strategic merge patches arrived in v0.6.5 (commit 77a404e), but CABPT builds on CAPI v1.10 only from v0.6.9
    // and on Talos machinery v1.11 from v0.6.10: the first release fitting the rest of the set (docs/architecture.md#versions).
    minimum: "v0.6.10",
    fullPatch: true,
    why: "Talos patches are applied as strategicPatches, and CABPT builds on CAPI v1.10 and recent Talos machinery from v0.6.10",
  },
  cacppt: {
    minimum: "v0.5.6",
    fullPatch: true,
    supportedUpTo: "v0.5.12",
    why: "Talos patches are applied as strategicPatches, which CACPPT supports from v0.5.6",
  },
  talos: {
    minimum: "v1.7.0",
    fullPatch: true,
    supportedUpTo: "v1.12.99",
    why: `Talos >= v1.7 adds the routes to the ${infra.displayName} BGP peers from metadata and boots from Image Factory URLs; CACPPT v0.5.12 supports Talos up to v1.12`,
  },
  kubernetes: {
    minimum: "v1.30.0",
    fullPatch: true,
    supportedUpTo: "v1.33.99",
    why: "Talos v1.12 runs Kubernetes v1.30 to v1.35 (talos112 compatibility), and CAPI v1.10 manages clusters up to v1.33",
  },
};

/** Every field's rule: the core ones and the infrastructure target's. */
export const VERSION_RULES = withTargetVersions(CORE_VERSION_RULES, (v) => v.rule);

export type VersionVerdict =
  | { readonly kind: "ok" }
  | { readonly kind: "below"; readonly minimum: string; readonly why: string }
  | { readonly kind: "off-line"; readonly line: string; readonly why: string }
  | { readonly kind: "not-patch" }
  | { readonly kind: "above-supported"; readonly supportedUpTo: string; readonly why: string };

/** Judges one version field against its rule. `text` is already known to match `vX.Y[.Z]`. */
export function judgeVersion(field: VersionField, text: string): VersionVerdict {
  const rule = VERSION_RULES[field];
  if (!rule) throw new Error(`no version rule for ${field}`);
  const v = parseVersion(text);
  if (!v) return { kind: "not-patch" };
  const min = parseVersion(rule.minimum)!;
  if (compareVersions(v, min) < 0) return { kind: "below", minimum: rule.minimum, why: rule.why };
  if (rule.fullPatch && v.patch === undefined) return { kind: "not-patch" };
  if (rule.line) {
    const line = parseVersion(rule.line)!;
    if (v.major !== line.major || v.minor !== line.minor) return { kind: "off-line", line: `${rule.line}.x`, why: rule.why };
  }
  if (rule.supportedUpTo && compareVersions(v, parseVersion(rule.supportedUpTo)!) > 0) {
    const up = parseVersion(rule.supportedUpTo)!;
    return { kind: "above-supported", supportedUpTo: `v${up.major}.${up.minor}.x`, why: rule.why };
  }
  return { kind: "ok" };
}

/** `v1.12.11` → `v1.12`: the form CABPT's and CACPPT's `talosVersion` fields take. */
export function minorOf(text: string): string {
  const v = parseVersion(text);
  if (!v) throw new Error(`not a version: ${text}`);
  return `v${v.major}.${v.minor}`;
}

/**
 * The Kubernetes minors a Talos minor runs: each Talos 1.M supports Kubernetes 1.(M+18) to 1.(M+23), as its
 * compatibility package states (siderolabs/talos pkg/machinery/compatibility/talos17: 1.25–1.30 … talos112:
 * 1.30–1.35). Talos refuses an unsupported pairing only on the node, after the machine config is generated.
 */
export function kubernetesRangeForTalos(talos: string): { min: string; max: string } | undefined {
  const t = parseVersion(talos);
  if (!t || t.major !== 1 || t.minor < 7) return undefined;
  return { min: `v1.${t.minor + 18}`, max: `v1.${t.minor + 23}` };
}
