/** Graph queries over a recording: dependencies (with deletedWith as a creation edge), reachability, cycles. */
import type { Recording } from "../../tools/record/types";
import { creationEdges as edges, graphNodes as nodes } from "../../tools/record/graph";

export function closure(rec: Recording, urn: string): Set<string> {
  const byUrn = nodes(rec);
  const seen = new Set<string>();
  const stack = [...(byUrn.get(urn) ? edges(byUrn.get(urn)!) : [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const r = byUrn.get(next);
    if (r) stack.push(...edges(r));
  }
  return seen;
}

/** A cycle through the creation edges, as a list of URNs, or undefined. */
export function findCycle(rec: Recording): string[] | undefined {
  const byUrn = nodes(rec);
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (urn: string): string[] | undefined => {
    if (state.get(urn) === 2) return undefined;
    if (state.get(urn) === 1) return [...path.slice(path.indexOf(urn)), urn];
    state.set(urn, 1);
    path.push(urn);
    for (const e of byUrn.get(urn) ? edges(byUrn.get(urn)!) : []) {
      const c = visit(e);
      if (c) return c;
    }
    path.pop();
    state.set(urn, 2);
    return undefined;
  };
  for (const r of rec.resources) {
    const c = visit(r.urn);
    if (c) return c;
  }
  return undefined;
}
