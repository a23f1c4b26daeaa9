/**
 * The Image Factory schematic the nodes boot and install from, per architecture: it adds the platform's kernel
 * arguments (its `talos.platform` and serial console; the infrastructure target provides them) to the command line.
 *
 * Why the program needs one: on a UEFI boot, Talos 1.12 installs systemd-boot (bootloader.go NewAuto: UEFI when
 * /sys/firmware/efi exists) and copies the installer image's UKI to disk unchanged (sdboot.go), so the installed
 * system runs the installer's command line. The installer is built for the generic `metal` platform
 * (pkg/imager/profile/default.go), and a node on it loses the platform's metadata networking, its BGP routes and the
 * hostname the cloud controller matches machines by. `machine.install.grubUseUKICmdline` affects GRUB only. Image
 * Factory appends a schematic's `extraKernelArgs` last to both the iPXE command line (profile.go
 * setKernelArgsAndMeta) and the installer's UKI (imager.go, with `talos.platform` and `console` overwriting the
 * platform's own values), so the same schematic for the boot URL and the installer keeps the platform on BIOS and
 * UEFI, amd64 and arm64 alike.
 */
import { createHash } from "node:crypto";
import { infra } from "../../infra";
import type { Architecture } from "../../infra/target";

export type { Architecture };


export interface Schematic {
  readonly architecture: Architecture;
  /** The schematic as Image Factory stores it (the body of `POST /schematics`). */
  readonly yaml: string;
  /** Its ID: Image Factory's sha256 of that text. */
  readonly id: string;
}

/**
 * Image Factory computes a schematic's ID as the sha256 of its YAML marshalling (image-factory pkg/schematic
 * schematic.go, ID: go-yaml, 4-space indentation, `customization.extraKernelArgs` as a block list, plain scalars).
 * The program computes it offline, registers the schematic, and checks that the factory answers the same ID.
 */
export function schematicId(yaml: string): string {
  return createHash("sha256").update(yaml).digest("hex");
}

export function platformSchematic(architecture: Architecture): Schematic {
  const args = infra.boot.kernelArgs(architecture);
  const yaml = `customization:\n    extraKernelArgs:\n${args.map((a) => `        - ${a}\n`).join("")}`;
  return { architecture, yaml, id: schematicId(yaml) };
}

/** The schematic a node group boots: the cluster's own when the constellation names one, else the platform's. */
export function schematicFor(cluster: { readonly schematic: string | undefined }, group: { readonly architecture: Architecture }): string {
  return cluster.schematic ?? platformSchematic(group.architecture).id;
}
