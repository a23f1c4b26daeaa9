/**
 * Every default of the constellation format in one place. A field the original format lacks is optional and
 * takes the value here; docs/constellation-format.md's table of fields states the same facts.
 */
import { VERSION_SET } from "./versions";

export const DEFAULTS = {
  /** Per cluster: Talos version, when the file (early format) names none. @default the version set's Talos */
  talos: VERSION_SET.talos,
  /** Per cluster: Kubernetes version, when the file names none. @default the version set's Kubernetes */
  kubernetes: VERSION_SET.kubernetes,
  /** Per cluster: Talos KubeSpan (WireGuard between nodes, with the discovery service). @default true */
  kubespan: true,
  /** Per cluster: Cilium host firewall admitting only what the platform needs. @default false */
  firewall: false,
  /** Per constellation: ingress controller for the apps. `nginx` is kept for parity with the original. @default "cilium" */
  ingress: "cilium" as const,
} as const;

/**
 * Install disks of Equinix Metal plans whose layout is known. CABPT's generated configuration names no install
 * disk and Talos in metal mode will not install without one (docs/architecture.md#talos-on-equinix-metal): a plan not here needs an
 * explicit `install_disk` on its node group or cluster.
 * Source: Equinix Metal's plan hardware (these x86 plans boot from their first SATA SSD; Ampere Altra from NVMe).
 * s3.xlarge.x86 is left out on purpose: its twelve HDDs can enumerate before the SSDs, so /dev/sda is not reliable.
 */
export const PLAN_INSTALL_DISKS: Readonly<Record<string, string>> = {
  "c3.small.x86": "/dev/sda",
  "c3.medium.x86": "/dev/sda",
  "m3.small.x86": "/dev/sda",
  "m3.large.x86": "/dev/sda",
  "n3.xlarge.x86": "/dev/sda",
  "c3.large.arm64": "/dev/nvme0n1",
};

/** The CPU architecture of a plan, as Image Factory names it: Equinix Metal's ARM plans end in `.arm64`. */
export function architectureOf(plan: string): "amd64" | "arm64" {
  return plan.endsWith(".arm64") ? "arm64" : "amd64";
}
