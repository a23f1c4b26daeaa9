/**
 * The modelled bring-up critical path: the longest chain through the recorded dependency graph (with `deletedWith`
 * as a creation edge and reads as nodes), each step weighted by a documented duration for its kind. A model, not a
 * measurement: it shows whether adding satellites lengthens the bring-up (it must not: they provision in parallel).
 */
import type { Recording } from "./record/types";
import { creationEdges, graphNodes, isResource } from "./record/graph";
import { classify, type NameKindId } from "../lib/builders/names";
import { clustersOf } from "./record/clusters";

/** Minutes a step of each kind takes on bare metal, roughly (what the model charges), by name kind (names.ts reads
 * the name). */
export const STEP_MINUTES: Partial<Record<NameKindId, readonly [number, string]>> = {
  // The long waits: machines install Talos and join.
  waitInitialized: [15, "a control plane installs Talos on bare metal and bootstraps etcd"],
  waitReady: [15, "workers install and join; nodes become Ready once the CNI runs"],
  // The bootstrap cluster and the move.
  kind: [2, "kind creates the bootstrap cluster"],
  deleteKind: [2, "kind deletes the bootstrap cluster"],
  move: [3, "clusterctl move"],
  // Providers and certificates.
  clusterctlInitKind: [4, "clusterctl installs the providers and waits for them"],
  clusterctlInitSelf: [4, "clusterctl installs the providers and waits for them"],
  certManagerProbe: [2, "cert-manager issues a test certificate"],
  adminCredential: [1, "the API server answers and a token is issued"],
  // The platform's API.
  vipTags: [0.2, "a platform API call"],
  anycastTags: [0.2, "a platform API call"],
  vip: [0.5, "an IP reservation"],
  anycast: [0.5, "an IP reservation"],
};
/** The Helm releases the model charges, by chart: the bootstrap-critical add-ons. */
const HELM_MINUTES: Readonly<Record<string, number>> = { cilium: 3, metallb: 3, "cert-manager": 3 };
const DEFAULT_MINUTES = 0.1;

/** @param clusters the recording's clusters (clustersOf): names are read against them. */
export function stepMinutes(name: string, type: string, clusters: readonly string[]): number {
  if (type.startsWith("pulumi:providers:") || type.startsWith("gocy:index:") || type === "pulumi:pulumi:Stack") return 0;
  const reading = classify(name, { type, clusters });
  if (reading?.kind === "helmRelease") return HELM_MINUTES[reading.params[0]!] ?? DEFAULT_MINUTES;
  return (reading && STEP_MINUTES[reading.kind]?.[0]) ?? DEFAULT_MINUTES;
}

export interface CriticalPath {
  readonly minutes: number;
  /** Names along the path, first to last. */
  readonly path: readonly string[];
}

/** One modelled step: when it starts and ends, in minutes from the start of the `up`. */
export interface Step {
  readonly urn: string;
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** The longest chain ending at each node of the recorded graph: the model's one computation, memoised per URN. */
function longestChains(rec: Recording): Map<string, CriticalPath> {
  const nodes = graphNodes(rec);
  const clusters = clustersOf(rec);
  const memo = new Map<string, CriticalPath>();
  const visit = (urn: string, stack: Set<string>): CriticalPath => {
    const known = memo.get(urn);
    if (known) return known;
    const r = nodes.get(urn);
    if (!r || stack.has(urn)) return { minutes: 0, path: [] };
    stack.add(urn);
    const edges = creationEdges(r);
    let best: CriticalPath = { minutes: 0, path: [] };
    for (const e of edges) {
      const p = visit(e, stack);
      if (p.minutes > best.minutes || (p.minutes === best.minutes && p.path.length > best.path.length)) best = p;
    }
    stack.delete(urn);
    const own = isResource(r) ? stepMinutes(r.name, r.type, clusters) : 0;
    const result = { minutes: Math.round((best.minutes + own) * 100) / 100, path: own > 0 ? [...best.path, r.name] : best.path };
    memo.set(urn, result);
    return result;
  };
  for (const urn of nodes.keys()) visit(urn, new Set());
  return memo;
}

export function criticalPath(rec: Recording): CriticalPath {
  const chains = longestChains(rec);
  let best: CriticalPath = { minutes: 0, path: [] };
  for (const urn of graphNodes(rec).keys()) {
    const p = chains.get(urn)!;
    if (p.minutes > best.minutes) best = p;
  }
  return best;
}

/**
 * The same model as a schedule: every resource that takes time starts as soon as everything it waits for has
 * ended (as many steps in parallel as the graph allows), in the order the program registered them.
 */
export function schedule(rec: Recording): Step[] {
  const chains = longestChains(rec);
  const clusters = clustersOf(rec);
  const steps: Step[] = [];
  for (const r of rec.resources) {
    const own = stepMinutes(r.name, r.type, clusters);
    if (own === 0) continue;
    const end = chains.get(r.urn)!.minutes;
    steps.push({ urn: r.urn, name: r.name, start: Math.round((end - own) * 100) / 100, end });
  }
  return steps;
}
