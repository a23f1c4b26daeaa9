/**
 * The Talos machine configuration this program adds to what CABPT/CACPPT generate, as strategic merge patches
 * (docs/architecture.md#talos-on-equinix-metal): plain YAML documents that CAPP renders as a Go template into devices' user data.
 *
 * The only template expressions are CAPP's control-plane variables `{{ .apiKey }}` and `{{ .controlPlaneEndpoint }}`
 * (CAPP v0.9.0 pkg/cloud/packet/client.go, NewDevice): they exist on control-plane machines only, so the worker
 * configuration holds no `{{` at all, and every other literal `{{` is escaped.
 */
import { stringify } from "yaml";
import type { ClusterSpec, NodeGroup } from "../../spec/model";
import { schematicFor } from "./schematic";
import { buildCpemObjects, CPEM_NAME } from "./cpem";

/** CAPP's user-data variables (control-plane machines only). */
export const CAPP_API_KEY = "{{ .apiKey }}";
export const CAPP_CONTROL_PLANE_ENDPOINT = "{{ .controlPlaneEndpoint }}";

/** The bond Talos configures from Equinix Metal's metadata on every device: it carries the public addresses. */
export const EQUINIX_PUBLIC_INTERFACE = "bond0";

// Stand-ins while the YAML is built: no character in them is escaped by JSON or YAML, and no real value has them.
const API_KEY_MARK = "@@gocy-capp-api-key@@";
const ENDPOINT_MARK = "@@gocy-capp-control-plane-endpoint@@";

/**
 * Escapes every literal `{{` for Go's text/template, which CAPP runs over the whole user data, then puts CAPP's own
 * variables in. A raw-string action (`{{ \`{{\` }}`) prints `{{` and survives YAML re-quoting, unlike `{{ "{{" }}`.
 */
export function toCappTemplate(text: string): string {
  return text.replace(/\{\{/g, "{{ `{{` }}").split(API_KEY_MARK).join(CAPP_API_KEY).split(ENDPOINT_MARK).join(CAPP_CONTROL_PLANE_ENDPOINT);
}

/**
 * The Image Factory installer for a schematic and Talos version. Image Factory names platform installers
 * `<platform>-installer` from Talos 1.10 on, but Equinix's platform name is camel-case (`equinixMetal`), which is no
 * valid image name; the plain `installer` path serves the same schematic with the `metal` profile, and the
 * schematic's own kernel arguments override its platform (image-factory registry.go, profile.go).
 */
export function installerImage(schematic: string, talos: string): string {
  return `factory.talos.dev/installer/${schematic}:${talos}`;
}

export interface PatchInput {
  readonly cluster: ClusterSpec;
  readonly projectId: string;
}

export interface TalosPatches {
  /** Control-plane machines: the shared settings, CPEM, then the Equinix VIP in a document of its own. */
  readonly controlPlane: string[];
  /** Per worker group (by key): groups differ in their install disk. */
  readonly workers: Readonly<Record<string, string[]>>;
}

const doc = (value: unknown) => stringify(value, { lineWidth: 0 });

function install(c: ClusterSpec, group: NodeGroup): Record<string, unknown> {
  // CABPT generates no install disk and Talos on Equinix (metal mode) refuses to install without one
  // (v1alpha1_validation.go: "either install disk or diskSelector should be defined"). The installer is the
  // schematic's own, the one the node booted: on UEFI the installed system runs the installer's kernel command line,
  // and only the schematic's carries talos.platform=equinixMetal (schematic.ts). On BIOS, grubUseUKICmdline: false
  // makes the installer build GRUB's command line on the host, from the platform the node booted.
  return { disk: group.installDisk, grubUseUKICmdline: false, image: installerImage(schematicFor(c, group), c.versions.talos) };
}

/** Private ranges the kubelet must not take its node address from: Equinix's private 10.x network does not cross
 * metros (without the billed Backend Transfer), and Cluster Mesh tunnels pod traffic between node addresses. */
export const NOT_NODE_ADDRESSES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

function shared(c: ClusterSpec, group: NodeGroup, controlPlane: boolean): Record<string, unknown> {
  // The node address is the device's public one, never the control-plane VIP (a control-plane node carries it).
  const validSubnets = ["0.0.0.0/0", ...NOT_NODE_ADDRESSES.map((s) => `!${s}`), ...(controlPlane ? [`!${ENDPOINT_MARK}/32`] : [])];
  return {
    machine: {
      install: install(c, group),
      kubelet: { nodeIP: { validSubnets } },
      ...(c.kubespan ? { network: { kubespan: { enabled: true } } } : {}),
    },
    cluster: {
      network: {
        // Cilium is the CNI, installed by the program once the control plane answers.
        cni: { name: "none" },
        dnsDomain: `${c.name}.local`,
        podSubnets: [...c.podCidrs],
        serviceSubnets: [...c.serviceCidrs],
      },
      // Cilium replaces kube-proxy.
      proxy: { disabled: true },
      // CPEM is the cloud provider: Talos sets --cloud-provider=external on kubelet, API server and controller manager.
      externalCloudProvider: { enabled: true },
      // KubeSpan finds its peers through the discovery service (Talos refuses KubeSpan without discovery).
      ...(c.kubespan ? { discovery: { enabled: true } } : {}),
    },
  };
}

export function buildTalosPatches(input: PatchInput): TalosPatches {
  const c = input.cluster;
  const cpem = buildCpemObjects({ version: c.versions.cpem, projectId: input.projectId, metro: c.metro, apiKeyExpression: API_KEY_MARK })
    .map((o) => stringify(o, { lineWidth: 0 }))
    .join("---\n");
  const controlPlaneShared = shared(c, c.controlPlane, true);
  (controlPlaneShared.cluster as Record<string, unknown>).inlineManifests = [{ name: CPEM_NAME, contents: cpem }];
  // The Talos VIP that moves an Equinix EIP between control-plane nodes. Deprecated but honoured in 1.12 and absent
  // from its JSON schema (v1alpha1_types.go, VIPEquinixMetalConfig): kept in a document of its own so that
  // everything else validates against the schema.
  const vip = {
    machine: {
      network: {
        interfaces: [{ interface: EQUINIX_PUBLIC_INTERFACE, vip: { ip: ENDPOINT_MARK, equinixMetal: { apiToken: API_KEY_MARK } } }],
      },
    },
  };
  return {
    controlPlane: [toCappTemplate(doc(controlPlaneShared)), toCappTemplate(doc(vip))],
    workers: Object.fromEntries(c.workers.map((g) => [g.key, [toCappTemplate(doc(shared(c, g, false)))]])),
  };
}
