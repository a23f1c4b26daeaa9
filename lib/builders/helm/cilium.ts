/**
 * Cilium's Helm values: the CNI of every cluster, its kube-proxy replacement, Hubble, and the clustermesh-apiserver
 * on the MetalLB `mesh` pool. Talos settings from Talos' Cilium guide (KubePrism on localhost:7445, no kube-proxy,
 * cgroup v2 mounted by Talos, the capabilities Talos permits). The mesh's CA and membership: lib/builders/mesh.ts.
 */
import type { ClusterSpec } from "../../constellation/model";
import { METALLB_POOL_ANNOTATION, METALLB_IPS_ANNOTATION } from "../network/metallb";
import { meshPeers, type MeshMember } from "../mesh";

/** KubeSpan's WireGuard link MTU (Talos constants.KubeSpanLinkMTU): the device MTU Cilium's traffic leaves by. */
export const KUBESPAN_MTU = 1420;
/** Cilium's WireGuard port (transparent encryption of pod traffic between nodes). */
export const CILIUM_WIREGUARD_PORT = 51871;

/**
 * @typeParam Addr how an address is given: a string, or (from a component) any value the caller will place at
 *   that leaf, so that a deploy-time value stays a leaf of an otherwise plain, readable value set.
 */
export interface CiliumInput<Addr = string> {
  readonly cluster: ClusterSpec;
  readonly clusterId: number;
  /** The cluster's reserved mesh address: the clustermesh-apiserver's LoadBalancer IP. */
  readonly meshAddress: Addr;
  /** The mesh: every member (this cluster included) and the shared CA, base64 of the PEMs (the key a secret leaf). */
  readonly mesh?: { readonly members: readonly MeshMember<Addr>[]; readonly caCert: Addr; readonly caKey: Addr };
}

export function buildCiliumValues<Addr = string>(input: CiliumInput<Addr>): Record<string, unknown> {
  const { cluster } = input;
  return {
    cluster: { name: cluster.name, id: input.clusterId },
    ipam: { mode: "kubernetes" },
    // `true`: `strict` is refused since chart 1.16.
    kubeProxyReplacement: true,
    // KubePrism: Talos' node-local API server load balancer, there before any CNI.
    k8sServiceHost: "localhost",
    k8sServicePort: 7445,
    cgroup: { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" },
    securityContext: {
      capabilities: {
        // Talos does not allow SYS_MODULE: kernel modules come from the image.
        ciliumAgent: ["CHOWN", "KILL", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "SYS_ADMIN", "SYS_RESOURCE", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
        cleanCiliumState: ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"],
      },
    },
    // Pods reach pods on other nodes through a VXLAN tunnel between node addresses. Node addresses are the nodes'
    // public ones (the Talos patch picks them for the kubelet), so the tunnel also reaches nodes of clusters in other
    // metros, where private addresses do not route; Cilium's WireGuard encrypts pod traffic between nodes, inside a
    // cluster and across the mesh.
    routingMode: "tunnel",
    tunnelProtocol: "vxlan",
    encryption: { enabled: true, type: "wireguard" },
    ...(cluster.kubespan
      ? {
          // The device Cilium's packets leave by is KubeSpan's WireGuard link (MTU 1420) for nodes of the same
          // cluster; Cilium subtracts its own tunnel and WireGuard overhead from this.
          MTU: KUBESPAN_MTU,
          // eBPF host routing would hand packets to the device directly, past the kernel's routing rules where
          // KubeSpan steers node traffic into WireGuard (siderolabs/talos#9043).
          bpf: { hostLegacyRouting: true },
        }
      : {}),
    // MetalLB owns LoadBalancer addresses (BGP to the platform's routers): Cilium's own LB IPAM must not hand out addresses too.
    defaultLBServiceIPAM: "none",
    hubble: {
      relay: { enabled: true },
      ui: { enabled: true },
      // Hubble's peer service resolves through the cluster's own DNS domain (<cluster>.local, not cluster.local).
      peerService: { clusterDomain: `${cluster.name}.local` },
    },
    clustermesh: {
      useAPIServer: true,
      apiserver: {
        service: {
          type: "LoadBalancer",
          annotations: { [METALLB_POOL_ANNOTATION]: "mesh", [METALLB_IPS_ANNOTATION]: input.meshAddress },
        },
      },
      ...(input.mesh ? { config: { enabled: true, clusters: meshPeers(input.mesh.members, cluster.name) } } : {}),
    },
    // The constellation's shared CA: every clustermesh-apiserver's certificates derive from it, so any two trust
    // each other. Only the key is a secret.
    ...(input.mesh ? { tls: { ca: { cert: input.mesh.caCert, key: input.mesh.caKey } } } : {}),
    ...(cluster.firewall ? { hostFirewall: { enabled: true } } : {}),
  };
}
