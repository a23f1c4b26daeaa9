/**
 * SatelliteCluster: a workload cluster in its own metro, created from the barycenter. Its ingress address is the
 * constellation's shared anycast address.
 *
 * Built in the same two steps as the barycenter: the constructor reserves the cluster's addresses, and `bringUp`
 * takes the mesh and the barycenter's access and registers the rest (satellite-lifecycle.ts) under this component.
 */
import * as pulumi from "@pulumi/pulumi";
import { names, TYPES } from "../../lib/builders/names";
import type { MeshMember } from "../../lib/builders/mesh";
import type { ClusterSpec } from "../../lib/constellation/model";
import type { ClusterReservations } from "../infra";
import { clusterDefinition } from "../cluster/definition";
import { createSatelliteLifecycle } from "./lifecycle";
import type { BarycenterAccess } from "../barycenter/management-cluster";
import type { MeshForCluster } from "../constellation/cluster-mesh";
import type { ClusterAddresses, ConstellationCluster } from "../cluster/services";
import type { Platform } from "../support/context";

export class SatelliteCluster extends pulumi.ComponentResource {
  readonly clusterName: string;
  readonly addresses: ClusterAddresses;
  /** This cluster as a mesh member: name, Cilium cluster ID and reserved mesh address. */
  readonly meshMember: MeshMember<pulumi.Output<string>>;
  private readonly cluster: ClusterSpec;
  private readonly platform: Platform;
  private readonly vips: ClusterReservations;
  private brought = false;

  /** @param anycastAddress the shared anycast address (AnycastIngress), this satellite's ingress address. */
  constructor(cluster: ClusterSpec, platform: Platform, anycastAddress: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.satelliteCluster, names.satelliteCluster(cluster.name), {}, opts);
    this.cluster = cluster;
    this.platform = platform;
    this.clusterName = cluster.name;
    this.vips = platform.infra.reserveClusterAddresses(cluster, this);
    this.addresses = { cp: this.vips.address("cp"), ingress: anycastAddress, mesh: this.vips.address("mesh") };
    this.meshMember = { name: cluster.name, id: platform.clusterIds.get(cluster.name)!, meshAddress: this.addresses.mesh };
    this.registerOutputs({ addresses: this.addresses });
  }

  /** Its CAPI objects on the barycenter (after the adoption), the wait for them, and its in-cluster services. */
  bringUp(mesh: MeshForCluster, barycenter: BarycenterAccess): ConstellationCluster {
    if (this.brought) throw new Error(`SatelliteCluster ${this.clusterName}: bringUp called twice`);
    this.brought = true;
    const definition = clusterDefinition(this.cluster, this.platform, this.vips.reservation("cp"));
    return createSatelliteLifecycle(this.clusterName, { cluster: this.cluster, platform: this.platform, definition, barycenter, addresses: this.addresses, mesh }, this);
  }
}
