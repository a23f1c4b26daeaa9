/**
 * One cluster's Cluster API objects: Cluster, the infrastructure target's cluster object, TalosControlPlane and its
 * machine template, and per worker group a machine template, a TalosConfigTemplate and a MachineDeployment. Plain data in, plain
 * data out: the components lift the deploy-time values (the cp VIP) and register the objects.
 */
import { minorOf } from "../../constellation/versions";
import type { ClusterSpec, NodeGroup } from "../../constellation/model";
import { capiNames } from "../names";
import { hash8 } from "../hash";
import { schematicFor } from "../talos/schematic";
import { API, refTo, type K8sObject } from "./api-versions";
import { infra } from "../../infra";

/** Every CAPI object carries these (docs/architecture.md#cluster-api-objects). */
export const CAPI_ANNOTATIONS = {
  // Pulumi's default, foreground, lets the garbage collector delete the infrastructure cluster object before its
  // provider has deleted the machines, after which the provider can no longer delete a single one: they would keep
  // billing (docs/architecture.md#destroy-order).
  "pulumi.com/deletionPropagationPolicy": "background",
} as const;

/** The Cluster also skips Pulumi's await: its readiness needs a CNI that only comes later (waits are resources
 * of their own; an await on a CAPI object would deadlock the bring-up). */
export const CLUSTER_ANNOTATIONS = { ...CAPI_ANNOTATIONS, "pulumi.com/skipAwait": "true" } as const;

/** @typeParam Address the cp address: a string, or a deploy-time value the caller places at that one leaf. */
export interface CapiInput<Address = string> {
  readonly cluster: ClusterSpec;
  readonly projectId: string;
  /** The reserved control-plane address (the cp VIP). */
  readonly cpVip: Address;
  /** Talos strategic patches (YAML documents) for control-plane and worker machines. */
  readonly patches: { readonly controlPlane: readonly string[]; readonly workers: Readonly<Record<string, readonly string[]>> };
}

export interface WorkerObjects {
  readonly group: NodeGroup;
  readonly machineTemplate: K8sObject;
  readonly bootstrapTemplate: K8sObject;
  readonly machineDeployment: K8sObject;
}

export interface CapiObjects {
  readonly cluster: K8sObject;
  /** The infrastructure target's cluster object (the Cluster's infrastructureRef). */
  readonly infraCluster: K8sObject;
  readonly controlPlane: K8sObject;
  readonly controlPlaneMachineTemplate: K8sObject;
  readonly workers: readonly WorkerObjects[];
}

function meta(cluster: string, name: string, annotations: Readonly<Record<string, string>> = CAPI_ANNOTATIONS) {
  return {
    name,
    namespace: capiNames.namespace,
    labels: { "cluster.x-k8s.io/cluster-name": cluster },
    annotations: { ...annotations },
  };
}

function machineTemplateSpec(c: ClusterSpec, group: NodeGroup) {
  return infra.capi.machineTemplateSpec(c, group, infra.boot.bootUrl(schematicFor(c, group), c.versions.talos, group.architecture));
}

export function buildCapiObjects<Address = string>(input: CapiInput<Address>): CapiObjects {
  const c = input.cluster;
  const name = c.name;
  const talosVersion = minorOf(c.versions.talos);

  const infraCluster = infra.capi.infraCluster({ cluster: c, projectId: input.projectId, cpVip: input.cpVip, metadata: meta(name, capiNames.infraCluster(name)) });

  const cpConfig = {
    controlplane: { generateType: "controlplane", talosVersion, strategicPatches: [...input.patches.controlPlane] },
  };
  const cpTemplateSpec = machineTemplateSpec(c, c.controlPlane);
  // The control-plane template's name hashes its own spec and the control-plane machine configuration. CACPPT rolls
  // machines whose template name (MatchesTemplateClonedFrom) or configuration (MatchesControlPlaneConfig) differs;
  // an in-place edit of a template's content would roll nothing, hence the hash.
  const controlPlaneMachineTemplate: K8sObject = {
    apiVersion: infra.capi.apiVersion,
    kind: infra.capi.machineTemplateKind,
    metadata: meta(name, capiNames.template(name, "control-plane", hash8(cpTemplateSpec, cpConfig))),
    spec: cpTemplateSpec,
  };

  const controlPlane: K8sObject = {
    apiVersion: API.controlPlane,
    kind: "TalosControlPlane",
    metadata: meta(name, capiNames.controlPlane(name)),
    spec: {
      replicas: c.controlPlane.count,
      version: c.versions.kubernetes,
      infrastructureTemplate: refTo(controlPlaneMachineTemplate),
      controlPlaneConfig: cpConfig,
    },
  };

  const cluster: K8sObject = {
    apiVersion: API.cluster,
    kind: "Cluster",
    metadata: meta(name, capiNames.cluster(name), CLUSTER_ANNOTATIONS),
    spec: {
      clusterNetwork: {
        pods: { cidrBlocks: [...c.podCidrs] },
        services: { cidrBlocks: [...c.serviceCidrs] },
        serviceDomain: `${name}.local`,
      },
      controlPlaneRef: refTo(controlPlane),
      infrastructureRef: refTo(infraCluster),
    },
  };

  const workers = c.workers.map((group): WorkerObjects => {
    const templateSpec = machineTemplateSpec(c, group);
    const machineTemplate: K8sObject = {
      apiVersion: infra.capi.apiVersion,
      kind: infra.capi.machineTemplateKind,
      metadata: meta(name, capiNames.template(name, group.key, hash8(templateSpec))),
      spec: templateSpec,
    };
    const bootstrapSpec = { template: { spec: { generateType: "worker", talosVersion, strategicPatches: [...(input.patches.workers[group.key] ?? [])] } } };
    const bootstrapTemplate: K8sObject = {
      apiVersion: API.bootstrap,
      kind: "TalosConfigTemplate",
      metadata: meta(name, capiNames.template(name, group.key, hash8(bootstrapSpec))),
      spec: bootstrapSpec,
    };
    const mdName = capiNames.machineDeployment(name, group.key);
    const selector = { "cluster.x-k8s.io/cluster-name": name, "cluster.x-k8s.io/deployment-name": mdName };
    const machineDeployment: K8sObject = {
      apiVersion: API.cluster,
      kind: "MachineDeployment",
      metadata: meta(name, mdName),
      spec: {
        clusterName: name,
        replicas: group.count,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            clusterName: name,
            version: c.versions.kubernetes,
            bootstrap: { configRef: refTo(bootstrapTemplate) },
            infrastructureRef: refTo(machineTemplate),
          },
        },
      },
    };
    return { group, machineTemplate, bootstrapTemplate, machineDeployment };
  });

  return { cluster, infraCluster, controlPlane, controlPlaneMachineTemplate, workers };
}

/** All objects in apply order: what a manifest file lists. */
export function capiObjectList(o: CapiObjects): K8sObject[] {
  return [
    o.cluster,
    o.infraCluster,
    o.controlPlaneMachineTemplate,
    o.controlPlane,
    ...o.workers.flatMap((w) => [w.machineTemplate, w.bootstrapTemplate, w.machineDeployment]),
  ];
}
