/**
 * A cluster's Cluster API objects as Kubernetes resources on a management cluster's provider: the satellites' on
 * the barycenter, and the barycenter's own after the move (adoption). Field-level diffs in `pulumi preview`.
 *
 * Only the `Cluster` is ever deleted as such (background propagation: CAPI then deletes workers, control plane and
 * devices in order, and garbage-collects the templates it owns); every other object has `deletedWith` on it, which
 * also orders its creation after the Cluster (docs/architecture.md#deletedwith-and-creation-order).
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { capiResourceNames } from "../../lib/builders/names";
import type { K8sObject } from "../../lib/builders/capi/api-versions";
import type { ClusterDefinitionSeam } from "./definition";
import { customObject } from "../support/custom-object";

export interface CapiResourcesArgs {
  /** The objects and what applying them waits for (cluster/definition.ts). */
  readonly definition: ClusterDefinitionSeam;
  readonly provider: k8s.Provider;
  /** What the Cluster waits for (the adoption step for satellites; the move for the adoption). */
  readonly clusterDependsOn: pulumi.Input<pulumi.Resource>[];
  /** Adoption: server-side apply takes over the moved objects (`pulumi.com/patchForce`), and the objects whose
   * deletion would kill the management plane (Cluster, the infrastructure cluster object, TalosControlPlane) are retained on delete. */
  readonly adopt: boolean;
  /** How long deleting the Cluster may take (CAPI deprovisions bare metal). */
  readonly deleteTimeoutSeconds: number;
}

export interface CapiResources {
  readonly cluster: k8s.apiextensions.CustomResource;
  /** Every resource, the Cluster first. */
  readonly all: readonly k8s.apiextensions.CustomResource[];
}

/** @param name the cluster's name, which its Cluster object carries. */
export function createCapiResources(name: string, args: CapiResourcesArgs, parent: pulumi.Resource): CapiResources {
  const seam = args.definition;
  const o = seam.definition.objects;
  if (o.cluster.metadata.name !== name) throw new Error(`createCapiResources: the definition is ${o.cluster.metadata.name}'s, not ${name}'s`);
  const resource = (logical: string, obj: K8sObject, opts: pulumi.CustomResourceOptions) =>
    customObject(
      logical,
      {
        ...obj,
        metadata: {
          ...obj.metadata,
          // Adopted: force the apply over clusterctl's copy, as the field manager the kind-side apply used (the move
          // copies managed fields), so that a field later removed from the constellation is released, not kept.
          annotations: {
            ...obj.metadata.annotations,
            ...(args.adopt ? { "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": "gocy" } : {}),
          },
        },
      },
      { parent, provider: args.provider, ...opts },
    );

  const cluster = resource(capiResourceNames.cluster(name), o.cluster, {
    dependsOn: [...args.clusterDependsOn, seam.cpTag, ...seam.bootImages],
    retainOnDelete: args.adopt,
    customTimeouts: { delete: `${args.deleteTimeoutSeconds}s` },
  });
  const rest = { deletedWith: cluster, dependsOn: [seam.cpTag, ...seam.bootImages] };
  // Objects that reference templates come after them, so a renamed template exists before it is referenced.
  const cpTemplate = resource(capiResourceNames.controlPlaneTemplate(name), o.controlPlaneMachineTemplate, rest);
  const all = [
    cluster,
    resource(capiResourceNames.infraCluster(name), o.infraCluster, { ...rest, retainOnDelete: args.adopt }),
    cpTemplate,
    resource(capiResourceNames.controlPlane(name), o.controlPlane, { ...rest, retainOnDelete: args.adopt, dependsOn: [seam.cpTag, ...seam.bootImages, cpTemplate] }),
    ...o.workers.flatMap((w) => {
      const machines = resource(capiResourceNames.workerTemplate(name, w.group.key), w.machineTemplate, rest);
      const config = resource(capiResourceNames.workerConfig(name, w.group.key), w.bootstrapTemplate, rest);
      return [machines, config, resource(capiResourceNames.machineDeployment(name, w.group.key), w.machineDeployment, { ...rest, dependsOn: [seam.cpTag, ...seam.bootImages, machines, config] })];
    }),
  ];
  return { cluster, all };
}
