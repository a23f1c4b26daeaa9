/**
 * Every name in one place: Pulumi logical names and the names other systems see. Names come from stable keys
 * (constellation, cluster, VIP role), never from list positions, so adding a satellite renames nothing.
 *
 * Logical names are declared once, in NAME_KINDS: an owner (a cluster, the constellation, or none) followed by a
 * tail of literal and parameter segments, and the resource class that carries the name. The builders below and
 * the reader (`readName`, `classify`) both work from that table, so the tools ask this module which kind a name is
 * instead of matching patterns of their own.
 */
import type { VipRole } from "../constellation/model";
import { hash8 } from "./hash";
import { infra } from "../infra";

/** Type tokens are permanent: change one only together with an `aliases` entry. */
export const TYPES = {
  managementCluster: "gocy:index:ManagementCluster",
  satelliteCluster: "gocy:index:SatelliteCluster",
  anycastIngress: "gocy:index:AnycastIngress",
  clusterMesh: "gocy:index:ClusterMesh",
  vipReservations: "gocy:index:VipReservations",
  clusterAddons: "gocy:index:ClusterAddons",
  clusterApps: "gocy:index:ClusterApps",
  dnsAccount: "gocy:index:DnsAccount",
} as const;

/**
 * One segment of a name after its owner: a literal, or a parameter that is a closed set of values, a `word`
 * (lower-case alphanumerics, no '-') or a `label` (a DNS-1123 label, which may hold '-').
 */
export type Segment = string | { readonly param: string; readonly shape: "word" | "label" | readonly string[]; readonly except?: readonly string[] };

export interface NameKind {
  /** Whose name leads: a cluster's, the constellation's, or nobody's (a fixed name). */
  readonly owner: "cluster" | "constellation" | "none";
  readonly tail: readonly Segment[];
  /** The resource classes (see `resourceClass`) that carry a name of this kind. */
  readonly classes: readonly string[];
}

export const VIP_ROLES: readonly VipRole[] = ["cp", "ingress", "mesh"];

const role = { param: "role", shape: VIP_ROLES } as const;
const label = (param: string) => ({ param, shape: "label" }) as const;
const word = (param: string) => ({ param, shape: "word" }) as const;
/** A worker group's key: any label but the control plane's (lib/constellation/invariants.ts refuses it as a group key). */
const group = { param: "group", shape: "label", except: ["control-plane"] } as const;
const COMMAND = ["Command"];
const cluster = (tail: readonly Segment[], ...classes: string[]): NameKind => ({ owner: "cluster", tail, classes });
const constellation = (tail: readonly Segment[], ...classes: string[]): NameKind => ({ owner: "constellation", tail, classes });
const K8S_PROVIDER = "pulumi:providers:kubernetes";
/** The class (last segment of the type token) of the infrastructure target's address reservations. */
const RESERVATION = infra.reservations.pulumiType.slice(infra.reservations.pulumiType.lastIndexOf(":") + 1);

/**
 * Every Pulumi logical name the program gives, by kind. No logical name is ever a physical name (every resource
 * that has one is given it explicitly: metadata.name, a release name, an account id), so a logical name must be
 * unique and stable, and it keeps to DNS-1123 label characters; only the names under "Names other systems see"
 * below have length limits.
 */
