/**
 * ClusterMesh: the constellation's Cilium Cluster Mesh. It owns the cluster IDs (pinned, DESIGN §2); the shared CA,
 * the membership and its verification follow with the mesh issue.
 */
import * as pulumi from "@pulumi/pulumi";
import { names, TYPES } from "../lib/builders/names";
import type { Platform } from "./context";

export class ClusterMesh extends pulumi.ComponentResource {
  /** Cluster name → Cilium cluster ID, in constellation order. */
  readonly clusterIds: Readonly<Record<string, number>>;

  constructor(platform: Platform, opts: pulumi.ComponentResourceOptions = {}) {
    super(TYPES.clusterMesh, names.clusterMesh(platform.constellation.name), {}, opts);
    this.clusterIds = Object.fromEntries(platform.clusterIds);
    this.registerOutputs({ clusterIds: this.clusterIds });
  }
}
