/**
 * The seam between a cluster's pure definition and the lifecycle that applies it: the barycenter's objects are
 * applied to kind by a command (as a manifest) and later adopted, the satellites' become Kubernetes resources on the
 * barycenter (field by field). Both take the definition from here.
 */
import * as pulumi from "@pulumi/pulumi";
import { defineCluster, renderManifest, type ClusterDefinition } from "../../lib/builders/capi/manifest";
import type { ClusterSpec } from "../../lib/constellation/model";
import type { ReservedAddress } from "../infra";
import type { Platform } from "../support/context";

export interface ClusterDefinitionSeam {
  /**
   * The objects as data known while the program runs (so resources built from them exist in every preview), with
   * the reserved cp address as the one deploy-time leaf (the infrastructure cluster object's control-plane host).
   */
  readonly definition: ClusterDefinition;
  /** The cp reservation's readiness (its tags): whatever applies the objects depends on it, so the infrastructure
   * provider finds the address (else it reserves another and the cluster never comes up: docs/architecture.md#address-reservations). */
  readonly cpTag: pulumi.Resource;
  /** The boot images' registrations: no machine template may point at a schematic the factory does not serve. */
  readonly bootImages: readonly pulumi.Resource[];
  /** The whole manifest with the real address, carrying the dependency on the tag. */
  readonly manifest: pulumi.Output<string>;
}

export function clusterDefinition(cluster: ClusterSpec, platform: Platform, cp: ReservedAddress): ClusterDefinitionSeam {
  const projectId = platform.infra.projectId;
  return {
    definition: defineCluster(cluster, projectId, cp.address),
    cpTag: cp.ready,
    bootImages: platform.bootImages,
    // The ready resource's id is known once it exists: the manifest carries the dependency on it.
    manifest: pulumi.all([cp.address, cp.ready.id]).apply(([address]) => renderManifest(defineCluster(cluster, projectId, address).list)),
  };
}
