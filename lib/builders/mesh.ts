/**
 * Cilium Cluster Mesh, declaratively: every cluster lists every other cluster's clustermesh-apiserver (a full mesh,
 * not the original's star), all sharing one CA so that any two apiservers trust each other (docs/architecture.md#the-mesh).
 */

/** The clustermesh-apiserver's etcd port behind each cluster's mesh VIP. */
export const CLUSTERMESH_PORT = 2379;

export interface MeshMember<Addr = string> {
  readonly name: string;
  readonly id: number;
  readonly meshAddress: Addr;
}

/**
 * The peers a cluster lists: every other member, in constellation order, each by name with its mesh address in `ips`
 * (the agent then dials `<name>.mesh.cilium.io`, which the apiserver's certificate covers; a bare `address` IP is
 * not covered).
 */
export function meshPeers<Addr>(members: readonly MeshMember<Addr>[], self: string): { name: string; port: number; ips: Addr[] }[] {
  return members.filter((m) => m.name !== self).map((m) => ({ name: m.name, port: CLUSTERMESH_PORT, ips: [m.meshAddress] }));
}
