/**
 * A satellite's lifecycle on the barycenter: its CAPI objects as Kubernetes resources (after the adoption step),
 * the wait for ControlPlaneInitialized, its kubeconfig read on every `up`, its own provider, then the in-cluster
 * services every cluster has. Nothing here depends on another satellite, so satellites provision in parallel.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { clusterIdentifier, names } from "../../lib/builders/names";
import { waitInitializedScript } from "../../lib/builders/scripts/bring-up";
import { USE_ENV_KUBECONFIG } from "../../lib/builders/scripts/self-hosting";
import type { ClusterSpec } from "../../lib/constellation/model";
import { createCapiResources } from "../cluster/capi-resources";
import { createClusterAccess } from "../cluster/access";
import type { ClusterDefinitionSeam } from "../cluster/definition";
import { script } from "../support/commands";
import type { MeshForCluster } from "../constellation/cluster-mesh";
import { createDnsCleanup } from "../cluster/apps";
import { createClusterServices, meshEndpointOf, type ClusterAddresses, type ConstellationCluster } from "../cluster/services";
import type { BarycenterAccess } from "../barycenter/management-cluster";
import type { Platform } from "../support/context";

export interface SatelliteLifecycleArgs {
  readonly cluster: ClusterSpec;
  readonly platform: Platform;
  /** The Cluster API objects, depending on the cp reservation's tag (see cluster/definition.ts). */
  readonly definition: ClusterDefinitionSeam;
  readonly barycenter: BarycenterAccess;
  readonly addresses: ClusterAddresses;
  readonly mesh: MeshForCluster;
}

export function createSatelliteLifecycle(name: string, a: SatelliteLifecycleArgs, parent: pulumi.Resource): ConstellationCluster {
  const { cluster, platform, barycenter: bary } = a;
  // The satellite's Cluster depends on its DNS cleanup: the cleanup's delete runs only after the cluster is gone.
  const cleanup = createDnsCleanup(name, { platform }, parent);
  const timeout = platform.config.waitTimeoutSeconds;
  const capi = createCapiResources(name, { definition: a.definition, provider: bary.provider, clusterDependsOn: [...bary.adoption, cleanup], adopt: false, deleteTimeoutSeconds: timeout }, parent);
  const env = { GOCY_KUBECONFIG: bary.credential };
  // No delete: a wait leaves nothing behind. Runs against the barycenter, after every CAPI object of the cluster.
  const waitInitialized = script(names.waitInitialized(name), { create: waitInitializedScript(USE_ENV_KUBECONFIG, name, timeout), environment: env }, { parent, dependsOn: [...capi.all] });
  const access = createClusterAccess(name, { after: waitInitialized, existsWhen: waitInitialized.stdout, provider: bary.provider }, parent);
  const provider = new k8s.Provider(names.k8sProvider(name), { kubeconfig: access.kubeconfig, clusterIdentifier: clusterIdentifier(platform.constellation.name, name) }, { parent });
  const services = createClusterServices(
    name,
    {
      cluster,
      platform,
      provider,
      kubeconfig: access.kubeconfig,
      deletedWith: capi.cluster,
      addresses: a.addresses,
      mesh: a.mesh,
      readyWait: { prelude: USE_ENV_KUBECONFIG, environment: env },
      readyAfter: [...capi.all],
    },
    parent,
  );
  return {
    name,
    addresses: a.addresses,
    kubeconfig: access.kubeconfig,
    talosconfig: access.talosconfig,
    meshEndpoint: meshEndpointOf(name, access.kubeconfig, services),
    ready: services.ready,
  };
}
