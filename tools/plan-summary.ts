/**
 * The plan as a person reads it: clusters with metro and ID, VIP roles, node groups, resources per cluster and
 * phase, and what a real `pulumi up` still needs.
 */
import { allClusters, type Constellation } from "../lib/spec/model";
import type { ConfigKey } from "../lib/spec/stack-config";
import type { ValidatedStack } from "../lib/spec/validate";
import { classify, TYPES, type NameKindId } from "../lib/builders/names";
import type { Recorded, RecordedResource, Recording } from "./record/types";
import { creationEdges, graphNodes, isResource } from "./record/graph";
import { destroyOrder } from "./record/lifecycle";

/** The lifecycle phase a resource belongs to, in the order a real `up` runs them (DESIGN §4). */
export const PHASES = ["components", "1 reservations", "boot", "2 CAPI objects", "3 initialized", "credential", "providers", "4 CNI and add-ons", "5 ready", "6 move", "7 kind deleted"] as const;
export type Phase = (typeof PHASES)[number];

/** The phase of each lifecycle name kind (names.ts reads the name); every other resource is an add-on. */
const PHASE_OF_KIND: Partial<Record<NameKindId, Phase>> = {
  vip: "1 reservations",
  vipTags: "1 reservations",
  anycast: "1 reservations",
  anycastTags: "1 reservations",
  kind: "boot",
  clusterctlInitKind: "boot",
  capiApply: "2 CAPI objects",
  waitInitialized: "3 initialized",
  adminCredential: "credential",
  waitReady: "5 ready",
  certManagerProbe: "6 move",
  clusterctlInitSelf: "6 move",
  move: "6 move",
  clusterctlUpgrade: "6 move",
  deleteKind: "7 kind deleted",
};

export function phaseOf(r: RecordedResource): Phase {
  if (r.type.startsWith("pulumi:providers:")) return "providers";
  if (!r.custom) return "components";
  if (r.type.startsWith("kubernetes:") && r.type.includes("x-k8s.io")) return "2 CAPI objects";
  const kind = classify(r.name, { type: r.type })?.kind;
  return (kind && PHASE_OF_KIND[kind]) ?? "4 CNI and add-ons";
}

/**
 * The order a real `up` creates a cluster's lifecycle resources in, from the recorded graph itself: each resource's
 * depth is the longest chain of dependencies (and `deletedWith`, which orders creation too) below it.
 */
export function creationOrder(rec: Recording, cluster: string): string[][] {
  const resources = new Map(rec.resources.map((r) => [r.urn, r]));
  const mine = rec.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && clusterOf(r, resources) === cluster);
  // Reads are nodes too: a provider built from a read kubeconfig comes after the read, which comes after its wait.
  const byUrn = graphNodes(rec);
  const depth = new Map<string, number>();
  const visit = (urn: string, seen: Set<string>): number => {
    const known = depth.get(urn);
    if (known !== undefined) return known;
    const r = byUrn.get(urn);
    if (!r || seen.has(urn)) return 0;
    seen.add(urn);
    // Only custom resources other than providers count as a step; reads, components and providers add no depth.
    const below = Math.max(0, ...creationEdges(r).map((e) => visit(e, seen)));
    const d = isResource(r) && r.custom && !r.type.startsWith("pulumi:providers:") ? below + 1 : below;
    depth.set(urn, d);
    return d;
  };
  const layers: string[][] = [];
  for (const r of mine) {
    const d = visit(r.urn, new Set());
    (layers[d] ??= []).push(r.name);
  }
  return layers.filter((l) => l.length > 0).map((l) => l.sort());
}

/** The cluster a resource belongs to: the ManagementCluster or SatelliteCluster above it, else the constellation. */
export function clusterOf(r: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): string {
  for (let cur: RecordedResource | undefined = r; cur; cur = cur.parent ? byUrn.get(cur.parent) : undefined) {
    if (cur.type === TYPES.managementCluster || cur.type === TYPES.satelliteCluster) return cur.name;
  }
  return "(constellation)";
}

/**
 * What the constellation holds in machines and addresses, per cluster and in total: devices by plan, and reserved
 * addresses by type. Every device is billed by the hour (the machine templates' `billingCycle: hourly`), and every
 * reservation bills while it is reserved. Equinix Metal's prices went with the platform: no price is shown.
 */