export const NAME_KINDS = {
  infraProvider: { owner: "none", tail: [infra.pulumiPackage], classes: [`pulumi:providers:${infra.pulumiPackage}`] },
  gcpProvider: { owner: "none", tail: ["gcp"], classes: ["pulumi:providers:gcp"] },

  // The constellation's own resources.
  anycastIngress: constellation([], "AnycastIngress"),
  anycast: constellation(["anycast-ingress"], RESERVATION),
  anycastTags: constellation(["anycast-ingress-tags"], ...COMMAND),
  anycastDns: constellation(["anycast-dns"], "RecordSet"),
  billingCheck: constellation(["billing-check"], ...COMMAND),
  schematic: constellation(["talos-schematic", word("architecture")], ...COMMAND),
  clusterMesh: constellation(["mesh"], "ClusterMesh"),
  meshCaKey: constellation(["mesh-ca-key"], "PrivateKey"),
  meshCa: constellation(["mesh-ca"], "SelfSignedCert"),
  dnsAccount: constellation(["dns"], "DnsAccount"),
  dnsServiceAccount: constellation(["dns"], "Account"),
  dnsZoneAdmin: constellation(["dns-zone-admin"], "DnsManagedZoneIamMember"),
  dnsReader: constellation(["dns-reader"], "IAMMember"),
  dnsKey: constellation(["dns-key"], "Key"),

  // A cluster's components, reservations and providers.
  managementCluster: cluster([], "ManagementCluster"),
  satelliteCluster: cluster([], "SatelliteCluster"),
  k8sProvider: cluster([], K8S_PROVIDER),
  adoptionProvider: cluster(["adoption"], K8S_PROVIDER),
  vipReservations: cluster(["vips"], "VipReservations"),
  vip: cluster(["vip", role], RESERVATION),
  vipTags: cluster(["vip", role, "tags"], ...COMMAND),
  addons: cluster(["addons"], "ClusterAddons"),
  apps: cluster(["apps"], "ClusterApps"),

  // The lifecycle's commands (docs/architecture.md#phases), in the order a bring-up runs them.
  kind: cluster(["kind"], ...COMMAND),
  clusterctlInitKind: cluster(["clusterctl-init-kind"], ...COMMAND),
  capiApply: cluster(["capi-apply"], ...COMMAND),
  waitInitialized: cluster(["wait-initialized"], ...COMMAND),
  adminCredential: cluster(["admin-credential"], ...COMMAND),
  waitReady: cluster(["wait-ready"], ...COMMAND),
  certManagerProbe: cluster(["cert-manager-probe"], ...COMMAND),
  clusterctlInitSelf: cluster(["clusterctl-init"], ...COMMAND),
  move: cluster(["move"], ...COMMAND),
  clusterctlUpgrade: cluster(["clusterctl-upgrade"], ...COMMAND),
  deleteKind: cluster(["delete-kind"], ...COMMAND),
  waitMeshAddress: cluster(["wait-mesh-address"], ...COMMAND),
  meshVerify: cluster(["mesh-verify"], ...COMMAND),
  whoamiAcrossMesh: cluster(["whoami-across-mesh"], ...COMMAND),
  dnsCleanup: cluster(["dns-cleanup"], ...COMMAND),

  // Reads of the Secrets CAPI and CABPT write.
  kubeconfigRead: cluster(["kubeconfig"], "Secret"),
  talosconfigRead: cluster(["talosconfig"], "Secret"),

  // Kubernetes objects in the cluster.
  helmRelease: cluster([label("chart")], "Release"),
  metallbNamespace: cluster(["metallb-system"], "Namespace"),
  metallbObject: cluster(["metallb", word("kind"), label("name")], "BGPPeer", "BGPAdvertisement", "IPAddressPool", "L2Advertisement", "Community", "BFDProfile"),
  metadataPolicy: cluster([`deny-${infra.network.metadata.name}-metadata`], "CiliumClusterwideNetworkPolicy"),
  hostFirewall: cluster(["host-firewall"], "CiliumClusterwideNetworkPolicy"),
  externalDnsNamespace: cluster(["external-dns-namespace"], "Namespace"),
  dnsKeySecret: cluster(["dns-key", label("namespace")], "Secret"),
  issuer: cluster([label("issuer")], "ClusterIssuer"),
  whoamiNamespace: cluster(["whoami-namespace"], "Namespace"),
  whoamiService: cluster(["whoami-service"], "Service"),
  whoamiDeployment: cluster(["whoami"], "Deployment"),
  whoamiPolicy: cluster(["whoami-policy"], "CiliumNetworkPolicy"),
  whoamiCertificate: cluster(["whoami-certificate"], "Certificate"),
  whoamiIngress: cluster(["whoami-ingress"], "Ingress"),

  // Cluster API objects: stable, never hashed, so a rollout is an update, not a rename.
  capiCluster: cluster(["cluster"], "Cluster"),
  capiInfraCluster: cluster([infra.capi.infraClusterLogicalSuffix], infra.capi.infraClusterKind),
  capiControlPlane: cluster(["control-plane"], "TalosControlPlane"),
  capiControlPlaneTemplate: cluster(["control-plane-machines"], infra.capi.machineTemplateKind),
  capiWorkerTemplate: cluster([group, "machines"], infra.capi.machineTemplateKind),
  capiWorkerConfig: cluster([group, "config"], "TalosConfigTemplate"),
  capiMachineDeployment: cluster([group], "MachineDeployment"),
} as const satisfies Record<string, NameKind>;

export type NameKindId = keyof typeof NAME_KINDS;

/** The name of a kind, from its owner (ignored for fixed names) and its parameters in order. */
export function buildName(id: NameKindId, owner: string, ...params: string[]): string {
  const kind: NameKind = NAME_KINDS[id];
  const parts = kind.owner === "none" ? [] : [owner];
  let next = 0;
  for (const seg of kind.tail) parts.push(typeof seg === "string" ? seg : params[next++]!);
  if (next !== params.length) throw new Error(`${id}: expected ${next} parameters, got ${params.length}`);
  return parts.join("-");
}

