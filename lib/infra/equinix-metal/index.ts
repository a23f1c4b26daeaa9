/**
 * Equinix Metal as an infrastructure target: CAPP (Cluster API's Packet provider) v0.9.0, CPEM v3.8.1, the
 * equinixMetal Talos platform, the two local BGP routers and the metadata service. Equinix Metal reached end of
 * life on 2026-06-30; these are its final facts.
 */
import type { InfraTarget } from "../target";
import { METAL_FUNCTIONS } from "./api-functions";
import { EQUINIX_CONFIG_KEYS, PROJECT_ID_KEY } from "./config";
import { CAPP_VERSION, CPEM_VERSION } from "./versions";
import { CAPP_API_VERSION, deviceTag, ipxeUrl, packetCluster, packetMachineTemplateSpec } from "./capi";
import { PLAN_INSTALL_DISKS, architectureOf } from "./machines";
import { checkMetro, checkPlan } from "./catalog";
import { EQUINIX_BGP, EQUINIX_METADATA } from "./network";
import { MARKS, NOT_NODE_ADDRESSES, cpemInlineManifest, equinixVipDocument, kernelArgs, toCappTemplate } from "./talos";

export const equinixMetal: InfraTarget = {
  id: "equinix-metal",
  pulumiPackage: "equinix-metal",
  displayName: "Equinix Metal",
  configKeys: EQUINIX_CONFIG_KEYS,
  projectIdKey: PROJECT_ID_KEY,
  versions: { provider: CAPP_VERSION, cloudController: CPEM_VERSION },
  catalog: {
    checkMetro,
    checkPlan,
    architectureOf,
    installDisk: (plan) => PLAN_INSTALL_DISKS[plan],
    knownInstallDiskPlans: Object.keys(PLAN_INSTALL_DISKS),
  },
  capi: {
    clusterctlName: "packet",
    // CAPP reads its token from the clusterctl variable PACKET_API_KEY (its templates' `${PACKET_API_KEY}`).
    clusterctlCredentials: `export PACKET_API_KEY="\${METAL_AUTH_TOKEN:?METAL_AUTH_TOKEN is not set}"\n`,
    infraCluster: packetCluster,
    infraClusterLogicalSuffix: "packetcluster",
    infraClusterKind: "PacketCluster",
    machineTemplateSpec: packetMachineTemplateSpec,
    machineTemplateKind: "PacketMachineTemplate",
    apiVersion: CAPP_API_VERSION,
    deviceTag,
  },
  boot: { kernelArgs, bootUrl: ipxeUrl },
  talos: {
    toUserData: toCappTemplate,
    marks: MARKS,
    cloudController: cpemInlineManifest,
    controlPlaneDocuments: () => [equinixVipDocument()],
    privateRanges: NOT_NODE_ADDRESSES,
  },
  reservations: {
    pulumiType: "equinix-metal:index/reservedIpBlock:ReservedIpBlock",
    isAnycast: (inputs) => inputs.type === "global_ipv4",
  },
  network: { bgp: EQUINIX_BGP, metadata: EQUINIX_METADATA },
  api: {
    requireCredentials: `: "\${METAL_AUTH_TOKEN:?METAL_AUTH_TOKEN is not set}" "\${GOCY_PROJECT_ID:?}"\n`,
    functions: METAL_FUNCTIONS,
  },
};