export function machineSummary(c: Constellation, rec: Recording): string[] {
  const total = new Map<string, number>();
  const lines = ["Machines (every device billed hourly) and reserved addresses (billed while reserved):"];
  // The reservations the program registers, by cluster and type (the anycast one belongs to the constellation).
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const reservations = rec.resources.filter((r) => r.type === "equinix-metal:index/reservedIpBlock:ReservedIpBlock");
  const addressesOf = (cluster: string) => {
    const mine = reservations.filter((r) => clusterOf(r, byUrn) === cluster);
    const kinds = new Map<string, number>();
    for (const r of mine) kinds.set(String(r.inputs.type), (kinds.get(String(r.inputs.type)) ?? 0) + Number(r.inputs.quantity ?? 1));
    return [...kinds].map(([t, n]) => `${n} ${t === "global_ipv4" ? "global anycast IPv4" : "public IPv4"} /32`).join(", ") || "no reserved address";
  };
  for (const cluster of allClusters(c)) {
    const plans = new Map<string, number>();
    for (const g of [cluster.controlPlane, ...cluster.workers]) {
      plans.set(g.plan, (plans.get(g.plan) ?? 0) + g.count);
      total.set(g.plan, (total.get(g.plan) ?? 0) + g.count);
    }
    const devices = [...plans.values()].reduce((a, b) => a + b, 0);
    lines.push(`  ${cluster.name}: ${devices} devices (${[...plans].map(([p, n]) => `${n} × ${p}`).join(", ")}), ${addressesOf(cluster.name)}`);
  }
  lines.push(`  the constellation: ${addressesOf("(constellation)")}`);
  const devices = [...total.values()].reduce((a, b) => a + b, 0);
  const publics = reservations.filter((r) => r.inputs.type !== "global_ipv4").length;
  const globals = reservations.length - publics;
  lines.push(`  in all: ${devices} devices (${[...total].map(([p, n]) => `${n} × ${p}`).join(", ")}), ${publics} public IPv4 /32 and ${globals} global anycast IPv4 /32`);
  return lines;
}

/**
 * `pulumi destroy` per cluster, in a few lines: the deletes that call a provider, in the order the engine runs them
 * (wave numbers from destroyOrder), and how many resources go with them without a call of their own.
 */
export function destroySummary(rec: Recording, byUrn: ReadonlyMap<string, RecordedResource>, clusters: readonly string[]): string[] {
  const steps = destroyOrder(rec);
  const lines = ["pulumi destroy, by cluster (wave: deletes in one wave run in parallel, after every earlier wave):"];
  for (const cluster of [...clusters, "(constellation)"]) {
    const mine = steps.filter((s) => !s.component && clusterOf(byUrn.get(s.urn)!, byUrn) === cluster);
    const calls = mine.filter((s) => s.action === "delete").sort((a, b) => a.wave - b.wave || a.urn.localeCompare(b.urn));
    const skipped = mine.filter((s) => s.action === "skipped: deletedWith").length;
    const retained = mine.filter((s) => s.action === "retained").map((s) => byUrn.get(s.urn)!.name);
    const held = mine.filter((s) => s.action === "protected").map((s) => byUrn.get(s.urn)!.name);
    const parts = [calls.map((s) => `${s.wave}:${byUrn.get(s.urn)!.name}`).join(" → ")];
    if (skipped > 0) parts.push(`${skipped} go with their cluster (deletedWith)`);
    if (retained.length > 0) parts.push(`retained: ${retained.join(", ")}`);
    if (held.length > 0) parts.push(`protected, kept by --exclude-protected: ${held.join(", ")}`);
    lines.push(`  ${cluster}: ${parts.filter((p) => p !== "").join("; ")}`);
  }
  return lines;
}

const str = (v: Recorded | undefined): string => (typeof v === "string" ? v : JSON.stringify(v ?? null));

