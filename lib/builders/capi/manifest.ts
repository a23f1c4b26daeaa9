/**
 * A cluster's whole definition: Talos patches → CAPI objects → one multi-document manifest. The one function both
 * the components and the offline plan call, so what `npm run plan` writes is what `pulumi up` applies.
 */
import { stringify } from "yaml";
import type { ClusterSpec } from "../../constellation/model";
import { buildTalosPatches } from "../talos/patches";
import { buildCapiObjects, capiObjectList, type CapiObjects } from "./cluster-objects";
import type { K8sObject } from "./api-versions";

export interface ClusterDefinition {
  readonly objects: CapiObjects;
  /** In apply order. */
  readonly list: readonly K8sObject[];
}

/**
 * @typeParam Address the cp address: a string for a manifest, or a deploy-time value (a Pulumi output) that lands
 *   as the one leaf `spec.controlPlaneEndpoint.host` of the infrastructure cluster object, as the Cilium values take
 *   the mesh address: everything else stays plain, so a preview diffs the objects field by field.
 */
export function defineCluster<Address = string>(cluster: ClusterSpec, projectId: string, cpVip: Address): ClusterDefinition {
  const patches = buildTalosPatches({ cluster, projectId });
  const objects = buildCapiObjects<Address>({ cluster, projectId, cpVip, patches });
  return { objects, list: capiObjectList(objects) };
}

/** Multi-document YAML, keys in the builders' order (apiVersion, kind, metadata, spec), strings in literal blocks. */
export function renderManifest(objects: readonly K8sObject[], header?: string): string {
  const body = objects.map((o) => stringify(o, { lineWidth: 0, blockQuote: "literal" })).join("---\n");
  return header ? `# ${header}\n${body}` : body;
}
