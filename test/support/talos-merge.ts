/**
 * How a node's configuration comes out of the strategic merge patches, for the fields the program's patches touch,
 * so that a golden file can show the merged document a node ends up with.
 *
 * CABPT v0.6.12 applies a TalosConfig's `strategicPatches` itself (controllers/talosconfig_controller.go,
 * `configpatcher.Apply`), with the Talos machinery it builds on (go.mod: github.com/siderolabs/talos/pkg/machinery
 * v1.13.0; its config/merge/merge.go is code-identical to Talos v1.12.11's). The rules (merge.go `Merge`): maps
 * merge key by key; a scalar on the right replaces the left unless it is the zero value (empty string, 0), and a
 * boolean always replaces; a slice is appended to the left, unless its struct field carries `merge:"replace"`, when
 * a non-nil right replaces it; a type with a `Merge` method merges itself. The lists the patches use, with their
 * rule (config/types/v1alpha1/v1alpha1_types.go at pkg/machinery/v1.13.0): `cluster.network.podSubnets` and
 * `serviceSubnets` are `merge:"replace"`; `machine.network.interfaces` is a NetworkDeviceList, whose Merge matches
 * devices by `interface` (or `deviceSelector`) and merges a matching one, appending the rest;
 * `machine.kubelet.nodeIP.validSubnets` and `cluster.inlineManifests` append.
 *
 * A list at any other path is refused: Talos has more rules (VlanList, AdmissionPluginConfigList, auditPolicy
 * replace, pointer scalars set to their zero value), and a patch reaching one of them must extend this model first.
 */
type Node = unknown;

const REPLACE_LISTS = new Set(["cluster.network.podSubnets", "cluster.network.serviceSubnets"]);
const APPEND_LISTS = new Set(["machine.kubelet.nodeIP.validSubnets", "cluster.inlineManifests"]);
const KEYED_LISTS: Readonly<Record<string, (item: Record<string, unknown>) => string | undefined>> = {
  "machine.network.interfaces": (d) =>
    typeof d.interface === "string" && d.interface !== "" ? `interface:${d.interface}` : d.deviceSelector !== undefined ? `selector:${JSON.stringify(d.deviceSelector)}` : undefined,
};

const isMap = (v: Node): v is Record<string, Node> => typeof v === "object" && v !== null && !Array.isArray(v);
const isZero = (v: Node) => v === "" || v === 0 || v === null || v === undefined;

export function talosMerge(left: Node, right: Node, at = ""): Node {
  if (right === undefined || right === null) return left;
  if (Array.isArray(right)) {
    const l = Array.isArray(left) ? left : [];
    // A non-nil list replaces, even an empty one (merge.go's Slice case: IsZero is true only for nil).
    if (REPLACE_LISTS.has(at)) return structuredClone(right);
    const keyOf = KEYED_LISTS[at];
    if (!keyOf) {
      if (!APPEND_LISTS.has(at)) throw new Error(`talosMerge: no rule for the list at ${at}; add how Talos merges it`);
      return right.length === 0 ? left : [...l, ...structuredClone(right)];
    }
    const out = structuredClone(l) as Record<string, unknown>[];
    for (const item of right as Record<string, unknown>[]) {
      const key = keyOf(item);
      const i = key === undefined ? -1 : out.findIndex((d) => keyOf(d) === key);
      if (i >= 0) out[i] = talosMerge(out[i], item, `${at}[]`) as Record<string, unknown>;
      else out.push(structuredClone(item));
    }
    return out;
  }
  if (isMap(right)) {
    const out: Record<string, Node> = isMap(left) ? { ...left } : {};
    for (const [k, v] of Object.entries(right)) out[k] = k in out && !isZero(out[k]) ? talosMerge(out[k], v, at ? `${at}.${k}` : k) : structuredClone(v);
    return out;
  }
  if (typeof right === "boolean") return right;
  return isZero(right) ? left : right;
}

/** CAPP renders the user data as a Go template before Talos reads it: its variables, and `{{ `{{` }}` for `{{`. */
export function renderCappTemplate(text: string, vars: { apiKey: string; controlPlaneEndpoint: string }): string {
  return text
    .split("{{ .apiKey }}")
    .join(vars.apiKey)
    .split("{{ .controlPlaneEndpoint }}")
    .join(vars.controlPlaneEndpoint)
    .split("{{ `{{` }}")
    .join("{{");
}
