/**
 * The Pulumi side of an infrastructure target (lib/infra/target.ts is the pure side): the provider, the address
 * reservations and the destroy's billing check. Components reach the platform only through this interface.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterSpec, VipRole } from "../../lib/constellation/model";
import type { InfraTarget } from "../../lib/infra/target";

/** One reserved address. */
export interface ReservedAddress {
  /** The reserved address (a /32). */
  readonly address: pulumi.Output<string>;
  /** The reservation's id at the platform. */
  readonly id: pulumi.Output<string>;
  /** What must exist before anything uses the address (the reservation labelled so that the infrastructure
   * provider finds it): whatever applies a cluster's CAPI objects depends on it. */
  readonly ready: pulumi.CustomResource;
}

/** A cluster's own reservations by role; `ingress` only where the cluster owns a public ingress address. */
export interface ClusterReservations {
  reservation(role: VipRole): ReservedAddress;
  address(role: VipRole): pulumi.Output<string>;
}

export interface InfraResources {
  readonly target: InfraTarget;
  /** The project or account every machine and address of the constellation lives in. */
  readonly projectId: string;
  /** The environment a command that calls the platform's API needs (credentials are Pulumi secrets). */
  readonly apiEnvironment: Readonly<Record<string, pulumi.Input<string>>>;
  /** The environment clusterctl needs for the infrastructure provider's credentials (lib/infra's `clusterctlCredentials`). */
  readonly clusterctlEnvironment: Readonly<Record<string, pulumi.Input<string>>>;
  /** Reserves a cluster's own addresses under `parent` (a component of the cluster); only after `createBillingCheck`. */
  reserveClusterAddresses(cluster: ClusterSpec, parent: pulumi.Resource): ClusterReservations;
  /** Reserves the constellation's shared anycast ingress address under `parent`, protected. */
  reserveAnycast(parent: pulumi.Resource): ReservedAddress;
  /**
   * The destroy's safety net: a command that every resource able to leave something billing depends on, and whose
   * delete fails while anything of the constellation still bills. Reservations made after this call depend on it.
   */
  createBillingCheck(anycast: ReservedAddress): pulumi.Resource;
  /** The billing check, once created. */
  readonly billingCheck: pulumi.Resource | undefined;
}
