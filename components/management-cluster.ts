/**
 * ManagementCluster: the barycenter. Booted from a local kind cluster, it takes over its own Cluster API state and
 * manages the satellites. So far it owns its VIP reservations.
 */
import * as pulumi from "@pulumi/pulumi";
import { TYPES } from "../lib/builders/names";
import type { ClusterSpec } from "../lib/spec/model";
import { VipReservations } from "./vip-reservations";
import { clusterDefinition } from "./cluster-definition";
import type { ClusterDefinition } from "../lib/builders/capi/manifest";
import type { Platform } from "./context";

export class ManagementCluster extends pulumi.ComponentResource {
  readonly clusterName: string;
  readonly vips: VipReservations;
  /** The Cluster API objects, depending on the cp reservation's tag (see cluster-definition.ts). */
  readonly definition: pulumi.Output<ClusterDefinition>;
  /** Addresses by role: the control-plane endpoint, the ingress and the clustermesh-apiserver. */
  readonly addresses: { readonly cp: pulumi.Output<string>; readonly ingress: pulumi.Output<string>; readonly mesh: pulumi.Output<string> };

  constructor(cluster: ClusterSpec, platform: Platform, opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.managementCluster, cluster.name, {}, opts);
    this.clusterName = cluster.name;
    this.vips = new VipReservations(cluster, platform, { parent: this });
    this.addresses = { cp: this.vips.address("cp"), ingress: this.vips.address("ingress"), mesh: this.vips.address("mesh") };
    this.definition = clusterDefinition(cluster, platform, this.vips.reservation("cp"));
    this.registerOutputs({ addresses: this.addresses });
  }
}
