/**
 * Install disks of Equinix Metal plans whose layout is known. CABPT's generated configuration names no install
 * disk and Talos in metal mode refuses to install without one (docs/architecture.md#talos-on-equinix-metal), so a plan missing here needs an
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
