/**
 * One cluster's Cluster API objects: Cluster, PacketCluster, TalosControlPlane and its PacketMachineTemplate, and
 * per worker group a PacketMachineTemplate, a TalosConfigTemplate and a MachineDeployment. Plain data in, plain
 * data out: the components lift the deploy-time values (the cp VIP) and register the objects.
 */
import { minorOf } from "../../spec/versions";
import type { ClusterSpec, NodeGroup } from "../../spec/model";
import { capiNames } from "../names";
import { hash8 } from "../hash";
import { schematicFor } from "../talos/schematic";
import { API, refTo, type K8sObject } from "./api-versions";

/** Every CAPI object carries these (docs/architecture.md#cluster-api-objects). */
export const CAPI_ANNOTATIONS = {
  // Pulumi's default, foreground, lets the garbage collector delete the PacketCluster before CAPP has deleted the
  // devices, after which CAPP can no longer delete a single device: they would keep billing.
  "pulumi.com/deletionPropagationPolicy": "background",
} as const;

/** The Cluster also skips Pulumi's await: its readiness needs a CNI that only comes later (waits are resources
 * of their own; an await on a CAPI object would deadlock the bring-up). */
export const CLUSTER_ANNOTATIONS = { ...CAPI_ANNOTATIONS, "pulumi.com/skipAwait": "true" } as const;

/** Kubernetes API server port behind the control-plane VIP. */
export const API_SERVER_PORT = 6443;

/** Image Factory's iPXE script for a schematic, Talos version and architecture (docs/architecture.md#talos-on-equinix-metal). Equinix retired its
 * own talos_v1 image in 2024, so devices boot `custom_ipxe` from here. */
export function ipxeUrl(schematic: string, talos: string, architecture: "amd64" | "arm64"): string {
  return `https://pxe.factory.talos.dev/pxe/${schematic}/${talos}/equinixMetal-${architecture}`;
}

export interface CapiInput {
  readonly cluster: ClusterSpec;
  readonly projectId: string;
  /** The reserved control-plane address (the cp VIP). */
  readonly cpVip: string;
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
  readonly packetCluster: K8sObject;
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
  return {
    template: {
      spec: {
        os: "custom_ipxe",
        ipxeURL: ipxeUrl(schematicFor(c, group), c.versions.talos, group.architecture),
        billingCycle: "hourly",
        machineType: group.plan,
      },
    },
  };
}

export function buildCapiObjects(input: CapiInput): CapiObjects {
  const c = input.cluster;
  const name = c.name;
  const talosVersion = minorOf(c.versions.talos);

  const packetCluster: K8sObject = {
    apiVersion: API.infrastructure,
    kind: "PacketCluster",
    metadata: meta(name, capiNames.packetCluster(name)),
    spec: {
      projectID: input.projectId,
      metro: c.metro,
      controlPlaneEndpoint: { host: input.cpVip, port: API_SERVER_PORT },
      // KUBE_VIP, not CPEM: in this mode CAPP enables project BGP and a BGP session on every device (MetalLB
      // announces over them) and does not assign the EIP itself, so Talos' own VIP controller moves the cp address
      // between control-plane nodes. In CPEM mode CAPP would pin the EIP to the first control-plane device and fight
      // Talos for it (CAPP v0.9.0 packetmachine_controller.go; docs/architecture.md#talos-on-equinix-metal).
      vipManager: "KUBE_VIP",
    },
  };

  const cpConfig = {
    controlplane: { generateType: "controlplane", talosVersion, strategicPatches: [...input.patches.controlPlane] },
  };
  const cpTemplateSpec = machineTemplateSpec(c, c.controlPlane);
  // The control-plane template's name hashes its own spec and the control-plane machine configuration. CACPPT rolls
  // machines whose template name (MatchesTemplateClonedFrom) or configuration (MatchesControlPlaneConfig) differs;
  // an in-place edit of a template's content would roll nothing, hence the hash.
  const controlPlaneMachineTemplate: K8sObject = {
    apiVersion: API.infrastructure,
    kind: "PacketMachineTemplate",
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
      infrastructureRef: refTo(packetCluster),
    },
  };

  const workers = c.workers.map((group): WorkerObjects => {
    const templateSpec = machineTemplateSpec(c, group);
    const machineTemplate: K8sObject = {
      apiVersion: API.infrastructure,
      kind: "PacketMachineTemplate",
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

  return { cluster, packetCluster, controlPlane, controlPlaneMachineTemplate, workers };
}

/** All objects in apply order: what a manifest file lists. */
export function capiObjectList(o: CapiObjects): K8sObject[] {
  return [
    o.cluster,
    o.packetCluster,
    o.controlPlaneMachineTemplate,
    o.controlPlane,
    ...o.workers.flatMap((w) => [w.machineTemplate, w.bootstrapTemplate, w.machineDeployment]),
  ];
}
