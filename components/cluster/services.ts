/**
 * What runs inside every cluster once its first control plane answers, wired once for the barycenter and the
 * satellites: the bootstrap-critical add-ons, the cluster-ready wait (after the CNI: nodes are NotReady before it),
 * the network policies and the mesh address check, and the apps. Both cluster components call this, so the two
 * kinds of cluster cannot drift apart.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import type * as command from "@pulumi/command";
import { capiNames, names } from "../../lib/builders/names";
import { waitReadyScript } from "../../lib/builders/scripts/bring-up";
import type { ClusterSpec } from "../../lib/constellation/model";
import { ClusterAddons } from "./addons";
import { ClusterApps } from "./apps";
import { createClusterNetwork, type ClusterNetwork } from "./network";
import type { MeshEndpoint, MeshForCluster } from "../constellation/cluster-mesh";
import { script } from "../support/commands";
import type { Platform } from "../support/context";

/** A cluster's addresses by role: the control-plane endpoint, the ingress and the clustermesh-apiserver. */
export interface ClusterAddresses {
  readonly cp: pulumi.Output<string>;
  /** A satellite's ingress is the constellation's shared anycast address. */
  readonly ingress: pulumi.Output<string>;
  readonly mesh: pulumi.Output<string>;
}

/** The one shape every cluster of a constellation has, whatever its role: what `index.ts` and the mesh read. */
export interface ConstellationCluster {
  readonly name: string;
  readonly addresses: ClusterAddresses;
  /** Admin kubeconfig, read on every `up` from the cluster's management side (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** talosconfig with public endpoints only (secret). */
  readonly talosconfig: pulumi.Output<string>;
  /** What the mesh verification needs of this cluster. */
  readonly meshEndpoint: MeshEndpoint;
  /** The cluster-ready wait: every machine of the cluster is up and the CNI runs. */
  readonly ready: command.local.Command;
}

/** How the cluster-ready wait reaches the cluster's management side (kind for the barycenter, the barycenter for a satellite). */
export interface ReadyWaitTarget {
  /** Shell prelude that points kubectl at the management side (scripts/common.ts `useKind`, or the env kubeconfig). */
  readonly prelude: string;
  readonly environment?: Record<string, pulumi.Input<string>>;
  /** Commands against kind are frozen: kind is gone after the move, so they must never run again. */
  readonly frozen?: boolean;
}

export interface ClusterServicesArgs {
  readonly cluster: ClusterSpec;
  readonly platform: Platform;
  /** The cluster's own Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** The cluster's kubeconfig (secret), for the checks that run kubectl against it. */
  readonly kubeconfig: pulumi.Output<string>;
  /** Whose deletion takes every in-cluster object along (the cluster itself goes). */
  readonly deletedWith: pulumi.Resource;
  readonly addresses: ClusterAddresses;
  readonly mesh: MeshForCluster;
  readonly readyWait: ReadyWaitTarget;
  /** What the cluster-ready wait comes after besides Cilium: every CAPI object of the cluster. */
  readonly readyAfter: readonly pulumi.Resource[];
}

export interface ClusterServices {
  readonly addons: ClusterAddons;
  readonly ready: command.local.Command;
  readonly network: ClusterNetwork;
  readonly apps: ClusterApps;
}

export function createClusterServices(name: string, a: ClusterServicesArgs, parent: pulumi.Resource): ClusterServices {
  const { cluster, platform } = a;
  const timeout = platform.config.waitTimeoutSeconds;
  const addons = new ClusterAddons(
    names.addons(name),
    {
      cluster,
      clusterId: platform.clusterIds.get(name)!,
      provider: a.provider,
      deletedWith: a.deletedWith,
      timeoutSeconds: timeout,
      meshAddress: a.addresses.mesh,
      ingressAddress: a.addresses.ingress,
      mesh: a.mesh,
      ingress: platform.constellation.ingress,
    },
    { parent },
  );
  const ready = script(
    names.waitReady(name),
    {
      create: waitReadyScript(
        a.readyWait.prelude,
        name,
        cluster.controlPlane.count,
        cluster.workers.map((w) => capiNames.machineDeployment(name, w.key)),
        timeout,
      ),
      ...(a.readyWait.environment ? { environment: a.readyWait.environment } : {}),
      ...(a.readyWait.frozen ? { frozen: true } : {}),
    },
    { parent, dependsOn: [...a.readyAfter, addons.cilium] },
  );
  const network = createClusterNetwork(
    name,
    { cluster, provider: a.provider, kubeconfig: a.kubeconfig, meshAddress: a.addresses.mesh, addons, ready, deletedWith: a.deletedWith, timeoutSeconds: timeout },
    parent,
  );
  const apps = new ClusterApps(
    names.apps(name),
    { cluster, platform, provider: a.provider, deletedWith: a.deletedWith, addons, ready, keyJson: platform.dnsKeyJson, ingressAddress: a.addresses.ingress },
    { parent },
  );
  return { addons, ready, network, apps };
}

/** What the mesh verification needs of a cluster whose services exist. */
export function meshEndpointOf(name: string, kubeconfig: pulumi.Output<string>, services: ClusterServices): MeshEndpoint {
  return { name, kubeconfig, ready: [services.addons.cilium, services.network.meshAddressReady], whoami: services.apps.whoami };
}
