/**
 * The plan as a person reads it: clusters with metro and ID, VIP roles, node groups, resources per cluster and
 * phase, and what a real `pulumi up` still needs.
 */
import { infra } from "../lib/infra";
import { allClusters, type Constellation } from "../lib/constellation/model";
import type { ConfigKey } from "../lib/stack/config";
import type { ValidatedStack } from "../lib/stack/validate";
import { classify, TYPES, type NameKindId } from "../lib/builders/names";
import type { Recorded, RecordedResource, Recording } from "./record/types";
import { creationEdges, graphNodes, isResource } from "./record/graph";
import { destroyOrder } from "./record/lifecycle";
import { renderChanges, type PlanChanges } from "./plan-changes";

/**
 * The lifecycle phase a resource belongs to, in the order a real `up` reaches them (docs/architecture.md#phases), named for someone
 * who has not read the design.
 */
export const PHASES = [
  "groupings (no cloud object)",
  "address reservations",
  "bootstrap kind cluster",
  "Cluster API objects",
  "first control plane up",
  "admin kubeconfig",
  "Pulumi providers",
  "CNI and add-ons",
  "cluster ready",
  "CAPI state moved",
  "kind cluster deleted",
] as const;
export type Phase = (typeof PHASES)[number];

/** The phase of each lifecycle name kind (names.ts reads the name); every other resource is an add-on. */
const PHASE_OF_KIND: Partial<Record<NameKindId, Phase>> = {
  vip: "address reservations",
  vipTags: "address reservations",
  anycast: "address reservations",
  anycastTags: "address reservations",
  kind: "bootstrap kind cluster",
  clusterctlInitKind: "bootstrap kind cluster",
  capiApply: "Cluster API objects",
  waitInitialized: "first control plane up",
  adminCredential: "admin kubeconfig",
  waitReady: "cluster ready",
  certManagerProbe: "CAPI state moved",
  clusterctlInitSelf: "CAPI state moved",
  move: "CAPI state moved",
  clusterctlUpgrade: "CAPI state moved",
  deleteKind: "kind cluster deleted",
};

