/**
 * The modelled bring-up critical path: the longest chain through the recorded dependency graph (with `deletedWith`
 * as a creation edge and reads as nodes), each step weighted by a documented duration for its kind. A model, not a
 * measurement: it shows whether adding satellites lengthens the bring-up (it must not: they provision in parallel).
 */
import type { Recording } from "./record/types";
import { creationEdges, graphNodes, isResource } from "./record/graph";

/** Minutes a step of each kind takes on Equinix Metal, roughly (what the model charges). */
export const STEP_MINUTES: readonly [RegExp, number, string][] = [
  [/-wait-initialized$/, 15, "a control plane installs Talos on bare metal and bootstraps etcd"],
  [/-wait-ready$/, 15, "workers install and join; nodes become Ready once the CNI runs"],
  [/-kind$/, 2, "kind creates the bootstrap cluster"],
  [/-clusterctl-init(-kind)?$/, 4, "clusterctl installs the providers and waits for them"],
  [/-move$/, 3, "clusterctl move"],
  [/-cert-manager-probe$/, 2, "cert-manager issues a test certificate"],
  [/-admin-credential$/, 1, "the API server answers and a token is issued"],
  [/-(cilium|metallb|cert-manager)$/, 3, "a Helm release"],
  [/-tags$/, 0.2, "an Equinix API call"],
  [/-vip-(cp|ingress|mesh)$|-anycast-ingress$/, 0.5, "an IP reservation"],
];
const DEFAULT_MINUTES = 0.1;

export function stepMinutes(name: string, type: string): number {
  if (type.startsWith("pulumi:providers:") || type.startsWith("gocy:index:") || type === "pulumi:pulumi:Stack") return 0;
  for (const [re, minutes] of STEP_MINUTES) if (re.test(name)) return minutes;
  return DEFAULT_MINUTES;
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
    const own = isResource(r) ? stepMinutes(r.name, r.type) : 0;
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
  const steps: Step[] = [];
  for (const r of rec.resources) {
    const own = stepMinutes(r.name, r.type);
    if (own === 0) continue;
    const end = chains.get(r.urn)!.minutes;
    steps.push({ urn: r.urn, name: r.name, start: Math.round((end - own) * 100) / 100, end });
  }
  return steps;
}
