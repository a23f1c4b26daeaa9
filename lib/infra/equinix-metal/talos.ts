/**
 * What Equinix Metal adds to the Talos machine configuration and boot: CAPP's user-data templating, the public bond,
 * the control-plane VIP that moves an Equinix EIP, CPEM as the cloud controller, and the platform's kernel arguments.
 *
 * CAPP renders the user data as a Go template whose only variables are `{{ .apiKey }}` and
 * `{{ .controlPlaneEndpoint }}` (CAPP v0.9.0 pkg/cloud/packet/client.go, NewDevice): they exist on control-plane
 * machines only, so the worker configuration holds no `{{` at all, and every other literal `{{` is escaped.
 */
import { stringify } from "yaml";
import type { ClusterSpec } from "../../constellation/model";
import type { Architecture } from "../target";
import { buildCpemObjects, CPEM_NAME } from "./cpem";

/** CAPP's user-data variables (control-plane machines only). */
export const CAPP_API_KEY = "{{ .apiKey }}";
export const CAPP_CONTROL_PLANE_ENDPOINT = "{{ .controlPlaneEndpoint }}";

/** The bond Talos configures from Equinix Metal's metadata on every device: it carries the public addresses. */
export const EQUINIX_PUBLIC_INTERFACE = "bond0";

// Stand-ins while the YAML is built: no character in them is escaped by JSON or YAML, and no real value has them.
export const MARKS = { apiKey: "@@gocy-capp-api-key@@", controlPlaneEndpoint: "@@gocy-capp-control-plane-endpoint@@" } as const;

/**
 * Escapes every literal `{{` for Go's text/template, which CAPP runs over the whole user data, then puts CAPP's own
 * variables in. A raw-string action (`{{ \`{{\` }}`) prints `{{` and survives YAML re-quoting, unlike `{{ "{{" }}`.
 */
export function toCappTemplate(text: string): string {
  return text.replace(/\{\{/g, "{{ `{{` }}").split(MARKS.apiKey).join(CAPP_API_KEY).split(MARKS.controlPlaneEndpoint).join(CAPP_CONTROL_PLANE_ENDPOINT);
}

/** Private ranges the kubelet must not take its node address from: Equinix's private 10.x network does not cross
 * metros (without the billed Backend Transfer), and Cluster Mesh tunnels pod traffic between node addresses. */
export const NOT_NODE_ADDRESSES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** CPEM as Talos inline manifests on control-plane machines; it reads the Equinix token from CAPP's `.apiKey`. */
export function cpemInlineManifest(input: { cluster: ClusterSpec; projectId: string }): { name: string; contents: string } {
  const c = input.cluster;
  const contents = buildCpemObjects({ version: c.versions.cloudController, projectId: input.projectId, metro: c.metro, apiKeyExpression: MARKS.apiKey })
    .map((o) => stringify(o, { lineWidth: 0 }))
    .join("---\n");
  return { name: CPEM_NAME, contents };
}

/**
 * The Talos VIP that moves an Equinix EIP between control-plane nodes. Deprecated but honoured in 1.12 and absent
 * from its JSON schema (v1alpha1_types.go, VIPEquinixMetalConfig): kept in a document of its own so that everything
 * else validates against the schema.
 */
export function equinixVipDocument(): Record<string, unknown> {
  return {
    machine: {
      network: {
        interfaces: [{ interface: EQUINIX_PUBLIC_INTERFACE, vip: { ip: MARKS.controlPlaneEndpoint, equinixMetal: { apiToken: MARKS.apiKey } } }],
      },
    },
  };
}

/** The equinixMetal platform's own serial console (talos equinixmetal/equinix.go KernelArgs). */
const CONSOLE: Readonly<Record<Architecture, string>> = { amd64: "console=ttyS1,115200n8", arm64: "console=ttyAMA0,115200" };

/** The kernel arguments the schematic adds: the platform, so that a UEFI-installed node stays on it, and its console. */
export function kernelArgs(architecture: Architecture): readonly string[] {
  return ["talos.platform=equinixMetal", CONSOLE[architecture]];
}
