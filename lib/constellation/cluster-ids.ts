/**
 * Cilium cluster IDs (1..255; Cluster Mesh refuses 0). An existing cluster's ID must never change — Cilium encodes
 * it in identities and re-IDing a running cluster breaks its mesh — so IDs are pinned: `cluster_id` in the file or
 * the stack's `gocy:clusterIds`. Unpinned clusters are proposed the lowest free ID (docs/architecture.md#cluster-ids).
 */
import { allClusters, type Constellation } from "./model";
import type { Problem } from "./problems";

export interface ClusterIdResolution {
  /** Every cluster's ID: pinned, or proposed for the unpinned ones. */
  readonly ids: ReadonlyMap<string, number>;
  /** Clusters whose ID is only proposed, in constellation order. */
  readonly unpinned: readonly string[];
  readonly problems: readonly Problem[];
}

/**
 * @param stackPins `gocy:clusterIds` (cluster name → ID). Pins of clusters no longer in the file keep their IDs
 *   reserved, so a removed satellite's ID is never handed to a new one by accident.
 * @param stackFile the stack file name, for messages.
 */
export function resolveClusterIds(c: Constellation, stackPins: Readonly<Record<string, number>>, stackFile: string): ClusterIdResolution {
  const problems: Problem[] = [];
  const ids = new Map<string, number>();
  const owner = new Map<number, string>();
  for (const [name, id] of Object.entries(stackPins).sort(([a], [b]) => a.localeCompare(b))) owner.set(id, name);

  for (const cluster of allClusters(c)) {
    const fromFile = cluster.pinnedId;
    const fromStack = stackPins[cluster.name];
    if (fromFile !== undefined && fromStack !== undefined && fromFile !== fromStack) {
      problems.push({
        file: c.file,
        ...(cluster.pinnedIdAt ?? {}),
        path: `${cluster.yamlPath}.cluster_id`,
        message: `expected one ID per cluster, got ${fromFile} here and ${fromStack} in ${stackFile} (gocy:clusterIds.${cluster.name}); keep the one the running cluster has and remove the other`,
      });
      continue;
    }
    const id = fromFile ?? fromStack;
    if (id === undefined) continue;
    const holder = owner.get(id);
    if (holder !== undefined && holder !== cluster.name && (fromFile !== undefined || stackPins[holder] === id)) {
      problems.push({
        file: fromFile !== undefined ? c.file : stackFile,
        ...(fromFile !== undefined ? (cluster.pinnedIdAt ?? {}) : {}),
        path: fromFile !== undefined ? `${cluster.yamlPath}.cluster_id` : `gocy:clusterIds.${cluster.name}`,
        message: `expected a cluster ID no other cluster has, got ${id}, which ${holder} already has`,
      });
      continue;
    }
    owner.set(id, cluster.name);
    ids.set(cluster.name, id);
  }

  const unpinned: string[] = [];
  let next = 1;
  for (const cluster of allClusters(c)) {
    if (ids.has(cluster.name) || problems.some((p) => p.path.startsWith(`${cluster.yamlPath}.`) || p.path === `gocy:clusterIds.${cluster.name}`)) continue;
    while (owner.has(next)) next++;
    if (next > 255) break; // more than 255 clusters is refused by the loader already
    owner.set(next, cluster.name);
    ids.set(cluster.name, next);
    unpinned.push(cluster.name);
  }
  return { ids, unpinned, problems };
}

/** The exact commands that pin the proposed IDs (printed by preview and the plan, run by `--pin-ids`). */
export function pinCommands(res: ClusterIdResolution, stack: string): string[] {
  return res.unpinned.map((name) => `pulumi config set --stack ${stack} --path 'gocy:clusterIds.${name}' ${res.ids.get(name)}`);
}