export function summarize(
  v: ValidatedStack,
  rec: Recording,
  opts: { outDir: string; secretKeysSet: readonly string[]; configKeys: readonly ConfigKey[] },
): string {
  const c = v.constellation;
  const lines: string[] = [];
  lines.push(`GOCY plan: stack ${rec.stack}, constellation ${c.name} (${c.file})${rec.preview ? ", preview mode" : ""}`);
  lines.push(`Providers: cluster-api ${c.versions.capi}, bootstrap talos ${c.versions.cabpt}, control-plane talos ${c.versions.cacppt}, infrastructure packet ${c.versions.capp}; ingress ${c.ingress}`);
  lines.push("");
  const vips = (rec.outputs.vips ?? {}) as Record<string, Record<string, Recorded>>;
  // A preview of a fresh stack knows no address yet: said so, never printed as null.
  const addr = (v: Recorded | undefined) => (v === undefined || v === null || v === "[unknown]" ? (rec.preview ? "(unknown until up)" : "(none)") : str(v));
  for (const cluster of allClusters(c)) {
    const id = v.clusterIds.get(cluster.name);
    const pinned = v.unpinned.includes(cluster.name) ? " (proposed, not pinned)" : "";
    lines.push(`${cluster.name}  ${cluster.role}  metro ${cluster.metro}  cluster ID ${id}${pinned}  Talos ${cluster.versions.talos}  Kubernetes ${cluster.versions.kubernetes}  CPEM ${cluster.versions.cpem}`);
    const a = vips[cluster.name] ?? {};
    const ingressNote = cluster.role === "satellite" ? " (shared anycast)" : "";
    lines.push(`  VIPs: cp ${addr(a.cp)}  ingress ${addr(a.ingress)}${ingressNote}  mesh ${addr(a.mesh)}`);
    lines.push(`  pods ${cluster.podCidrs.join(", ")}  services ${cluster.serviceCidrs.join(", ")}  KubeSpan ${cluster.kubespan ? "on" : "off"}  firewall ${cluster.firewall ? "on" : "off"}`);
    lines.push(`  control plane: ${cluster.controlPlane.count} × ${cluster.controlPlane.plan} (install disk ${cluster.controlPlane.installDisk})`);
    for (const w of cluster.workers) lines.push(`  workers ${w.key}: ${w.count} × ${w.plan} (install disk ${w.installDisk})`);
  }
  lines.push(`Anycast ingress (shared by the satellites, protected): ${addr(rec.outputs.anycastAddress as Recorded)}`);
  lines.push(...machineSummary(c, rec));
  if (!rec.preview) lines.push("Addresses above are offline placeholders from the documentation ranges; Equinix assigns the real ones.");
  lines.push("");

  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const counts = new Map<string, Map<Phase, number>>();
  for (const r of rec.resources) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    const cluster = clusterOf(r, byUrn);
    const phases = counts.get(cluster) ?? new Map<Phase, number>();
    phases.set(phaseOf(r), (phases.get(phaseOf(r)) ?? 0) + 1);
    counts.set(cluster, phases);
  }
  lines.push(`${c.barycenter.name} bring-up, in the order the dependency graph creates it (∥ = in parallel):`);
  creationOrder(rec, c.barycenter.name).forEach((layer, i) => lines.push(`  ${i + 1}. ${layer.join(" ∥ ")}`));
  const first = c.satellites[0];
  if (first) {
    lines.push(`each satellite, after the barycenter's adoption (${first.name} shown; satellites do not wait for each other):`);
    creationOrder(rec, first.name).forEach((layer, i) => lines.push(`  ${i + 1}. ${layer.join(" ∥ ")}`));
  }
  lines.push("");
  lines.push(...destroySummary(rec, byUrn, allClusters(c).map((x) => x.name)));
  lines.push("");
  lines.push(`Resources by cluster and phase (${rec.resources.length} in all, with the stack):`);
  for (const [cluster, phases] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${cluster}: ${PHASES.filter((p) => phases.has(p)).map((p) => `${p} ${phases.get(p)}`).join(" · ")}`);
  }
  lines.push("");

  const needed = [...v.stillNeeded];
  for (const k of opts.configKeys) {
    if (k.secret && k.requiredForUp && !opts.secretKeysSet.includes(k.key) && !needed.some((n) => n.startsWith(k.key))) {
      needed.push(`${k.key}: not set; a real pulumi up needs it (pulumi config set --secret ${k.key} <value>)`);
    }
  }
  lines.push("A real pulumi up still needs:");
  for (const n of needed) lines.push(`  ${n}`);
  if (v.unpinned.length > 0) lines.push(`  cluster IDs pinned: ${v.pinCommands.join("; ")} (or npm run plan -- --pin-ids)`);
  lines.push("  PULUMI_CONFIG_PASSPHRASE in the environment (the local backend encrypts secrets with it)");
  lines.push("  GITHUB_TOKEN in the environment (recommended: clusterctl downloads provider releases from GitHub, rate-limited without it)");
  const warnings = [...v.warnings, ...rec.logs.filter((l) => l.severity === "warning" || l.severity === "error").map((l) => l.message)];
  const unique = [...new Set(warnings)];
  if (unique.length > 0) {
    lines.push("");
    lines.push("Warnings:");
    for (const w of unique) lines.push(`  ${w.replace(/\n/g, "\n  ")}`);
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}
