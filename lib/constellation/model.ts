/**
 * The constellation as the program uses it: normalized, defaults applied, every invariant already checked.
 */
import type { VersionField } from "./versions";

export type VipRole = "cp" | "ingress" | "mesh";
export type ClusterRole = "barycenter" | "satellite";

export interface NodeGroup {
  /** Stable key: the group's `name`, or its plan with dots turned into dashes. Names the MachineDeployment. */
  readonly key: string;
  readonly count: number;
  readonly plan: string;
  readonly architecture: "amd64" | "arm64";
  readonly installDisk: string;
}

export interface ClusterSpec {
  readonly name: string;
  readonly role: ClusterRole;
  /** Where the cluster stands in the file (`bary`, `satellites[1]`), for messages. */
  readonly yamlPath: string;
  readonly metro: string;
  /** `cloudController`: the infrastructure target's cloud controller (its key in the file is the target's). */
  readonly versions: { readonly cloudController: string; readonly talos: string; readonly kubernetes: string };
  readonly domainPrefix: string | undefined;
  readonly podCidrs: readonly string[];
  readonly serviceCidrs: readonly string[];
  /** The VIP type of each role; every role is present exactly once (invariant). */
  readonly vips: Readonly<Record<VipRole, "public_ipv4" | "global_ipv4">>;
  readonly controlPlane: NodeGroup;
  readonly workers: readonly NodeGroup[];
  /** The cluster ID pinned in the file, if any (the stack's `gocy:clusterIds` may pin it instead). */
  readonly pinnedId: number | undefined;
  /** Where `cluster_id` stands in the file, for messages about the pin. */
  readonly pinnedIdAt: { readonly line: number; readonly col: number } | undefined;
  readonly kubespan: boolean;
  readonly firewall: boolean;
  /**
   * An Image Factory schematic the constellation names for this cluster, registered by the user; it must carry
   * the target's platform kernel arguments (`talos.platform` and its serial console) in its extraKernelArgs. Undefined: the program's own
   * per-architecture schematic (lib/builders/talos/schematic.ts), which it registers itself.
   */
  readonly schematic: string | undefined;
}

export interface Constellation {
  /** The file it came from, as given. */
  readonly file: string;
  readonly name: string;
  readonly formatVersion: string;
  /** `infrastructure`: the target's Cluster API provider (its key in the file is the target's). */
  readonly versions: { readonly capi: string; readonly cabpt: string; readonly cacppt: string; readonly infrastructure: string };
  readonly ingress: "cilium" | "nginx";
  readonly barycenter: ClusterSpec;
  readonly satellites: readonly ClusterSpec[];
}

/** The barycenter first, then the satellites in file order. */
export function allClusters(c: Constellation): readonly ClusterSpec[] {
  return [c.barycenter, ...c.satellites];
}

/** A version that was raised by `--raise-versions` / `gocy:raiseVersions`, for the report. */
export interface RaisedVersion {
  readonly path: string;
  /** Where the raised version stands in the file. */
  readonly line: number;
  readonly col: number;
  readonly field: VersionField;
  readonly from: string;
  readonly to: string;
}
