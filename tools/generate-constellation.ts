/**
 * Synthetic constellations of any size, for tests and the benchmark: the example's barycenter and N satellites
 * named `sat-<i>`, each with CIDRs of its own (10.<i>.0.0/17 pods, 10.<i>.128.0/17 services; at most 254
 * satellites; the barycenter in 100.64.0.0/16).
 */
import { stringify } from "yaml";
import { VERSION_SET } from "../lib/constellation/versions";
import { infra } from "../lib/infra";

const METROS = ["md", "fr", "am", "ny", "da", "sv", "sg", "sy", "ty", "ld"];

function cluster(name: string, metro: string, index: number, satellite: boolean) {
  // Satellites 10.<i>.0.0/16 (i = 1..254); the barycenter in 100.64.0.0/16, clear of all of them.
  const net = satellite ? `10.${index}` : "100.64";
  return {
    name,
    metro,
    [infra.versions.cloudController.key]: VERSION_SET[infra.versions.cloudController.key],
    talos: VERSION_SET.talos,
    kubernetes: VERSION_SET.kubernetes,
    pod_cidr_blocks: [`${net}.0.0/17`],
    service_cidr_blocks: [`${net}.128.0/17`],
    vips: [
      { role: "cp", count: 1, vipType: "public_ipv4" },
      { role: "ingress", count: 1, vipType: satellite ? "global_ipv4" : "public_ipv4" },
      { role: "mesh", count: 1, vipType: "public_ipv4" },
    ],
    control_nodes: [{ count: 1, plan: "m3.small.x86" }],
    worker_nodes: [{ count: 2, plan: "m3.small.x86" }],
  };
}

export const satelliteName = (i: number) => `sat-${i}`;

/** A constellation `name` with a barycenter and `satellites` satellites, as YAML text. */
export function generateConstellation(name: string, satellites: number): string {
  if (satellites > 254) throw new Error("at most 254 satellites (255 clusters)");
  return stringify({
    name,
    version: "0.1.0",
    capi: VERSION_SET.capi,
    cabpt: VERSION_SET.cabpt,
    cacppt: VERSION_SET.cacppt,
    [infra.versions.provider.key]: VERSION_SET[infra.versions.provider.key],
    bary: cluster(name, "pa", 0, false),
    satellites: Array.from({ length: satellites }, (_, i) => cluster(satelliteName(i + 1), METROS[i % METROS.length]!, i + 1, true)),
  });
}

/** Pinned IDs for a generated constellation: the barycenter 1, satellite i gets i + 1. */
export function generatedIds(name: string, satellites: number): Record<string, number> {
  return Object.fromEntries([[name, 1], ...Array.from({ length: satellites }, (_, i) => [satelliteName(i + 1), i + 2])]);
}
