/**
 * The contract a bare-metal infrastructure target fulfils. Everything specific to one platform (its API, its
 * Cluster API infrastructure provider, its cloud controller, its BGP and metadata addresses, its machine catalogue)
 * lives in one folder under lib/infra/ (pure data and text) and one under components/infra/ (its Pulumi resources);
 * the rest of the program reads the platform only through this interface. docs/architecture.md lists what a second
 * target implements.
 */
import type { K8sObject } from "../builders/capi/api-versions";
import type { ClusterSpec, NodeGroup } from "../constellation/model";
import type { ConfigKey } from "../stack/config";
import type { VersionRule } from "../constellation/versions";

/** A version the target pins: its key in the constellation file, how messages name it, the pin and its rule. */
export interface TargetVersion {
  readonly key: string;
  readonly label: string;
  readonly pin: string;
  readonly rule: VersionRule;
}

export type Architecture = "amd64" | "arm64";

/** Why a catalogue lookup refused a code: what was expected, and the listed code nearest to it when one is near. */
export interface CatalogMiss {
  readonly expected: string;
  readonly suggestion: string | undefined;
}

export interface InfraTarget {
  /** The folder name and the stable identifier, e.g. `equinix-metal`. */
  readonly id: string;
  /** The Pulumi package of the platform's provider: its provider resource is named after it. */
  readonly pulumiPackage: string;
  /** How messages name the platform, e.g. `Equinix Metal`. */
  readonly displayName: string;

  /** The stack configuration keys the target reads (its project and credentials), listed first in the docs. */
  readonly configKeys: readonly ConfigKey[];
  /** Which of them names the project (or account) every machine and address lives in. */
  readonly projectIdKey: string;

  /** Its versions: the Cluster API infrastructure provider (constellation-wide) and the cloud controller (per cluster). */
  readonly versions: { readonly provider: TargetVersion; readonly cloudController: TargetVersion };

  /** The machine catalogue: locations, machine types, their architecture and install disk. */
  readonly catalog: {
    /** Null when the location code is listed; otherwise what was expected and the nearest code. */
    checkMetro(code: string): CatalogMiss | null;
    /** Null when the machine type is listed; otherwise what was expected and the nearest type. */
    checkPlan(code: string): CatalogMiss | null;
    architectureOf(plan: string): Architecture;
    /** The disk Talos installs to on a plan, when the catalogue knows it. */
    installDisk(plan: string): string | undefined;
    readonly knownInstallDiskPlans: readonly string[];
  };

  /** The Cluster API infrastructure provider. */
  readonly capi: {
    /** clusterctl's provider name (`--infrastructure <name>:<version>`, inventory `InfrastructureProvider/<name>`). */
    readonly clusterctlName: string;
    /** Shell lines that give clusterctl the provider's credentials from the target's environment (see `api`). */
    readonly clusterctlCredentials: string;
    /** The provider's cluster object (the Cluster's infrastructureRef). Its control-plane endpoint host is a leaf
     * the caller fills at deploy time. */
    infraCluster(input: { cluster: ClusterSpec; projectId: string; cpVip: unknown; metadata: K8sObject["metadata"] }): K8sObject;
    /** A machine template's spec for a node group booting `bootUrl`. */
    machineTemplateSpec(cluster: ClusterSpec, group: NodeGroup, bootUrl: string): Record<string, unknown>;
    /** The logical-name suffix of the cluster object's Pulumi resource (`<cluster>-<suffix>`). */
    readonly infraClusterLogicalSuffix: string;
    /** The kind of the provider's cluster object. */
    readonly infraClusterKind: string;
    readonly machineTemplateKind: string;
    readonly apiVersion: string;
    /** The tag the provider puts on every machine of a cluster: what a last-resort teardown deletes by. */
    deviceTag(cluster: string): string;
  };

  /** How nodes boot Talos: the platform's kernel arguments in the Image Factory schematic, and the boot URL. */
  readonly boot: {
    kernelArgs(architecture: Architecture): readonly string[];
    bootUrl(schematic: string, talos: string, architecture: Architecture): string;
  };

  /** What the platform adds to the Talos machine configuration. */
  readonly talos: {
    /** Turns a finished patch into what the provider writes into user data (templating, escaping). */
    toUserData(text: string): string;
    /** Stand-ins for the provider's user-data variables, replaced by `toUserData`. */
    readonly marks: { readonly apiKey: string; readonly controlPlaneEndpoint: string };
    /** The cloud controller, as manifests Talos applies inline on control-plane machines. */
    cloudController(input: { cluster: ClusterSpec; projectId: string }): { readonly name: string; readonly contents: string };
    /** Extra control-plane documents (the platform's control-plane VIP). */
    controlPlaneDocuments(): readonly Record<string, unknown>[];
    /** Private ranges the kubelet must not take its node address from. */
    readonly privateRanges: readonly string[];
  };

  /** How the plan reads the target's address reservations: their Pulumi type, and whether one is a shared anycast
   * address or a public one of one location. */
  readonly reservations: {
    readonly pulumiType: string;
    isAnycast(inputs: Readonly<Record<string, unknown>>): boolean;
  };

  /** The platform's network facts every cluster needs. */
  readonly network: {
    /** The routers MetalLB peers with on every node, and the ASNs. `name` prefixes the BGPPeer objects. */
    readonly bgp: { readonly name: string; readonly peers: readonly string[]; readonly peerASN: number; readonly myASN: number };
    /** The metadata service that serves a node's credentials: pods never reach it. */
    readonly metadata: { readonly name: string; readonly cidrs: readonly string[]; readonly description: string };
  };

  /** The platform API from bash: what teardowns and checks call. */
  readonly api: {
    /** Fails unless the environment holds the platform credentials. */
    readonly requireCredentials: string;
    /** Defines `devices_tagged TAG…`, `delete_devices TAG…`, `constellation_clusters NAME` and `billing_hint`. */
    readonly functions: string;
  };
}
