/**
 * Cilium's cluster-wide policies: the always-on denial of the platform's metadata service to pods, and the optional host
 * firewall (`firewall: true`). Registered after the cluster is ready: Cilium's operator registers their CRDs at run
 * time (docs/architecture.md#phases).
 */
import type { K8sObject } from "../capi/api-versions";
import { infra } from "../../infra";

const CCNP = { apiVersion: "cilium.io/v2", kind: "CiliumClusterwideNetworkPolicy" } as const;

/**
 * Denies every pod egress to the metadata service, and nothing else: `enableDefaultDeny` off both ways, or a policy
 * with an egress rule would put every selected pod into egress default-deny (no DNS, no API server).
 */
export function metadataDenyPolicy(): K8sObject {
  return {
    ...CCNP,
    metadata: { name: `gocy-deny-${infra.network.metadata.name}-metadata` },
    spec: {
      description: infra.network.metadata.description,
      endpointSelector: {},
      enableDefaultDeny: { egress: false, ingress: false },
      egressDeny: [{ toCIDRSet: infra.network.metadata.cidrs.map((cidr) => ({ cidr })) }],
    },
  };
}

export interface FirewallRule {
  readonly why: string;
  readonly from: { readonly entities?: readonly string[]; readonly cidrs?: readonly string[] };
  readonly ports?: readonly { readonly port: string; readonly endPort?: number; readonly protocol: "TCP" | "UDP" }[];
  readonly icmp?: boolean;
}

/** The ports the platform needs, and from whom. Cilium gives every node it knows but the local one the identity
 * `remote-node`: the cluster's other nodes and, through Cluster Mesh, every node of the other clusters, the
 * management cluster's included (Cilium 1.18 pkg/identity: reserved identity 6; the clustermesh node watcher adds
 * remote clusters' nodes to the same node manager). A source outside the mesh (a user, Talos' discovery) is
 * `world`. So node-to-node ports admit `remote-node`, and ports users reach admit `world` too; each rule says which
 * mutual TLS protects it, and adding a satellite changes no firewall. Cluster Mesh (2379 on the mesh VIP) needs no host rule: the kube-proxy replacement hands
 * traffic to the VIP to the clustermesh-apiserver pod before host policy applies, and a host rule for 2379 would
 * open every control-plane node's etcd client port to the world. */
export const FIREWALL_RULES: readonly FirewallRule[] = [
  { why: "ingress controller (HTTP, HTTPS)", from: { entities: ["world"] }, ports: [{ port: "80", protocol: "TCP" }, { port: "443", protocol: "TCP" }] },
  { why: "Kubernetes API from users and the management cluster (TLS, client certificates or tokens), and from the cluster's pods", from: { entities: ["world", "cluster"] }, ports: [{ port: "6443", protocol: "TCP" }] },
  { why: "Talos API: apid and trustd, from users, the other nodes and the management cluster (CACPPT bootstraps etcd through 50000) (mutual TLS, Talos CA)", from: { entities: ["world", "remote-node"] }, ports: [{ port: "50000", endPort: 50001, protocol: "TCP" }] },
  { why: "etcd between control-plane nodes (mutual TLS, etcd CA)", from: { entities: ["remote-node", "host"] }, ports: [{ port: "2379", endPort: 2380, protocol: "TCP" }] },
  { why: "kubelet API from the API server, the nodes and in-cluster scrapers", from: { entities: ["kube-apiserver", "remote-node", "host", "cluster"] }, ports: [{ port: "10250", protocol: "TCP" }] },
  { why: "KubeSpan WireGuard between nodes; a node that has just joined is `world` until Cilium learns it (WireGuard keys)", from: { entities: ["world", "remote-node"] }, ports: [{ port: "51820", protocol: "UDP" }] },
  { why: "Cilium VXLAN between nodes", from: { entities: ["remote-node"] }, ports: [{ port: "8472", protocol: "UDP" }] },
  { why: "Cilium WireGuard: pod traffic between nodes, across the mesh too (WireGuard keys)", from: { entities: ["world", "remote-node"] }, ports: [{ port: "51871", protocol: "UDP" }] },
  { why: "Cilium health checks and Hubble between nodes, and from Hubble Relay", from: { entities: ["remote-node", "host", "cluster"] }, ports: [{ port: "4240", protocol: "TCP" }, { port: "4244", protocol: "TCP" }] },
  { why: "MetalLB memberlist between speakers", from: { entities: ["remote-node"] }, ports: [{ port: "7946", protocol: "TCP" }, { port: "7946", protocol: "UDP" }] },
  { why: "MetalLB's FRR-K8s webhook (host network) from the API server", from: { entities: ["kube-apiserver", "remote-node", "host"] }, ports: [{ port: "19443", protocol: "TCP" }] },
  { why: `BGP from the ${infra.displayName} peers`, from: { cidrs: infra.network.bgp.peers.map((p) => `${p}/32`) }, ports: [{ port: "179", protocol: "TCP" }] },
  { why: "ICMP (path MTU discovery, ping)", from: { entities: ["world", "remote-node", "host"] }, icmp: true },
];

/** The host firewall: a policy on every node (host endpoints) admitting only FIREWALL_RULES. */
export function hostFirewallPolicy(): K8sObject {
  return {
    ...CCNP,
    metadata: { name: "gocy-host-firewall" },
    spec: {
      description: "Host firewall: only what the platform needs reaches the nodes.",
      nodeSelector: {},
      ingress: FIREWALL_RULES.map((r) => ({
        ...(r.from.entities ? { fromEntities: [...r.from.entities] } : {}),
        ...(r.from.cidrs ? { fromCIDR: [...r.from.cidrs] } : {}),
        ...(r.ports ? { toPorts: [{ ports: r.ports.map((p) => ({ port: p.port, ...(p.endPort ? { endPort: p.endPort } : {}), protocol: p.protocol })) }] } : {}),
        ...(r.icmp ? { icmps: [{ fields: [{ type: 8, family: "IPv4" }, { type: 3, family: "IPv4" }, { type: 11, family: "IPv4" }] }] } : {}),
      })),
    },
  };
}
