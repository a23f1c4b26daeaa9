/**
 * The Talos boot images the constellation's nodes need: the program's own Image Factory schematic per architecture
 * in use (lib/builders/talos/schematic.ts), registered with the factory before any machine template points at it.
 * Clusters that name a schematic of their own register it themselves.
 */
import type * as pulumi from "@pulumi/pulumi";
import { names } from "../../lib/builders/names";
import { platformSchematic, type Architecture } from "../../lib/builders/talos/schematic";
import { registerSchematicScript } from "../../lib/builders/scripts/image-factory";
import { allClusters, type Constellation } from "../../lib/constellation/model";
import { script } from "../support/commands";

/** @param name the constellation's name; the registrations are top-level resources (no parent). */
export function createBootImages(name: string, a: { readonly constellation: Constellation }): pulumi.Resource[] {
  const { constellation } = a;
  const architectures = new Set<Architecture>();
  for (const c of allClusters(constellation)) {
    if (c.schematic !== undefined) continue;
    for (const g of [c.controlPlane, ...c.workers]) architectures.add(g.architecture);
  }
  return [...architectures].sort().map((architecture) => {
    const s = platformSchematic(architecture);
    // No delete: schematics are content-addressed and shared. A changed schematic is an update, which runs the
    // (idempotent) create again.
    return script(names.schematic(name, architecture), { create: registerSchematicScript(), stdin: s.yaml, environment: { GOCY_SCHEMATIC_ID: s.id } }, {});
  });
}
