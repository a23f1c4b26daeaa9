/**
 * What changed since the last plan, as `terraform plan` summarises it: the previous out/<stack>/plan.json against
 * this run, diffed as the providers diff (tools/record/lifecycle.ts planUpdate: ignoreChanges, the inputs that force
 * a replacement, which command script an update runs), with the input paths that changed and, in words, the changes
 * that re-provision bare metal. Secrets are compared as "[secret]": a changed secret does not show.
 */
import { infra } from "../lib/infra";
import { planUpdate, type PlannedChange } from "./record/lifecycle";
import type { PlanDocument } from "./plan-json";
import type { Recorded, RecordedResource, Recording } from "./record/types";

function asRecording(doc: PlanDocument): Recording {
  const resources = (doc.resources as RecordedResource[]).map((r) => ({ ...r, remote: false, providers: {}, configKnown: true }));
  return { project: "gocy", stack: doc.stack, preview: doc.preview, resources, reads: [], invokes: [], outputs: {}, logs: [], error: null, elapsedMs: 0, maxRssKb: 0 };
}

/** Deep paths where two values differ (`spec.replicas`, `environment.GOCY_CLUSTERS`, `values.clustermesh.config.clusters[3]`). */
export function changedPaths(a: Recorded | undefined, b: Recorded | undefined, at = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown): v is Record<string, Recorded> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...changedPaths(a[i], b[i], `${at}[${i}]`));
    return out;
  }
  if (isObj(a) && isObj(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => changedPaths(a[k], b[k], at === "" ? k : `${at}.${k}`));
  }
  return [at === "" ? "(whole value)" : at];
}

export interface PlanChanges {
  readonly changes: readonly (PlannedChange & { readonly paths: readonly string[]; readonly cluster: string; readonly note?: string })[];
  readonly counts: { readonly add: number; readonly change: number; readonly replace: number; readonly delete: number };
}

/** Words for a change that re-provisions bare metal or hands out a new address. */
function noteFor(c: PlannedChange, cluster: string, barycenter: string): string | undefined {
  if (c.kind === "replace" && c.type === infra.reservations.pulumiType) return "a new address is reserved and the old one released";
  if (c.type.endsWith(`:${infra.capi.machineTemplateKind}`) && (c.kind === "add" || c.kind === "replace")) {
    if (!c.name.includes("-control-plane")) return "rolls the group's workers onto new devices";
    return cluster === barycenter
      ? "rolls the management cluster's control plane onto new devices (with one control-plane node, the management cluster is re-provisioned)"
      : "rolls the control plane onto new devices";
  }
  if (c.type.endsWith(":MachineDeployment") && c.kind === "update") return "changes the group's devices (more, fewer or rolled)";
  return undefined;
}

export function compareWithLast(previous: PlanDocument, current: PlanDocument, clusterOf: (urn: string) => string, barycenter: string): PlanChanges {
  const [before, after] = [asRecording(previous), asRecording(current)];
  const prevByUrn = new Map(before.resources.map((r) => [r.urn, r]));
  const nowByUrn = new Map(after.resources.map((r) => [r.urn, r]));
  const changes = planUpdate(before, after).map((c) => {
    const a = prevByUrn.get(c.urn);
    const b = nowByUrn.get(c.urn);
    const paths = a && b ? changedPaths(a.inputs as Recorded, b.inputs as Recorded) : [];
    const cluster = clusterOf(c.urn);
    const note = noteFor(c, cluster, barycenter);
    return { ...c, paths, cluster, ...(note ? { note } : {}) };
  });
  const count = (k: string) => changes.filter((c) => c.kind === k).length;
  return { changes, counts: { add: count("add"), change: count("update"), replace: count("replace"), delete: count("delete") } };
}

/** The lines the plan prints: the counts first, then per cluster. */
export function renderChanges(c: PlanChanges): string[] {
  const { add, change, replace, delete: del } = c.counts;
  const lines = [`Changes since the last plan: ${add} to add, ${change} to change, ${replace} to replace, ${del} to delete`];
  const clusters = [...new Set(c.changes.map((x) => x.cluster))].sort();
  for (const cluster of clusters) {
    lines.push(`  ${cluster}:`);
    for (const x of c.changes.filter((y) => y.cluster === cluster)) {
      const verb = x.kind === "update" ? "change" : x.kind;
      const paths = x.paths.length > 0 ? ` (${x.paths.slice(0, 4).join(", ")}${x.paths.length > 4 ? `, +${x.paths.length - 4} more` : ""})` : "";
      // A Kubernetes object is replaced for a new name (a template's content hash), anything else for its keys.
      const by = x.type.startsWith("kubernetes:") ? ["metadata.name"] : x.keys;
      const forced = x.kind === "replace" && by.length > 0 ? ` [replaced: ${by.join(", ")} changed]` : "";
      lines.push(`    ${verb} ${x.name}${paths}${forced}${x.runs ? `: runs its ${x.runs}` : ""}${x.note ? `: ${x.note}` : ""}`);
    }
  }
  return lines;
}
