/**
 * CAPP, Cluster API's provider for Equinix Metal (formerly Packet): its cluster object and machine templates.
 */
import type { ClusterSpec, NodeGroup } from "../../constellation/model";
import type { K8sObject } from "../../builders/capi/api-versions";
import type { Architecture } from "../target";

/** CAPP v0.9.0: v1beta1 is its only version. */
export const CAPP_API_VERSION = "infrastructure.cluster.x-k8s.io/v1beta1";

/** Kubernetes API server port behind the control-plane VIP. */
const API_SERVER_PORT = 6443;

/** CAPP's tag on every device of a cluster (CAPP v0.9.0 pkg/cloud/packet/util.go, DefaultCreateTags). */
export const deviceTag = (cluster: string) => `capp:cluster-id:${cluster}`;

/** Image Factory's iPXE script for a schematic, full Talos version and architecture (docs/architecture.md#talos-on-equinix-metal).
 * Equinix retired its own talos_v1 image in 2024, so devices boot `custom_ipxe` from here. */
export function ipxeUrl(schematic: string, talos: string, architecture: Architecture): string {
  return `https://pxe.factory.talos.dev/pxe/${schematic}/${talos}/equinixMetal-${architecture}`;
}

/** @param input.cpVip the cp address, or a deploy-time value placed at that one leaf. */
export function packetCluster(input: { cluster: ClusterSpec; projectId: string; cpVip: unknown; metadata: K8sObject["metadata"] }): K8sObject {
  return {
    apiVersion: CAPP_API_VERSION,
    kind: "PacketCluster",
    metadata: input.metadata,
    spec: {
      projectID: input.projectId,
      metro: input.cluster.metro,
      controlPlaneEndpoint: { host: input.cpVip, port: API_SERVER_PORT },
      // KUBE_VIP, not CPEM: in this mode CAPP enables project BGP and a BGP session on every device (MetalLB
      // announces over them) and does not assign the EIP itself, so Talos' own VIP controller moves the cp address
      // between control-plane nodes. In CPEM mode CAPP would pin the EIP to the first control-plane device and fight
      // Talos for it (CAPP v0.9.0 packetmachine_controller.go).
      vipManager: "KUBE_VIP",
    },
  };
}

export function packetMachineTemplateSpec(_cluster: ClusterSpec, group: NodeGroup, bootUrl: string): Record<string, unknown> {
  return { template: { spec: { os: "custom_ipxe", ipxeURL: bootUrl, billingCycle: "hourly", machineType: group.plan } } };
}
