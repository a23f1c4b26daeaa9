/**
 * Every name in one place: Pulumi logical names and the names other systems see. Names come from stable keys
 * (constellation, cluster, VIP role), never from list positions, so adding a satellite renames nothing.
 */
import type { VipRole } from "../spec/model";

/** Type tokens are permanent: change one only together with an `aliases` entry. */
export const TYPES = {
  managementCluster: "gocy:index:ManagementCluster",
  satelliteCluster: "gocy:index:SatelliteCluster",
  anycastIngress: "gocy:index:AnycastIngress",
  clusterMesh: "gocy:index:ClusterMesh",
  vipReservations: "gocy:index:VipReservations",
} as const;

export const names = {
  equinixProvider: "equinix-metal",
  vipReservations: (cluster: string) => `${cluster}-vips`,
  vip: (cluster: string, role: VipRole) => `${cluster}-vip-${role}`,
  vipTags: (cluster: string, role: VipRole) => `${cluster}-vip-${role}-tags`,
  anycast: (constellation: string) => `${constellation}-anycast-ingress`,
  anycastTags: (constellation: string) => `${constellation}-anycast-ingress-tags`,
  clusterMesh: (constellation: string) => `${constellation}-mesh`,
} as const;