/** @param clusters the recording's clusters (clustersOf): names are read against them. */
export function phaseOf(r: RecordedResource, clusters: readonly string[]): Phase {
  if (r.type.startsWith("pulumi:providers:")) return "Pulumi providers";
  if (!r.custom) return "groupings (no cloud object)";
  if (r.type.startsWith("kubernetes:") && r.type.includes("x-k8s.io")) return "Cluster API objects";
  const kind = classify(r.name, { type: r.type, clusters })?.kind;
  return (kind && PHASE_OF_KIND[kind]) ?? "CNI and add-ons";
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
 * reservation bills while it is reserved. No price is shown: the platform's prices are not the program's to know (Equinix Metal's went with it).
 */
export function machineSummary(c: Constellation, rec: Recording): string[] {
  const total = new Map<string, number>();
  const lines = ["Machines (every device billed hourly) and reserved addresses (billed while reserved):"];
  // The reservations the program registers, by cluster and type (the anycast one belongs to the constellation).
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const reservations = rec.resources.filter((r) => r.type === infra.reservations.pulumiType);
  const addressesOf = (cluster: string) => {
    const mine = reservations.filter((r) => clusterOf(r, byUrn) === cluster);
    const kinds = new Map<string, number>();
    for (const r of mine) {
      const kind = infra.reservations.isAnycast(r.inputs) ? "global anycast IPv4" : "public IPv4";
      kinds.set(kind, (kinds.get(kind) ?? 0) + Number(r.inputs.quantity ?? 1));
    }
    return [...kinds].map(([kind, n]) => `${n} ${kind} /32`).join(", ") || "no reserved address";
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
  const publics = reservations.filter((r) => !infra.reservations.isAnycast(r.inputs)).length;
  const globals = reservations.length - publics;
  lines.push(`  in all: ${devices} devices (${[...total].map(([p, n]) => `${n} × ${p}`).join(", ")}), ${publics} public IPv4 /32 and ${globals} global anycast IPv4 /32`);
  return lines;
}

/** The widest line the plan prints: it reads in a terminal of 100 columns without wrapping. */
export const WIDTH = 100;

/**
 * Items joined by `sep` after `head`, packed into lines of at most `width` columns. A full line ends with the
 * separator (trimmed) so it reads as "more follows"; the next starts `indent` spaces in. An item longer than a whole
 * line stands on its own line.
 */
export function wrapItems(head: string, items: readonly string[], sep: string, indent: number, width = WIDTH): string[] {
  const tail = sep.trimEnd();
  const lines: string[] = [];
  let cur = head;
  let onLine = 0;
  for (const item of items) {
    const next = onLine === 0 ? cur + item : cur + sep + item;
    if (onLine > 0 && next.length + tail.length > width) {
      lines.push(cur + tail);
      cur = " ".repeat(indent) + item;
    } else {
      cur = next;
    }
    onLine++;
  }
  lines.push(cur);
  return lines;
}

/**
 * A line of prose longer than `width`, broken at spaces; continuation lines are indented four columns past the
 * line's own indentation. A word longer than a line (a long path) is left whole.
 */
export function wrapLine(line: string, width = WIDTH): string[] {
  if (line.length <= width) return [line];
  const indent = " ".repeat(Math.min((/^ */.exec(line)?.[0].length ?? 0) + 4, 40));
  const out: string[] = [];
  let rest = line;
  let prefix = "";
  while ((prefix + rest).length > width) {
    const text = prefix + rest;
    const cut = text.lastIndexOf(" ", width);
    if (cut <= prefix.length) break;
    out.push(text.slice(0, cut).trimEnd());
    rest = text.slice(cut + 1).trimStart();
    prefix = indent;
  }
  out.push(prefix + rest);
  return out;
}

/**
 * `pulumi destroy` per cluster: the deletes that call a provider, wave by wave (destroyOrder's waves: the deletes
 * of one wave run in parallel, after every earlier wave), then how many resources go with their cluster without a
 * call of their own, and what is retained or protected.
 */
export function destroySummary(rec: Recording, byUrn: ReadonlyMap<string, RecordedResource>, clusters: readonly string[]): string[] {
  const steps = destroyOrder(rec);
  const lines = ["pulumi destroy, cluster by cluster (a wave's deletes run in parallel, after the earlier waves):"];
  for (const cluster of [...clusters, "(constellation)"]) {
    const mine = steps.filter((s) => !s.component && clusterOf(byUrn.get(s.urn)!, byUrn) === cluster);
    const calls = mine.filter((s) => s.action === "delete").sort((a, b) => a.wave - b.wave || a.urn.localeCompare(b.urn));
    const skipped = mine.filter((s) => s.action === "skipped: deletedWith").length;
    const retained = mine.filter((s) => s.action === "retained").map((s) => byUrn.get(s.urn)!.name);
    const held = mine.filter((s) => s.action === "protected").map((s) => byUrn.get(s.urn)!.name);
    lines.push(`  ${cluster === "(constellation)" ? "shared by the constellation" : cluster}: ${calls.length} deletes`);
    const waves = [...new Set(calls.map((s) => s.wave))];
    const label = (w: number) => `wave ${String(w).padStart(String(Math.max(...waves)).length)}: `;
    for (const w of waves) {
      const head = `    ${label(w)}`;
      lines.push(...wrapItems(head, calls.filter((s) => s.wave === w).map((s) => byUrn.get(s.urn)!.name), ", ", head.length));
    }
    if (skipped > 0) lines.push(`    and ${skipped} more that go with their cluster (deletedWith), without a call of their own`);
    if (retained.length > 0) lines.push(...wrapItems("    retained (left in place): ", retained, ", ", 6));
    if (held.length > 0) lines.push(...wrapItems("    protected, kept by --exclude-protected: ", held, ", ", 6));
  }
  return lines;
}

/** Lines of a table: the first column left-aligned, the others right-aligned, two spaces between columns. */
function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => indent + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd());
}

/**
 * Resources by phase: rows in the order a real `up` reaches the phases, columns the barycenter, the satellites
 * together (a column each would not fit once there are many), what the constellation shares, and all of them.
 */
export function phaseTable(rec: Recording, c: Constellation): string[] {
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const columns = [c.barycenter.name, "satellites", "shared", "in all"];
  const counts = new Map<Phase, number[]>(PHASES.map((p) => [p, [0, 0, 0, 0]]));
  const clusters = allClusters(c).map((x) => x.name);
  let total = 0;
  for (const r of rec.resources) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    const cluster = clusterOf(r, byUrn);
    const col = cluster === c.barycenter.name ? 0 : cluster === "(constellation)" ? 2 : 1;
    const row = counts.get(phaseOf(r, clusters))!;
    row[col]!++;
    row[3]!++;
    total++;
  }
  const satellites = c.satellites.length;
  const header = ["phase", `${columns[0]}`, `${satellites} satellite${satellites === 1 ? "" : "s"}`, columns[2]!, columns[3]!];
  const rows = PHASES.filter((p) => counts.get(p)![3]! > 0).map((p) => [p, ...counts.get(p)!.map((n) => (n === 0 ? "-" : String(n)))]);
  return [
    `Resources by phase, in the order a real pulumi up reaches them (${total} resources and the stack):`,
    ...table([header, ...rows], "  "),
  ];
}

