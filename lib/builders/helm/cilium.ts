/**
 * Cilium's Helm values: the CNI of every cluster, its kube-proxy replacement, Hubble, and the clustermesh-apiserver
 * on the MetalLB `mesh` pool. Talos settings from Talos' Cilium guide (KubePrism on localhost:7445, no kube-proxy,
 * cgroup v2 mounted by Talos, the capabilities Talos permits). The mesh issue adds the shared CA and membership.
 */
import type { ClusterSpec } from "../../spec/model";
import { METALLB_POOL_ANNOTATION, METALLB_IPS_ANNOTATION } from "../network/metallb";

/** KubeSpan's WireGuard link MTU (Talos constants.KubeSpanLinkMTU). */
export const KUBESPAN_MTU = 1420;
/** VXLAN's overhead on IPv4 (outer IP 20 + UDP 8 + VXLAN 8 + inner Ethernet 14). */
export const VXLAN_OVERHEAD = 50;

/**
 * @typeParam Addr how an address is given: a string, or (from a component) any value the caller will place at
 *   that leaf, so that a deploy-time value stays a leaf of an otherwise plain, readable value set.
 */
export interface CiliumInput<Addr = string> {
  readonly cluster: ClusterSpec;
  readonly clusterId: number;
  /** The cluster's reserved mesh address: the clustermesh-apiserver's LoadBalancer IP. */
  readonly meshAddress: Addr;
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
    // Pods reach pods on other nodes through a VXLAN tunnel between node addresses; with KubeSpan those addresses
    // are routed through its WireGuard link, so node-to-node pod traffic is encrypted without Cilium doing it.
    routingMode: "tunnel",
    tunnelProtocol: "vxlan",
    ...(cluster.kubespan
      ? {
          // Inside KubeSpan's WireGuard link (MTU 1420) a VXLAN packet must fit: 1420 - 50.
          MTU: KUBESPAN_MTU - VXLAN_OVERHEAD,
          // eBPF host routing would hand packets to the device directly, past the kernel's routing rules where
          // KubeSpan steers node traffic into WireGuard (siderolabs/talos#9043).
          bpf: { hostLegacyRouting: true },
        }
      : {}),
    // MetalLB owns LoadBalancer addresses (BGP to Equinix): Cilium's own LB IPAM must not hand out addresses too.
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
    },
    ...(cluster.firewall ? { hostFirewall: { enabled: true } } : {}),
  };
}
