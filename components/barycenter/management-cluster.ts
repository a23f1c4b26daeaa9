/**
 * ManagementCluster: the barycenter. Booted from a local kind cluster, it takes over its own Cluster API state and
 * manages the satellites.
 *
 * Built in two steps, each taking what it needs as data: the constructor reserves the cluster's addresses (the mesh
 * needs every member's address before any cluster's Cilium exists), and `bringUp` takes the mesh built from those
 * addresses and registers everything else under this component. `bringUp` returns the cluster's kubeconfig and
 * everything else the program reads, so there is nothing to remember to call.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { names, TYPES } from "../../lib/builders/names";
import { useKind } from "../../lib/builders/scripts/common";
import type { ClusterSpec } from "../../lib/constellation/model";
import { ClusterMember } from "../cluster/member";
import { createBarycenterBoot } from "./boot";
import { createTakeover } from "./takeover";
import type { MeshForCluster } from "../constellation/cluster-mesh";
import { createDnsCleanup } from "../cluster/apps";
import { createClusterAccess } from "../cluster/access";
import { createClusterServices, meshEndpointOf, type ConstellationCluster } from "../cluster/services";
import type { Platform } from "../support/context";

/** What a satellite needs of the barycenter. */
export interface BarycenterAccess {
  readonly provider: k8s.Provider;
  /** The barycenter's long-lived kubeconfig (secret). */
  readonly credential: pulumi.Output<string>;
  /** The adoption step: every satellite's Cluster waits for it (an option of the Cluster, never of the component). */
  readonly adoption: readonly pulumi.Resource[];
}

export interface Barycenter extends ConstellationCluster {
  /** What the satellites need of it. */
  readonly forSatellites: BarycenterAccess;
}

export class ManagementCluster extends ClusterMember {
  constructor(cluster: ClusterSpec, platform: Platform, opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.managementCluster, names.managementCluster(cluster.name), cluster, platform, undefined, opts);
  }

  /** Boot from kind, the in-cluster services, the move onto itself and the adoption of its own objects. */
  bringUp(mesh: MeshForCluster): Barycenter {
    const definition = this.beginBringUp();
    const { cluster, platform } = this;
    const boot = createBarycenterBoot(cluster.name, { platform, definition }, this);
    // The barycenter's in-cluster resources go with the command that applied its CAPI objects
    // (docs/architecture.md#destroy-order). Its ready wait runs against kind, frozen like every kind-phase command.
    const services = createClusterServices(
      cluster.name,
      {
        cluster,
        platform,
        provider: boot.provider,
        kubeconfig: boot.credential.stdout,
        deletedWith: boot.apply,
        addresses: this.addresses,
        mesh,
        readyWait: { prelude: useKind(boot.kindCluster), frozen: true },
        readyAfter: [boot.apply],
      },
      this,
    );
    // The move depends on the DNS cleanup, so the cleanup's delete runs only after the barycenter is gone.
    const cleanup = createDnsCleanup(cluster.name, { platform }, this);
    const takeover = createTakeover(cluster.name, { platform, definition, boot, addons: services.addons, ready: services.ready, moveDependsOn: [cleanup] }, this);
    // The adopted Cluster's id stays unknown in a preview until it exists (its inputs, metadata included, are echoed
    // in a preview and would be known): the reads below never run early.
    const access = createClusterAccess(cluster.name, { after: takeover.adopted.cluster, existsWhen: takeover.adopted.cluster.id, provider: boot.provider }, this);
    return {
      name: cluster.name,
      addresses: this.addresses,
      kubeconfig: access.kubeconfig,
      talosconfig: access.talosconfig,
      meshEndpoint: meshEndpointOf(cluster.name, boot.credential.stdout, services),
      ready: services.ready,
      forSatellites: { provider: boot.provider, credential: boot.credential.stdout, adoption: takeover.adopted.all },
    };
  }
}
