/**
 * The recorded creation graph, shared by the plan summary, the critical-path model and the tests: resources and
 * reads are nodes; a node's creation edges are its dependencies, its `deletedWith` target (the SDK registers a
 * resource only after that target exists) and its provider.
 */
import type { RecordedRead, RecordedResource, Recording } from "./types";

export type GraphNode = RecordedResource | RecordedRead;

export function isResource(n: GraphNode): n is RecordedResource {
  return "options" in n;
}

export function creationEdges(n: GraphNode): string[] {
  const deletedWith = isResource(n) ? n.options.deletedWith : null;
  return [...n.dependencies, ...(deletedWith ? [deletedWith] : []), ...(n.provider ? [n.provider] : [])];
}

/** Resources and reads by URN. */
export function graphNodes(rec: Recording): Map<string, GraphNode> {
  return new Map<string, GraphNode>([...rec.resources, ...rec.reads].map((r) => [r.urn, r]));
}
