/**
 * SatelliteCluster: a workload cluster in its own metro, created from the barycenter. Its ingress address is the
 * constellation's shared anycast address. So far it owns its cp and mesh reservations.
 */
import * as pulumi from "@pulumi/pulumi";
import { names, TYPES } from "../lib/builders/names";
import type { ClusterSpec } from "../lib/spec/model";
import { VipReservations } from "./vip-reservations";
import { clusterDefinition, type ClusterDefinitionSeam } from "./cluster-definition";
import { bringUpSatellite, type BarycenterAccess, type SatelliteLifecycle } from "./satellite-lifecycle";
import type { ClusterMesh } from "./cluster-mesh";
import type { Platform } from "./context";

export interface SatelliteClusterArgs {
  /** The shared anycast address (AnycastIngress). */
  readonly anycastAddress: pulumi.Output<string>;
  /** The barycenter: provider, credential and the adoption step. */
  readonly barycenter: BarycenterAccess;
  readonly mesh: ClusterMesh;
}

export class SatelliteCluster extends pulumi.ComponentResource {
  readonly clusterName: string;
  readonly vips: VipReservations;
  /** The Cluster API objects, depending on the cp reservation's tag (see cluster-definition.ts). */
  readonly definition: ClusterDefinitionSeam;
  readonly lifecycle: SatelliteLifecycle;
  readonly addresses: { readonly cp: pulumi.Output<string>; readonly ingress: pulumi.Output<string>; readonly mesh: pulumi.Output<string> };

  constructor(cluster: ClusterSpec, platform: Platform, args: SatelliteClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.satelliteCluster, names.satelliteCluster(cluster.name), {}, opts);
    this.clusterName = cluster.name;
    this.vips = new VipReservations(cluster, platform, { parent: this });
    this.addresses = { cp: this.vips.address("cp"), ingress: args.anycastAddress, mesh: this.vips.address("mesh") };
    this.definition = clusterDefinition(cluster, platform, this.vips.reservation("cp"));
    args.mesh.setAddress(cluster.name, this.addresses.mesh);
    this.lifecycle = bringUpSatellite(cluster, platform, this.definition, args.barycenter, this.addresses, args.mesh.forClusters, this);
    this.registerOutputs({ addresses: this.addresses });
  }
}
