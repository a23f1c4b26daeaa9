/**
 * A cluster's own VIP reservations (cp and mesh in its metro, ingress on the barycenter), shared by
 * ManagementCluster and SatelliteCluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { clusterReservations } from "../lib/builders/reservations";
import { names, TYPES } from "../lib/builders/names";
import type { ClusterSpec, VipRole } from "../lib/spec/model";
import { createIpReservation, type IpReservation } from "./ip-reservation";
import type { Platform } from "./context";

export class VipReservations extends pulumi.ComponentResource {
  /** Reservations by role; `ingress` only where the cluster owns a public ingress address. */
  readonly reservations: Partial<Record<VipRole, IpReservation>>;

  constructor(cluster: ClusterSpec, platform: Platform, opts: pulumi.ComponentResourceOptions) {
    super(TYPES.vipReservations, names.vipReservations(cluster.name), {}, opts);
    const reservations: Partial<Record<VipRole, IpReservation>> = {};
    for (const plan of clusterReservations(platform.constellation.name, cluster)) {
      reservations[plan.role] = createIpReservation(names.vip(cluster.name, plan.role), names.vipTags(cluster.name, plan.role), plan, platform, this);
    }
    this.reservations = reservations;
    this.registerOutputs({});
  }

  /** The reservation for `role`; throws for a role this cluster does not reserve itself (a programming error). */
  reservation(role: VipRole): IpReservation {
    const r = this.reservations[role];
    if (!r) throw new Error(`VipReservations: no ${role} reservation`);
    return r;
  }

  address(role: VipRole): pulumi.Output<string> {
    return this.reservation(role).address;
  }
}
