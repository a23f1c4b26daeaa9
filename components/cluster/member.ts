/**
 * What both cluster components share: the first of their two steps. The constructor registers the component and
 * reserves the cluster's own addresses under it (so the reservations' URNs name the cluster component as parent),
 * and exposes the cluster as a mesh member. The second step, `bringUp`, is each subclass's own, and runs once.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MeshMember } from "../../lib/builders/mesh";
import type { ClusterSpec } from "../../lib/constellation/model";
import type { ClusterReservations } from "../infra";
import { clusterDefinition, type ClusterDefinitionSeam } from "./definition";
import type { ClusterAddresses } from "./services";
import type { Platform } from "../support/context";

export abstract class ClusterMember extends pulumi.ComponentResource {
  readonly clusterName: string;
  readonly addresses: ClusterAddresses;
  /** This cluster as a mesh member: name, Cilium cluster ID and reserved mesh address. */
  readonly meshMember: MeshMember<pulumi.Output<string>>;
  protected readonly cluster: ClusterSpec;
  protected readonly platform: Platform;
  private readonly reservations: ClusterReservations;
  private brought = false;

  /**
   * @param ingress the cluster's ingress address: its own reservation's (`undefined`), or one it shares (a
   *   satellite's is the anycast address).
   */
  protected constructor(type: string, name: string, cluster: ClusterSpec, platform: Platform, ingress: pulumi.Output<string> | undefined, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.cluster = cluster;
    this.platform = platform;
    this.clusterName = cluster.name;
    this.reservations = platform.infra.reserveClusterAddresses(cluster, this);
    const r = this.reservations;
    this.addresses = { cp: r.address("cp"), ingress: ingress ?? r.address("ingress"), mesh: r.address("mesh") };
    this.meshMember = { name: cluster.name, id: platform.clusterIds.get(cluster.name)!, meshAddress: this.addresses.mesh };
    this.registerOutputs({ addresses: this.addresses });
  }

  /** The start of `bringUp`: refuses a second call (it would register every resource twice) and defines the
   * cluster's CAPI objects on its reserved cp address. */
  protected beginBringUp(): ClusterDefinitionSeam {
    if (this.brought) throw new Error(`${this.clusterName}: bringUp called twice`);
    this.brought = true;
    return clusterDefinition(this.cluster, this.platform, this.reservations.reservation("cp"));
  }
}
