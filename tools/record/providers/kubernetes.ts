/**
 * What the Kubernetes provider does with a registration before it talks to a cluster, as far as the program relies
 * on it. The program pins the plugin @pulumi/kubernetes 4.34.2 installs; the rules were read in pulumi-kubernetes'
 * v4.32.0 source (the newest tag available to us), which the upstream audit found unchanged on these paths since.
 */

const PACKAGE = "kubernetes";

/** Types the provider handles with logic of their own, not as plain Kubernetes objects. */
const NOT_OBJECTS = new Set(["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart", "kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile", "kubernetes:kustomize/v2:Directory"]);

export function isKubernetesObject(type: string): boolean {
  return type.startsWith(`${PACKAGE}:`) && !NOT_OBJECTS.has(type);
}

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/**
 * provider/pkg/provider/provider.go, `gvkFromURN`: the type token's module must be `<group>/<version>` (`core` is the
 * empty group); anything else fails Check with the message below. A generic CustomResource with `apiVersion: v1`
 * gets the module `v1` and fails here.
 */
export function gvkFromType(type: string): GroupVersionKind | { readonly error: string } {
  const [pkg, module, kind] = type.split(":");
  if (pkg !== PACKAGE || module === undefined || kind === undefined) return { error: `unrecognized resource type: ${JSON.stringify(type)}` };
  const gv = module.split("/");
  if (gv.length !== 2) return { error: `apiVersion does not have both a group and a version: ${JSON.stringify(module)}` };
  return { group: gv[0] === "core" ? "" : gv[0]!, version: gv[1]!, kind };
}

/**
 * The provider's Check for a Kubernetes object (provider.go `Check`), the part that runs before any cluster is
 * contacted: the token's group/version (`gvkFromURN`, above). Returns the provider's message, or null.
 */
export function checkKubernetesObject(type: string): string | null {
  const gvk = gvkFromType(type);
  return "error" in gvk ? gvk.error : null;
}