export const names = {
  infraProvider: buildName("infraProvider", ""),
  gcpProvider: buildName("gcpProvider", ""),
  anycastIngress: (constellation: string) => buildName("anycastIngress", constellation),
  anycast: (constellation: string) => buildName("anycast", constellation),
  anycastTags: (constellation: string) => buildName("anycastTags", constellation),
  /** The one public record of the anycast name. */
  anycastDns: (constellation: string) => buildName("anycastDns", constellation),
  /** The check, deleted last in a destroy, that nothing of the constellation still bills. */
  billingCheck: (constellation: string) => buildName("billingCheck", constellation),
  /** The registration of the program's Image Factory schematic for one architecture. */
  schematic: (constellation: string, architecture: string) => buildName("schematic", constellation, architecture),
  clusterMesh: (constellation: string) => buildName("clusterMesh", constellation),
  meshCaKey: (constellation: string) => buildName("meshCaKey", constellation),
  meshCa: (constellation: string) => buildName("meshCa", constellation),
  /** The DnsAccount component and, under it, the service account itself (same name, other type). */
  dnsAccount: (constellation: string) => buildName("dnsAccount", constellation),
  dnsServiceAccount: (constellation: string) => buildName("dnsServiceAccount", constellation),
  dnsZoneAdmin: (constellation: string) => buildName("dnsZoneAdmin", constellation),
  dnsReader: (constellation: string) => buildName("dnsReader", constellation),
  dnsKey: (constellation: string) => buildName("dnsKey", constellation),

  managementCluster: (cluster: string) => buildName("managementCluster", cluster),
  satelliteCluster: (cluster: string) => buildName("satelliteCluster", cluster),
  k8sProvider: (cluster: string) => buildName("k8sProvider", cluster),
  adoptionProvider: (cluster: string) => buildName("adoptionProvider", cluster),
  vipReservations: (cluster: string) => buildName("vipReservations", cluster),
  vip: (cluster: string, role: VipRole) => buildName("vip", cluster, role),
  vipTags: (cluster: string, role: VipRole) => buildName("vipTags", cluster, role),
  addons: (cluster: string) => buildName("addons", cluster),
  apps: (cluster: string) => buildName("apps", cluster),

  kind: (cluster: string) => buildName("kind", cluster),
  clusterctlInitKind: (cluster: string) => buildName("clusterctlInitKind", cluster),
  capiApply: (cluster: string) => buildName("capiApply", cluster),
  waitInitialized: (cluster: string) => buildName("waitInitialized", cluster),
  adminCredential: (cluster: string) => buildName("adminCredential", cluster),
  waitReady: (cluster: string) => buildName("waitReady", cluster),
  certManagerProbe: (cluster: string) => buildName("certManagerProbe", cluster),
  clusterctlInitSelf: (cluster: string) => buildName("clusterctlInitSelf", cluster),
  move: (cluster: string) => buildName("move", cluster),
  clusterctlUpgrade: (cluster: string) => buildName("clusterctlUpgrade", cluster),
  deleteKind: (cluster: string) => buildName("deleteKind", cluster),
  waitMeshAddress: (cluster: string) => buildName("waitMeshAddress", cluster),
  meshVerify: (cluster: string) => buildName("meshVerify", cluster),
  whoamiAcrossMesh: (cluster: string) => buildName("whoamiAcrossMesh", cluster),
  /** The per-cluster no-op whose delete removes the cluster's Cloud DNS records. */
  dnsCleanup: (cluster: string) => buildName("dnsCleanup", cluster),

  kubeconfigRead: (cluster: string) => buildName("kubeconfigRead", cluster),
  talosconfigRead: (cluster: string) => buildName("talosconfigRead", cluster),

  /** A pinned chart's helm.v3.Release: `<cluster>-<chart>`. */
  helmRelease: (cluster: string, chart: string) => buildName("helmRelease", cluster, chart),
  metallbNamespace: (cluster: string) => buildName("metallbNamespace", cluster),
  metallbObject: (cluster: string, kind: string, name: string) => buildName("metallbObject", cluster, kind.toLowerCase(), name),
  metadataPolicy: (cluster: string) => buildName("metadataPolicy", cluster),
  hostFirewall: (cluster: string) => buildName("hostFirewall", cluster),
  externalDnsNamespace: (cluster: string) => buildName("externalDnsNamespace", cluster),
  /** The DNS key's Secret in one namespace of the cluster. */
  dnsKeySecret: (cluster: string, namespace: string) => buildName("dnsKeySecret", cluster, namespace),
  /** A ClusterIssuer, after its Kubernetes name. */
  issuer: (cluster: string, issuer: string) => buildName("issuer", cluster, issuer),
  whoamiNamespace: (cluster: string) => buildName("whoamiNamespace", cluster),
  whoamiService: (cluster: string) => buildName("whoamiService", cluster),
  whoamiDeployment: (cluster: string) => buildName("whoamiDeployment", cluster),
  whoamiPolicy: (cluster: string) => buildName("whoamiPolicy", cluster),
  whoamiCertificate: (cluster: string) => buildName("whoamiCertificate", cluster),
  whoamiIngress: (cluster: string) => buildName("whoamiIngress", cluster),

  /** The local bootstrap cluster, named after the constellation. */
  kindCluster: (constellation: string) => `gocy-${constellation}`,
  /** The throwaway kind cluster the barycenter's teardown moves its state back to. */
  teardownKindCluster: (constellation: string) => `gocy-${constellation}-teardown`,
} as const;

