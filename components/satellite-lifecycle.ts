/**
 * A satellite's lifecycle on the barycenter: its CAPI objects as Kubernetes resources (after the adoption step),
 * the wait for ControlPlaneInitialized, its kubeconfig read on every `up`, its own provider, the shared add-ons and
 * the cluster-ready wait. Nothing here depends on another satellite, so satellites provision in parallel.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type * as command from "@pulumi/command";
import { capiNames, clusterIdentifier, names } from "../lib/builders/names";
import { waitInitializedScript, waitReadyScript } from "../lib/builders/scripts/bring-up";
import { USE_ENV_KUBECONFIG } from "../lib/builders/scripts/self-hosting";
import type { ClusterSpec } from "../lib/spec/model";
import { registerCapiObjects, type CapiResources } from "./capi-resources";
import { ClusterAddons } from "./cluster-addons";
import { readClusterAccess, type ClusterAccess } from "./cluster-access";
import type { ClusterDefinitionSeam } from "./cluster-definition";
import { script } from "./commands";
import { clusterNetwork, type ClusterNetwork } from "./cluster-network";
import type { MeshForCluster } from "./cluster-mesh";
import { ClusterApps, dnsCleanup } from "./cluster-apps";
import type { Platform } from "./context";

/** What a satellite needs of the barycenter. */
export interface BarycenterAccess {
  readonly provider: k8s.Provider;
  /** The barycenter's long-lived kubeconfig (secret). */
  readonly credential: pulumi.Output<string>;
  /** The adoption step: every satellite's Cluster waits for it (an option of the Cluster, never of the component). */
  readonly adoption: readonly pulumi.Resource[];
}

export interface SatelliteLifecycle {
  readonly capi: CapiResources;
  readonly waitInitialized: command.local.Command;
  readonly access: ClusterAccess;
  readonly provider: k8s.Provider;
  readonly addons: ClusterAddons;
  readonly ready: command.local.Command;
  readonly network: ClusterNetwork;
  readonly dnsCleanup: command.local.Command;
  readonly apps: ClusterApps;
}

export function bringUpSatellite(
  cluster: ClusterSpec,
  platform: Platform,
  seam: ClusterDefinitionSeam,
  bary: BarycenterAccess,
  addresses: { readonly mesh: pulumi.Output<string>; readonly ingress: pulumi.Output<string> },
  mesh: MeshForCluster,
  parent: pulumi.Resource,
): SatelliteLifecycle {
  // The satellite's Cluster depends on its DNS cleanup: the cleanup's delete runs only after the cluster is gone.
  const cleanup = dnsCleanup(cluster, platform, platform.dnsKeyJson, parent);
  const meshAddress = addresses.mesh;
  const n = cluster.name;
  const timeout = platform.config.waitTimeoutSeconds;
  const capi = registerCapiObjects(seam, { provider: bary.provider, parent, clusterDependsOn: [...bary.adoption, cleanup], adopt: false, deleteTimeoutSeconds: timeout });
  const env = { GOCY_KUBECONFIG: bary.credential };
  // No delete: a wait leaves nothing behind. Runs against the barycenter, after every CAPI object of the cluster.
  const waitInitialized = script(names.waitInitialized(n), { create: waitInitializedScript(USE_ENV_KUBECONFIG, n, timeout), environment: env }, { parent, dependsOn: [...capi.all] });
  const access = readClusterAccess(n, waitInitialized, waitInitialized.stdout, bary.provider, parent);
  const provider = new k8s.Provider(names.k8sProvider(n), { kubeconfig: access.kubeconfig, clusterIdentifier: clusterIdentifier(platform.constellation.name, n) }, { parent });
  const addons = new ClusterAddons(
    names.addons(n),
    { cluster, clusterId: platform.clusterIds.get(n)!, provider, deletedWith: capi.cluster, timeoutSeconds: timeout, meshAddress, ingressAddress: addresses.ingress, mesh, ingress: platform.constellation.ingress },
    { parent },
  );
  const ready = script(
    names.waitReady(n),
    { create: waitReadyScript(USE_ENV_KUBECONFIG, n, cluster.controlPlane.count, cluster.workers.map((w) => capiNames.machineDeployment(n, w.key)), timeout), environment: env },
    { parent, dependsOn: [addons.cilium, ...capi.all] },
  );
  const network = clusterNetwork({
    cluster,
    provider,
    kubeconfig: access.kubeconfig,
    meshAddress,
    addons,
    ready,
    deletedWith: capi.cluster,
    timeoutSeconds: timeout,
    parent,
  });
  const apps = new ClusterApps(
    names.apps(n),
    { cluster, platform, provider, deletedWith: capi.cluster, addons, ready, keyJson: platform.dnsKeyJson, ingressAddress: addresses.ingress },
    { parent },
  );
  return { capi, waitInitialized, access, provider, addons, ready, network, dnsCleanup: cleanup, apps };
}
