/**
 * The infrastructure target this program builds on. The one place that names it: a second target is a folder of
 * its own beside equinix-metal/ (and components/infra/), selected here.
 */
import type { InfraTarget } from "./target";
import { equinixMetal } from "./equinix-metal";

export const infra: InfraTarget = equinixMetal;
export type { InfraTarget };
