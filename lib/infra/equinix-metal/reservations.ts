/**
 * What each Equinix Metal IP reservation is and how it is labelled: pure data for the components.
 */
import type { ClusterSpec, VipRole } from "../../constellation/model";

/** CAPP v0.9.0 finds a cluster's control-plane EIP only by this tag, project-wide
 * (pkg/cloud/packet/client.go, generateElasticIPIdentifier); without it CAPP reserves a new address. */
export function cappClusterTag(cluster: string): string {
  return `cluster-api-provider-packet:cluster-id:${cluster}`;
}

export interface ReservationPlan {
  readonly role: VipRole;
  readonly type: "public_ipv4" | "global_ipv4";
  /** Metro for `public_ipv4`; global addresses have none. */
  readonly metro: string | undefined;
  readonly description: string;
  readonly tags: readonly string[];
  /** A tag no other reservation of the project may carry (CAPP's, on the cp reservation). */
  readonly exclusiveTag?: string;
}

/** Tags every reservation carries: which constellation, cluster and role it serves. */
function ownerTags(constellation: string, cluster: string, role: string): string[] {
  return [`gocy:constellation:${constellation}`, `gocy:cluster:${cluster}`, `gocy:role:${role}`];
}

function description(constellation: string, cluster: string, role: string): string {
  return `gocy constellation ${constellation}, cluster ${cluster}, role ${role}`;
}

/**
 * The reservations a cluster owns: `cp` and `mesh` in its metro, and `ingress` when it is public (the barycenter).
 * A satellite's ingress is the constellation's shared anycast address (AnycastIngress owns it).
 */
export function clusterReservations(constellation: string, cluster: ClusterSpec): ReservationPlan[] {
  const roles: VipRole[] = cluster.vips.ingress === "public_ipv4" ? ["cp", "ingress", "mesh"] : ["cp", "mesh"];
  return roles.map((role) => ({
    role,
    type: "public_ipv4",
    metro: cluster.metro,
    description: description(constellation, cluster.name, role),
    tags: role === "cp" ? [cappClusterTag(cluster.name), ...ownerTags(constellation, cluster.name, role)] : ownerTags(constellation, cluster.name, role),
    ...(role === "cp" ? { exclusiveTag: cappClusterTag(cluster.name) } : {}),
  }));
}

/** The one Global Anycast IPv4 the satellites announce as their ingress. */
export function anycastReservation(constellation: string): ReservationPlan {
  return {
    role: "ingress",
    type: "global_ipv4",
    metro: undefined,
    description: description(constellation, "satellites", "ingress (global anycast)"),
    tags: ownerTags(constellation, "satellites", "ingress-anycast"),
  };
}
