/**
 * The seam between a cluster's pure definition and the lifecycle that applies it: the barycenter's objects are
 * applied to kind by a command and later adopted, the satellites' become Kubernetes resources on the barycenter.
 * Both take the definition from here.
 */
import * as pulumi from "@pulumi/pulumi";
import { defineCluster, type ClusterDefinition } from "../lib/builders/capi/manifest";
import type { ClusterSpec } from "../lib/spec/model";
import type { IpReservation } from "./ip-reservation";
import type { Platform } from "./context";

/**
 * The cluster's CAPI objects, as an Output that carries a dependency on the cp reservation's tag: whatever consumes
 * it is created only after CAPP can find the address by its tag (else CAPP reserves another address and the cluster
 * never comes up: DESIGN §4 step 2).
 */
export function clusterDefinition(cluster: ClusterSpec, platform: Platform, cp: IpReservation): pulumi.Output<ClusterDefinition> {
  return pulumi
    .all([cp.address, cp.tags.stdout])
    .apply(([address]) => defineCluster(cluster, platform.config.metalProjectId, address));
}
