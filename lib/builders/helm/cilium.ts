/**
 * Cilium's Helm values: the CNI of every cluster. Talos settings from Talos' Cilium guide (KubePrism on
 * localhost:7445, no kube-proxy, cgroup v2 mounted by Talos, the capabilities Talos permits), the cluster's name and
 * mesh ID. The network and mesh issues add Hubble, the clustermesh-apiserver and the mesh membership.
 */
import type { ClusterSpec } from "../../spec/model";

export function buildCiliumValues(cluster: ClusterSpec, clusterId: number): Record<string, unknown> {
  return {
    cluster: { name: cluster.name, id: clusterId },
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
  };
}
