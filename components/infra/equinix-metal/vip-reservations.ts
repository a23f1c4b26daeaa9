/**
 * A cluster's own VIP reservations on Equinix Metal (cp and mesh in its metro, ingress on the barycenter), shared by
 * ManagementCluster and SatelliteCluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { clusterReservations } from "../../../lib/infra/equinix-metal/reservations";
import { names, TYPES } from "../../../lib/builders/names";
import type { ClusterSpec, VipRole } from "../../../lib/constellation/model";
import type { ClusterReservations, ReservedAddress } from "../target";
import { createIpReservation, type EquinixContext, type IpReservation } from "./ip-reservation";

export class VipReservations extends pulumi.ComponentResource implements ClusterReservations {
  /** Reservations by role; `ingress` only where the cluster owns a public ingress address. */
  readonly reservations: Partial<Record<VipRole, IpReservation>>;

  constructor(constellation: string, cluster: ClusterSpec, ctx: EquinixContext, opts: pulumi.ComponentResourceOptions) {
    super(TYPES.vipReservations, names.vipReservations(cluster.name), {}, opts);
    const reservations: Partial<Record<VipRole, IpReservation>> = {};
    for (const plan of clusterReservations(constellation, cluster)) {
      reservations[plan.role] = createIpReservation(names.vip(cluster.name, plan.role), names.vipTags(cluster.name, plan.role), plan, ctx, this);
    }
    this.reservations = reservations;
    this.registerOutputs({});
  }

  /** The reservation for `role`; throws for a role this cluster does not reserve itself (a programming error). */
  reservation(role: VipRole): ReservedAddress {
    const r = this.reservations[role];
    if (!r) throw new Error(`VipReservations: no ${role} reservation`);
    return { address: r.address, id: r.block.id, ready: r.tags };
  }

  address(role: VipRole): pulumi.Output<string> {
    return this.reservation(role).address;
  }
}
