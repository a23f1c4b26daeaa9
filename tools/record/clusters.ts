/**
 * The clusters a recording holds, read from the cluster components it registered (their logical names are the
 * clusters' names). Tools pass them to names.ts's `classify`: without them, a name such as `eu-west-cilium` has more
 * than one reading (cluster `eu` and chart `west-cilium`, or cluster `eu-west` and chart `cilium`).
 */
import { TYPES } from "../../lib/builders/names";
import type { Recording } from "./types";

export function clustersOf(rec: Pick<Recording, "resources">): string[] {
  return rec.resources.filter((r) => r.type === TYPES.managementCluster || r.type === TYPES.satelliteCluster).map((r) => r.name);
}
