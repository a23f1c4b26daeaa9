/**
 * The infrastructure target's resources (lib/infra/index.ts selects the target; this is its Pulumi side).
 */
import type { Constellation } from "../../lib/constellation/model";
import type { InfraResources } from "./target";
import { createEquinixMetal } from "./equinix-metal";

export function createInfra(constellation: Constellation, projectId: string): InfraResources {
  return createEquinixMetal(constellation, projectId);
}
export type { ClusterReservations, InfraResources, ReservedAddress } from "./target";
