/**
 * ManagementCluster: the barycenter. Booted from a local kind cluster, it takes over its own Cluster API state and
 * manages the satellites. So far it owns its VIP reservations.
 */
import * as pulumi from "@pulumi/pulumi";
import { TYPES } from "../lib/builders/names";
import type { ClusterSpec } from "../lib/spec/model";
import { VipReservations } from "./vip-reservations";
import { clusterDefinition, type ClusterDefinitionSeam } from "./cluster-definition";
import type * as command from "@pulumi/command";
import { names } from "../lib/builders/names";
import { waitReadyScript } from "../lib/builders/scripts/bring-up";
import { useKind } from "../lib/builders/scripts/common";
import { capiNames } from "../lib/builders/names";
import { bootBarycenter, type BarycenterBoot } from "./barycenter-boot";
import { ClusterAddons } from "./cluster-addons";
import { script } from "./commands";
import { takeOver, type Takeover } from "./barycenter-takeover";
import { clusterNetwork, type ClusterNetwork } from "./cluster-network";
import type { ClusterMesh } from "./cluster-mesh";
import { ClusterApps, dnsCleanup } from "./cluster-apps";
import { readClusterAccess, type ClusterAccess } from "./cluster-access";
import type { BarycenterAccess } from "./satellite-lifecycle";
import type { Platform } from "./context";

export class ManagementCluster extends pulumi.ComponentResource {
  readonly clusterName: string;
  readonly vips: VipReservations;
  /** The Cluster API objects, depending on the cp reservation's tag (see cluster-definition.ts). */
  readonly definition: ClusterDefinitionSeam;
  readonly boot: BarycenterBoot;
  readonly addons: ClusterAddons;
  /** TalosControlPlane ready and every MachineDeployment available (after the CNI). */
  readonly ready: command.local.Command;
  readonly takeover: Takeover;
  readonly network: ClusterNetwork;
  readonly dnsCleanup: command.local.Command;
  readonly apps: ClusterApps;
  /** Its kubeconfig and talosconfig, read through its own provider on every `up`, after the adoption. */
  readonly access: ClusterAccess;
  /** What the satellites need of it. */
  readonly forSatellites: BarycenterAccess;
  /** Addresses by role: the control-plane endpoint, the ingress and the clustermesh-apiserver. */
  readonly addresses: { readonly cp: pulumi.Output<string>; readonly ingress: pulumi.Output<string>; readonly mesh: pulumi.Output<string> };

  constructor(cluster: ClusterSpec, platform: Platform, mesh: ClusterMesh, opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.managementCluster, names.managementCluster(cluster.name), {}, opts);
    this.clusterName = cluster.name;
    this.vips = new VipReservations(cluster, platform, { parent: this });
    this.addresses = { cp: this.vips.address("cp"), ingress: this.vips.address("ingress"), mesh: this.vips.address("mesh") };
    mesh.setAddress(cluster.name, this.addresses.mesh);
    this.definition = clusterDefinition(cluster, platform, this.vips.reservation("cp"));
    this.boot = bootBarycenter(cluster, platform, this.definition, this);
    // The barycenter's in-cluster resources go with the command that applied its CAPI objects (DESIGN §4).
    this.addons = new ClusterAddons(
      names.addons(cluster.name),
      {
        cluster,
        clusterId: platform.clusterIds.get(cluster.name)!,
        provider: this.boot.provider,
        deletedWith: this.boot.apply,
        timeoutSeconds: platform.config.waitTimeoutSeconds,
        meshAddress: this.addresses.mesh,
        ingressAddress: this.addresses.ingress,
        mesh: mesh.forClusters,
        ingress: platform.constellation.ingress,
      },
      { parent: this },
    );
    // Against kind, frozen like every kind-phase command; after the CNI, since nodes are NotReady before it.
    this.ready = script(
      names.waitReady(cluster.name),
      {
        create: waitReadyScript(
          useKind(this.boot.kindCluster),
          cluster.name,
          cluster.controlPlane.count,
          cluster.workers.map((w) => capiNames.machineDeployment(cluster.name, w.key)),
          platform.config.waitTimeoutSeconds,
        ),
        frozen: true,
      },
      { parent: this, dependsOn: [this.boot.apply, this.addons.cilium] },
    );
    this.network = clusterNetwork({
      cluster,
      provider: this.boot.provider,
      kubeconfig: this.boot.credential.stdout,
      meshAddress: this.addresses.mesh,
      addons: this.addons,
      ready: this.ready,
      deletedWith: this.boot.apply,
      timeoutSeconds: platform.config.waitTimeoutSeconds,
      parent: this,
    });
    // The move depends on the DNS cleanup, so the cleanup's delete runs only after the barycenter is gone.
    this.dnsCleanup = dnsCleanup(cluster, platform, platform.dnsKeyJson, this);
    this.takeover = takeOver({ cluster, platform, definition: this.definition, boot: this.boot, addons: this.addons, ready: this.ready, moveDependsOn: [this.dnsCleanup], parent: this });
    this.apps = new ClusterApps(
      names.apps(cluster.name),
      { cluster, platform, provider: this.boot.provider, deletedWith: this.boot.apply, addons: this.addons, ready: this.ready, keyJson: platform.dnsKeyJson, ingressAddress: this.addresses.ingress },
      { parent: this },
    );
    // The adopted Cluster's id stays unknown in a preview until it exists (its inputs, metadata included, are echoed
    // in a preview and would be known): the reads below never run early.
    this.access = readClusterAccess(cluster.name, this.takeover.adopted.cluster, this.takeover.adopted.cluster.id, this.boot.provider, this);
    this.forSatellites = { provider: this.boot.provider, credential: this.boot.credential.stdout, adoption: this.takeover.adopted.all };
    this.registerOutputs({ addresses: this.addresses });
  }
}
