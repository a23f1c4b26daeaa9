/**
 * Every name in one place: Pulumi logical names and the names other systems see. Names come from stable keys
 * (constellation, cluster, VIP role), never from list positions, so adding a satellite renames nothing.
 */
import type { VipRole } from "../spec/model";
import { infra } from "../infra";

/** Type tokens are permanent: change one only together with an `aliases` entry. */
export const TYPES = {
  managementCluster: "gocy:index:ManagementCluster",
  satelliteCluster: "gocy:index:SatelliteCluster",
  anycastIngress: "gocy:index:AnycastIngress",
  clusterMesh: "gocy:index:ClusterMesh",
  vipReservations: "gocy:index:VipReservations",
  clusterAddons: "gocy:index:ClusterAddons",
  clusterApps: "gocy:index:ClusterApps",
  dnsAccount: "gocy:index:DnsAccount",
} as const;

export const names = {
  equinixProvider: "equinix-metal",
  gcpProvider: "gcp",
  vipReservations: (cluster: string) => `${cluster}-vips`,
  vip: (cluster: string, role: VipRole) => `${cluster}-vip-${role}`,
  vipTags: (cluster: string, role: VipRole) => `${cluster}-vip-${role}-tags`,
  anycast: (constellation: string) => `${constellation}-anycast-ingress`,
  /** The check, deleted last in a destroy, that nothing of the constellation still bills. */
  billingCheck: (constellation: string) => `${constellation}-billing-check`,
  /** The registration of the program's Image Factory schematic for one architecture. */
  schematic: (constellation: string, architecture: string) => `${constellation}-talos-schematic-${architecture}`,
  anycastTags: (constellation: string) => `${constellation}-anycast-ingress-tags`,
  clusterMesh: (constellation: string) => `${constellation}-mesh`,
  /** The local bootstrap cluster, named after the constellation. */
  kindCluster: (constellation: string) => `gocy-${constellation}`,
  kind: (cluster: string) => `${cluster}-kind`,
  clusterctlInitKind: (cluster: string) => `${cluster}-clusterctl-init-kind`,
  capiApply: (cluster: string) => `${cluster}-capi-apply`,
  waitInitialized: (cluster: string) => `${cluster}-wait-initialized`,
  adminCredential: (cluster: string) => `${cluster}-admin-credential`,
  k8sProvider: (cluster: string) => cluster,
  addons: (cluster: string) => `${cluster}-addons`,
  apps: (cluster: string) => `${cluster}-apps`,
  waitReady: (cluster: string) => `${cluster}-wait-ready`,
  certManagerProbe: (cluster: string) => `${cluster}-cert-manager-probe`,
  clusterctlInitSelf: (cluster: string) => `${cluster}-clusterctl-init`,
  move: (cluster: string) => `${cluster}-move`,
  clusterctlUpgrade: (cluster: string) => `${cluster}-clusterctl-upgrade`,
  adoptionProvider: (cluster: string) => `${cluster}-adoption`,
  deleteKind: (cluster: string) => `${cluster}-delete-kind`,
  /** The throwaway kind cluster the barycenter's teardown moves its state back to. */
  teardownKindCluster: (constellation: string) => `gocy-${constellation}-teardown`,
  kubeconfigRead: (cluster: string) => `${cluster}-kubeconfig`,
  metadataPolicy: (cluster: string) => `${cluster}-deny-equinix-metadata`,
  hostFirewall: (cluster: string) => `${cluster}-host-firewall`,
  waitMeshAddress: (cluster: string) => `${cluster}-wait-mesh-address`,
  meshCaKey: (constellation: string) => `${constellation}-mesh-ca-key`,
  meshCa: (constellation: string) => `${constellation}-mesh-ca`,
  meshVerify: (cluster: string) => `${cluster}-mesh-verify`,
  whoamiAcrossMesh: (cluster: string) => `${cluster}-whoami-across-mesh`,
  metallbObject: (cluster: string, kind: string, name: string) => `${cluster}-metallb-${kind.toLowerCase()}-${name}`,
  talosconfigRead: (cluster: string) => `${cluster}-talosconfig`,
} as const;

/**
 * Kubernetes names of a cluster's Cluster API objects. They refer to each other by name, so each is explicit.
 * Template names carry a content hash: CAPI rolls machines when a template *reference* changes, not when a
 * template's content changes in place (docs/architecture.md#rollouts).
 */
export const capiNames = {
  /** Namespace of every CAPI object on the management side. `default` exists on kind and on every cluster, and
   * `clusterctl move` keeps namespaces, so no Namespace object has to be created or moved. */
  namespace: "default",
  cluster: (cluster: string) => cluster,
  infraCluster: (cluster: string) => cluster,
  controlPlane: (cluster: string) => `${cluster}-control-plane`,
  machineDeployment: (cluster: string, group: string) => `${cluster}-${group}`,
  /** `<cluster>-<group|control-plane>-<hash8>`. */
  template: (cluster: string, group: string, hash: string) => `${cluster}-${group}-${hash}`,
  /** The Secret CAPI writes with the cluster's admin kubeconfig. */
  kubeconfigSecret: (cluster: string) => `${cluster}-kubeconfig`,
} as const;

/** Pulumi logical names of CAPI objects: stable, never hashed, so a rollout is an update, not a rename. */
export const capiResourceNames = {
  cluster: (cluster: string) => `${cluster}-cluster`,
  infraCluster: (cluster: string) => `${cluster}-${infra.capi.infraClusterLogicalSuffix}`,
  controlPlane: (cluster: string) => `${cluster}-control-plane`,
  controlPlaneTemplate: (cluster: string) => `${cluster}-control-plane-machines`,
  workerTemplate: (cluster: string, group: string) => `${cluster}-${group}-machines`,
  workerConfig: (cluster: string, group: string) => `${cluster}-${group}-config`,
  machineDeployment: (cluster: string, group: string) => `${cluster}-${group}`,
} as const;
