/**
 * The infrastructure target's resources: the Pulumi side of the target lib/infra/index.ts selects. The target is
 * chosen there, once; this table maps its id to the function that builds its resources.
 */
import { infra } from "../../lib/infra";
import type { Constellation } from "../../lib/constellation/model";
import type { InfraResources } from "./target";
import { createEquinixMetal } from "./equinix-metal";

const BUILDERS: Readonly<Record<string, (constellation: Constellation, projectId: string) => InfraResources>> = {
  "equinix-metal": createEquinixMetal,
};

export function createInfra(constellation: Constellation, projectId: string): InfraResources {
  const build = BUILDERS[infra.id];
  if (!build) throw new Error(`components/infra: no resources for the target ${infra.id} (lib/infra selects it); add its builder here`);
  const resources = build(constellation, projectId);
  if (resources.target.id !== infra.id) throw new Error(`components/infra: ${infra.id}'s builder returned the target ${resources.target.id}`);
  return resources;
}
export type { ClusterReservations, InfraResources, ReservedAddress } from "./target";
