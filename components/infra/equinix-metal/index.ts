/**
 * Equinix Metal's resources: its provider (from `equinix-metal:authToken`), the IP reservations and their tags, and
 * the destroy's billing check.
 */
import * as pulumi from "@pulumi/pulumi";
import * as metal from "@pulumi/equinix-metal";
import { equinixMetal } from "../../../lib/infra/equinix-metal";
import { anycastReservation } from "../../../lib/infra/equinix-metal/reservations";
import { names } from "../../../lib/builders/names";
import type { Constellation } from "../../../lib/constellation/model";
import type { InfraResources, ReservedAddress } from "../target";
import { createBillingCheck } from "./billing-check";
import { createIpReservation, type EquinixContext, type IpReservation } from "./ip-reservation";
import { VipReservations } from "./vip-reservations";

/** A placeholder token for the offline plan only: it never leaves the recording engine. */
const OFFLINE_TOKEN = "offline-plan-placeholder-token";

const asAddress = (r: IpReservation): ReservedAddress => ({ address: r.address, id: r.block.id, ready: r.tags });

export function createEquinixMetal(constellation: Constellation, projectId: string): InfraResources {
  // Validation refuses a missing token in a real preview or up; only the offline plan runs without one.
  const token = new pulumi.Config("equinix-metal").getSecret("authToken") ?? pulumi.secret(OFFLINE_TOKEN);
  let billingCheck: pulumi.Resource | undefined;
  const ctx: EquinixContext = {
    provider: new metal.Provider(names.infraProvider, { authToken: token }),
    projectId,
    token,
    billingCheck: () => billingCheck,
  };
  return {
    target: equinixMetal,
    projectId,
    apiEnvironment: { METAL_AUTH_TOKEN: token, GOCY_PROJECT_ID: projectId },
    clusterctlEnvironment: { METAL_AUTH_TOKEN: token },
    reserveClusterAddresses: (cluster, parent) => {
      // Every reservation but the protected anycast one depends on the billing check (a destroy deletes the check
      // last): one made before the check exists would silently lose that edge.
      if (billingCheck === undefined) throw new Error(`${cluster.name}: reserve the anycast address and create the billing check before any cluster's addresses`);
      return new VipReservations(constellation.name, cluster, ctx, { parent });
    },
    reserveAnycast: (parent) => {
      const name = constellation.name;
      return asAddress(createIpReservation(names.anycast(name), names.anycastTags(name), anycastReservation(name), ctx, parent, true));
    },
    createBillingCheck: (anycast) => {
      billingCheck = createBillingCheck(constellation, ctx, anycast.id);
      return billingCheck;
    },
    get billingCheck() {
      return billingCheck;
    },
  };
}