/** Pulumi logical names of CAPI objects: stable, never hashed, so a rollout is an update, not a rename. */
export const capiResourceNames = {
  cluster: (cluster: string) => buildName("capiCluster", cluster),
  infraCluster: (cluster: string) => buildName("capiInfraCluster", cluster),
  controlPlane: (cluster: string) => buildName("capiControlPlane", cluster),
  controlPlaneTemplate: (cluster: string) => buildName("capiControlPlaneTemplate", cluster),
  workerTemplate: (cluster: string, group: string) => buildName("capiWorkerTemplate", cluster, group),
  workerConfig: (cluster: string, group: string) => buildName("capiWorkerConfig", cluster, group),
  machineDeployment: (cluster: string, group: string) => buildName("capiMachineDeployment", cluster, group),
} as const;

// Reading names back.

/** What a name says: its kind, its owner ("" for a fixed name) and its parameters in order. */
export interface NameReading {
  readonly kind: NameKindId;
  readonly owner: string;
  readonly params: readonly string[];
}

/** What a name is read against: the resource's Pulumi type, and the owners the constellation has. */
export interface NameContext {
  /** The resource's Pulumi type token; without it, every kind is a candidate. */
  readonly type?: string;
  readonly constellation?: string;
  readonly clusters?: readonly string[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const WORD = /^[a-z0-9]+$/;

/** The class of a Pulumi type token that NameKind.classes lists: a provider's whole token, else its last part. */
export function resourceClass(type: string): string {
  return type.startsWith("pulumi:providers:") ? type : type.slice(type.lastIndexOf(":") + 1);
}

/** Every way `segs` can spell `text` exactly, as the parameter values taken; each segment is non-empty. */
function matchTail(segs: readonly Segment[], text: string): string[][] {
  if (segs.length === 0) return text === "" ? [[]] : [];
  const [seg, ...rest] = segs as [Segment, ...Segment[]];
  const out: string[][] = [];
  const take = (value: string, isParam: boolean) => {
    const keep = (m: string[]) => out.push(isParam ? [value, ...m] : m);
    if (text === value) matchTail(rest, "").forEach(keep);
    else if (rest.length > 0 && text.startsWith(`${value}-`)) matchTail(rest, text.slice(value.length + 1)).forEach(keep);
  };
  if (typeof seg === "string") take(seg, false);
  else if (typeof seg.shape !== "string") for (const v of seg.shape) take(v, true);
  else {
    const fits = seg.shape === "word" ? WORD : DNS_LABEL;
    for (let end = 1; end <= text.length; end++) {
      if (end < text.length && text[end] !== "-") continue;
      const value = text.slice(0, end);
      if (fits.test(value) && !seg.except?.includes(value)) take(value, true);
    }
  }
  return out;
}

/** Characters a kind fixes (literals and closed-set values): the more, the more specific a reading. */
function fixedChars(kind: NameKind, params: readonly string[]): number {
  let next = 0;
  let n = 0;
  for (const seg of kind.tail) {
    if (typeof seg === "string") n += seg.length;
    else {
      const value = params[next++]!;
      if (typeof seg.shape !== "string") n += value.length;
    }
  }
  return n;
}

/**
 * Every reading of `name`, the most specific first: most characters fixed by the kind, then the shortest owner.
 * With `type`, only kinds that name that class of resource; with `constellation` and `clusters`, only those owners
 * (an owner list left out admits any DNS-1123 label as that owner).
 */
export function readName(name: string, ctx: NameContext = {}): NameReading[] {
  const cls = ctx.type === undefined ? undefined : resourceClass(ctx.type);
  const readings: (NameReading & { fixed: number })[] = [];
  // Only the owners that can lead this name: a long cluster list costs one prefix test each, once per name.
  const leads = (o: string) => name === o || name.startsWith(`${o}-`);
  const clusters = ctx.clusters?.filter(leads);
  for (const [id, kind] of Object.entries(NAME_KINDS) as [NameKindId, NameKind][]) {
    if (cls !== undefined && !kind.classes.includes(cls)) continue;
    const known = kind.owner === "cluster" ? clusters : kind.owner === "constellation" ? (ctx.constellation === undefined ? undefined : [ctx.constellation]) : [""];
    const owners = known ?? [...name.matchAll(/-/g)].map((m) => name.slice(0, m.index)).concat(name).filter((o) => DNS_LABEL.test(o));
    for (const owner of owners) {
      const rest = owner === "" ? name : name === owner ? "" : name.startsWith(`${owner}-`) ? name.slice(owner.length + 1) : undefined;
      if (rest === undefined) continue;
      for (const params of matchTail(kind.tail, rest)) readings.push({ kind: id, owner, params, fixed: fixedChars(kind, params) });
    }
  }
  readings.sort((a, b) => b.fixed - a.fixed || a.owner.length - b.owner.length);
  return readings.map(({ kind, owner, params }) => ({ kind, owner, params }));
}

/** The most specific reading of `name` (see readName), or undefined when no kind of the program spells it. */
export function classify(name: string, ctx: NameContext = {}): NameReading | undefined {
  return readName(name, ctx)[0];
}

// Names other systems see, with the limits those systems set.

/** kind: a cluster name is at most 50 characters (its node container's hostname appends `-control-plane`). */
export const KIND_CLUSTER_NAME_MAX = 50;
/** Helm: a release name is at most 53 characters (it must fit Kubernetes labels with Helm's suffixes). */
export const HELM_RELEASE_NAME_MAX = 53;
/** GCP: a service-account id is 6–30 characters, `[a-z]([-a-z0-9]*[a-z0-9])`. */
export const GCP_ACCOUNT_ID = { min: 6, max: 30, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/ } as const;

/**
 * The DNS service account's id: `gocy-dns-<constellation>`, or, when that is longer than GCP allows, its first 23
 * characters (no trailing '-') and 6 hex digits of a hash of the constellation name, so two long names never
 * collide.
 */
export function dnsAccountId(constellation: string): string {
  const full = `gocy-dns-${constellation}`;
  return full.length <= GCP_ACCOUNT_ID.max ? full : `${full.slice(0, 23).replace(/-$/, "")}-${hash8(constellation).slice(0, 6)}`;
}

/** The identity of a cluster's Kubernetes provider (`clusterIdentifier`): changing it replaces every object. */
export const clusterIdentifier = (constellation: string, cluster: string) => `gocy:${constellation}:${cluster}`;
/** The identity of the barycenter's adoption provider, distinct from its own provider's. */
export const adoptionClusterIdentifier = (constellation: string, cluster: string) => `${clusterIdentifier(constellation, cluster)}:adoption`;

/** A chart's Helm release name: the chart's own. */
export const helmReleaseName = (chart: string) => chart;

/**
 * Kubernetes names of a cluster's Cluster API objects. They refer to each other by name, so each is explicit.
 * Template names carry a content hash: CAPI rolls machines when a template *reference* changes, not when a
 * template's content changes in place (docs/architecture.md#rollouts).
 */
export const capiNames = {
  /** Namespace of every CAPI object on the management side. `default` exists on kind and on every cluster, and
   * `clusterctl move` keeps namespaces, so no Namespace object has to be created or moved. */
  namespace: "default",
  cluster: (cluster: string) => cluster,
  infraCluster: (cluster: string) => cluster,
  controlPlane: (cluster: string) => `${cluster}-control-plane`,
  machineDeployment: (cluster: string, group: string) => `${cluster}-${group}`,
  /** `<cluster>-<group|control-plane>-<hash8>`. */
  template: (cluster: string, group: string, hash: string) => `${cluster}-${group}-${hash}`,
  /** The Secret CAPI writes with the cluster's admin kubeconfig. */
  kubeconfigSecret: (cluster: string) => `${cluster}-kubeconfig`,
  /** The Secret CABPT writes with the cluster's talosconfig, key `talosconfig`. */
  talosconfigSecret: (cluster: string) => `${cluster}-talosconfig`,
} as const;
