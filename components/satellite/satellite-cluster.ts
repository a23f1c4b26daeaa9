/**
 * SatelliteCluster: a workload cluster in its own metro, created from the barycenter. Its ingress address is the
 * constellation's shared anycast address.
 *
 * Built in the same two steps as the barycenter: the constructor reserves the cluster's addresses, and `bringUp`
 * takes the mesh and the barycenter's access and registers the rest (lifecycle.ts) under this component.
 */
import * as pulumi from "@pulumi/pulumi";
import { names, TYPES } from "../../lib/builders/names";
import type { ClusterSpec } from "../../lib/constellation/model";
import { ClusterMember } from "../cluster/member";
import { createSatelliteLifecycle } from "./lifecycle";
import type { BarycenterAccess } from "../barycenter/management-cluster";
import type { MeshForCluster } from "../constellation/cluster-mesh";
import type { ConstellationCluster } from "../cluster/services";
import type { Platform } from "../support/context";

export class SatelliteCluster extends ClusterMember {
  /** @param anycastAddress the shared anycast address (AnycastIngress), this satellite's ingress address. */
  constructor(cluster: ClusterSpec, platform: Platform, anycastAddress: pulumi.Output<string>, opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.satelliteCluster, names.satelliteCluster(cluster.name), cluster, platform, anycastAddress, opts);
  }

  /** Its CAPI objects on the barycenter (after the adoption), the wait for them, and its in-cluster services. */
  bringUp(mesh: MeshForCluster, barycenter: BarycenterAccess): ConstellationCluster {
    const definition = this.beginBringUp();
    return createSatelliteLifecycle(this.clusterName, { cluster: this.cluster, platform: this.platform, definition, barycenter, addresses: this.addresses, mesh }, this);
  }
}
