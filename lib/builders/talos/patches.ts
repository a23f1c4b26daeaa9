/**
 * The Talos machine configuration this program adds to what CABPT/CACPPT generate, as strategic merge patches
 * (docs/architecture.md#the-talos-machine-configuration): plain YAML documents that the infrastructure provider later writes into the
 * machines' user data (through the target's `toUserData`, which templates and escapes as the provider needs).
 */
import { stringify } from "yaml";
import type { ClusterSpec, NodeGroup } from "../../constellation/model";
import { infra } from "../../infra";
import { schematicFor } from "./schematic";

/**
 * The Image Factory installer for a schematic and Talos version. Image Factory names platform installers
 * `<platform>-installer` from Talos 1.10 on, but a platform name may be camel-case, which is no
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
  /** Control-plane machines: the shared settings with the cloud controller, then the platform's own documents. */
  readonly controlPlane: string[];
  /** Per worker group (by key): groups differ in their install disk. */
  readonly workers: Readonly<Record<string, string[]>>;
}

const doc = (value: unknown) => stringify(value, { lineWidth: 0 });

function install(c: ClusterSpec, group: NodeGroup): Record<string, unknown> {
  // CABPT generates no install disk and Talos on bare metal (metal mode) refuses to install without one
  // (v1alpha1_validation.go: "either install disk or diskSelector should be defined"). The installer is the
  // schematic's own, the one the node booted: on UEFI the installed system runs the installer's kernel command line,
  // and only the schematic's carries the platform's talos.platform (schematic.ts). On BIOS, grubUseUKICmdline: false
  // makes the installer build GRUB's command line on the host, from the platform the node booted.
  return { disk: group.installDisk, grubUseUKICmdline: false, image: installerImage(schematicFor(c, group), c.versions.talos) };
}

function shared(c: ClusterSpec, group: NodeGroup, controlPlane: boolean): Record<string, unknown> {
  // The node address is the device's public one, never the control-plane VIP (a control-plane node carries it).
  const validSubnets = ["0.0.0.0/0", ...infra.talos.privateRanges.map((s) => `!${s}`), ...(controlPlane ? [`!${infra.talos.marks.controlPlaneEndpoint}/32`] : [])];
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
      // The platform's cloud controller is the cloud provider: Talos sets --cloud-provider=external on kubelet, API server and controller manager.
      externalCloudProvider: { enabled: true },
      // KubeSpan finds its peers through the discovery service (Talos refuses KubeSpan without discovery).
      ...(c.kubespan ? { discovery: { enabled: true } } : {}),
    },
  };
}

export function buildTalosPatches(input: PatchInput): TalosPatches {
  const c = input.cluster;
  const controlPlaneShared = shared(c, c.controlPlane, true);
  (controlPlaneShared.cluster as Record<string, unknown>).inlineManifests = [infra.talos.cloudController({ cluster: c, projectId: input.projectId })];
  const userData = infra.talos.toUserData;
  return {
    controlPlane: [userData(doc(controlPlaneShared)), ...infra.talos.controlPlaneDocuments().map((d) => userData(doc(d)))],
    workers: Object.fromEntries(c.workers.map((g) => [g.key, [userData(doc(shared(c, g, false)))]])),
  };
}