const str = (v: Recorded | undefined): string => (typeof v === "string" ? v : JSON.stringify(v ?? null));

/** What the summary says of changes: the comparison with the last plan, or why there is none. */
export type ChangesSinceLast = PlanChanges | { readonly notCompared: string };

/**
 * The plan as printed: a summary first (clusters, machines, addresses, resources, changes since the last plan, what
 * a real up still needs), then the details in the same order. No line is wider than WIDTH columns.
 */
export function summarize(
  v: ValidatedStack,
  rec: Recording,
  opts: { outDir: string; secretKeysSet: readonly string[]; configKeys: readonly ConfigKey[]; changes: ChangesSinceLast },
): string {
  const c = v.constellation;
  const clusters = allClusters(c);
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));

  const needed = [...v.stillNeeded];
  for (const k of opts.configKeys) {
    if (k.secret && k.requiredForUp && !opts.secretKeysSet.includes(k.key) && !needed.some((n) => n.startsWith(k.key))) {
      needed.push(`${k.key}: not set; a real pulumi up needs it (pulumi config set --secret ${k.key} <value>)`);
    }
  }
  if (v.unpinned.length > 0) needed.push(`cluster IDs pinned: ${v.pinCommands.join("; ")} (or npm run plan -- --pin-ids)`);
  needed.push("PULUMI_CONFIG_PASSPHRASE in the environment (the local backend encrypts secrets with it)");
  needed.push("GITHUB_TOKEN in the environment (recommended: clusterctl downloads provider releases from GitHub, rate-limited without it)");
  const warnings = [...new Set([...v.warnings, ...rec.logs.filter((l) => l.severity === "warning" || l.severity === "error").map((l) => l.message)])];

  const plans = new Map<string, number>();
  for (const cl of clusters) for (const g of [cl.controlPlane, ...cl.workers]) plans.set(g.plan, (plans.get(g.plan) ?? 0) + g.count);
  const devices = [...plans.values()].reduce((a, b) => a + b, 0);
  const reservations = rec.resources.filter((r) => r.type === infra.reservations.pulumiType);
  const publics = reservations.filter((r) => !infra.reservations.isAnycast(r.inputs)).length;
  const satellites = c.satellites.length;
  const metros = new Set(c.satellites.map((s) => s.metro)).size;
  const satelliteWords =
    satellites === 0
      ? "no satellite"
      : satellites <= 6
        ? `${satellites} satellite${satellites === 1 ? "" : "s"} (${c.satellites.map((s) => `${s.name} in ${s.metro}`).join(", ")})`
        : `${satellites} satellites in ${metros} metro${metros === 1 ? "" : "s"}`;
  const changes = opts.changes;
  const changeWords =
    "notCompared" in changes
      ? changes.notCompared
      : `${changes.counts.add} to add, ${changes.counts.change} to change, ${changes.counts.replace} to replace, ${changes.counts.delete} to delete`;

  const lines: string[] = [];
  lines.push(`GOCY plan: stack ${rec.stack}, constellation ${c.name} (${c.file})${rec.preview ? ", preview mode" : ""}`);
  lines.push("");
  lines.push("Summary");
  lines.push(`  clusters      ${clusters.length}: barycenter ${c.barycenter.name} in ${c.barycenter.metro}, ${satelliteWords}`);
  lines.push(`  machines      ${devices} devices (${[...plans].map(([p, n]) => `${n} × ${p}`).join(", ")}), each billed by the hour`);
  lines.push(`  addresses     ${publics} public IPv4 and ${reservations.length - publics} global anycast IPv4, billed while reserved`);
  lines.push(`  resources     ${rec.resources.length} in the stack (the stack itself included)`);
  lines.push(`  since last    ${changeWords}`);
  lines.push(`  still needed  ${needed.length} things before a real pulumi up (listed at the end)`);
  lines.push(`  warnings      ${warnings.length === 0 ? "none" : `${warnings.length} (listed at the end)`}`);
  lines.push("");

  lines.push(`Cluster API providers: core ${c.versions.capi}, bootstrap Talos ${c.versions.cabpt}, control plane Talos ${c.versions.cacppt}, infrastructure ${infra.versions.provider.label} ${c.versions.infrastructure}; ingress controller ${c.ingress}`);
  lines.push("");
  const vips = (rec.outputs.vips ?? {}) as Record<string, Record<string, Recorded>>;
  // A preview of a fresh stack knows no address yet: said so, never printed as null.
  const addr = (v: Recorded | undefined) => (v === undefined || v === null || v === "[unknown]" ? (rec.preview ? "(unknown until up)" : "(none)") : str(v));
  for (const cluster of clusters) {
    const id = v.clusterIds.get(cluster.name);
    const pinned = v.unpinned.includes(cluster.name) ? " (proposed, not pinned)" : "";
    lines.push(`${cluster.name}  ${cluster.role}  metro ${cluster.metro}  cluster ID ${id}${pinned}`);
    lines.push(`  Talos ${cluster.versions.talos}  Kubernetes ${cluster.versions.kubernetes}  ${infra.versions.cloudController.label} ${cluster.versions.cloudController}`);
    const a = vips[cluster.name] ?? {};
    const ingressNote = cluster.role === "satellite" ? " (shared anycast)" : "";
    lines.push(`  VIPs: cp ${addr(a.cp)}  ingress ${addr(a.ingress)}${ingressNote}  mesh ${addr(a.mesh)}`);
    lines.push(`  pods ${cluster.podCidrs.join(", ")}  services ${cluster.serviceCidrs.join(", ")}  KubeSpan ${cluster.kubespan ? "on" : "off"}  firewall ${cluster.firewall ? "on" : "off"}`);
    lines.push(`  control plane: ${cluster.controlPlane.count} × ${cluster.controlPlane.plan} (install disk ${cluster.controlPlane.installDisk})`);
    for (const w of cluster.workers) lines.push(`  workers ${w.key}: ${w.count} × ${w.plan} (install disk ${w.installDisk})`);
  }
  lines.push(`Anycast ingress (shared by the satellites, protected): ${addr(rec.outputs.anycastAddress as Recorded)}`);
  lines.push("");
  lines.push(...machineSummary(c, rec));
  if (!rec.preview) lines.push(`The addresses above are offline placeholders (documentation ranges); ${infra.displayName} assigns real ones.`);
  lines.push("");

  if (!("notCompared" in changes) && changes.changes.length > 0) {
    lines.push(...renderChanges(changes));
    lines.push("");
  }

  const steps = (layers: string[][]) =>
    layers.flatMap((layer, i) => {
      const head = `  ${String(i + 1).padStart(String(layers.length).length)}. `;
      return wrapItems(head, layer, " ∥ ", head.length);
    });
  lines.push(`${c.barycenter.name} bring-up, step by step as the dependency graph orders it (∥ = in parallel):`);
  lines.push(...steps(creationOrder(rec, c.barycenter.name)));
  const first = c.satellites[0];
  if (first) {
    lines.push(`each satellite, after the barycenter's adoption (${first.name} shown; satellites run in parallel):`);
    lines.push(...steps(creationOrder(rec, first.name)));
  }
  lines.push("");
  lines.push(...destroySummary(rec, byUrn, clusters.map((x) => x.name)));
  lines.push("");
  lines.push(...phaseTable(rec, c));
  lines.push("");

  lines.push("A real pulumi up still needs:");
  for (const n of needed) {
    // The command that sets a key on a line of its own, where it can be copied whole.
    const m = /^(.*); a real pulumi up needs it \((pulumi config set .*)\)$/.exec(n);
    lines.push(...(m ? [`  ${m[1]}`, `      ${m[2]}`] : [`  ${n}`]));
  }
  if (warnings.length > 0) {
    lines.push("");
    lines.push("Warnings:");
    for (const w of warnings) lines.push(`  ${w.replace(/\n/g, "\n  ")}`);
  }
  lines.push("");
  return `${lines.flatMap((l) => l.split("\n")).flatMap((l) => wrapLine(l)).join("\n")}\n`;
}
