/**
 * The shape of a constellation file: the original project's format (early and later form) plus this program's
 * optional fields. Field names are the file's own. Cross-field rules live in `invariants.ts`.
 */
import { z } from "zod";
import * as ipaddr from "ipaddr.js";
import { infra } from "../infra";

/** `v1.2.3`, or `v1.2` where the original's later format names a minor only (version rules judge it later). */
const version = z.string().regex(/^v(0|[1-9]\d*)\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?$/, { message: 'expected a version like "v1.2.3"' });

/** DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A required version field whose key the infrastructure target names (its key in the file is the target's). */
function versionField(key: string): Record<string, typeof version> {
  return { [key]: version };
}

const nonEmpty = z.string().min(1, { message: "expected a non-empty string" });

/** True for a canonical IPv4 CIDR: a valid address and prefix, with no host bits set. */
export function isIpv4Cidr(text: string): boolean {
  if (!ipaddr.IPv4.isValidCIDR(text)) return false;
  const [addr, bits] = ipaddr.IPv4.parseCIDR(text);
  // Reject non-canonical forms like 172.16.0.1/17: routes and Cilium's pod CIDR allocation want the network address.
  return ipaddr.IPv4.networkAddressFromCIDR(text).toString() === addr.toString() && bits >= 0 && bits <= 32;
}

const cidr = z.string().refine(isIpv4Cidr, { message: "expected an IPv4 CIDR with no host bits set, like \"172.16.0.0/17\"" });

const count = z
  .number()
  .int({ message: "expected a whole number" })
  .min(0, { message: "expected a non-negative whole number" });

const installDisk = z.string().regex(/^\/dev\/[A-Za-z0-9/_-]+$/, { message: 'expected a device path like "/dev/sda"' });

export const vipSchema = z.strictObject({
  role: z.enum(["cp", "ingress", "mesh"]),
  count,
  vipType: z.enum(["public_ipv4", "global_ipv4"]),
});

export const nodeGroupSchema = z.strictObject({
  count,
  /** The target's machine type, checked against its final list (lib/infra) unless under `unlisted.plans`. */
  plan: nonEmpty.describe(`${infra.displayName} device plan, e.g. m3.small.x86; must be on ${infra.displayName}'s final list of plans or under unlisted.plans`),
  /** Stable key of a worker group (its MachineDeployment's name suffix). @default the plan, dots turned into dashes */
  name: z.string().regex(DNS_LABEL, { message: "expected a DNS-1123 label (lower-case letters, digits and '-')" }).optional(),
  /** Disk Talos installs to. @default the plan's known disk (PLAN_INSTALL_DISKS) */
  install_disk: installDisk.optional(),
});

export const clusterSchema = z.strictObject({
  name: z.string(),
  /** The target's location code, checked against its final list (lib/infra) unless under `unlisted.metros`. */
  metro: nonEmpty.describe(`${infra.displayName} metro code, e.g. pa; must be on ${infra.displayName}'s final list of metros or under unlisted.metros`),
  // The target's cloud-controller version, under the target's own key.
  ...versionField(infra.versions.cloudController.key),
  pod_cidr_blocks: z.array(cidr).min(1, { message: "expected at least one CIDR" }),
  service_cidr_blocks: z.array(cidr).min(1, { message: "expected at least one CIDR" }),
  vips: z.array(vipSchema),
  control_nodes: z.array(nodeGroupSchema),
  worker_nodes: z.array(nodeGroupSchema),
  // Later format.
  talos: version.optional(),
  kubernetes: version.optional(),
  domain_prefix: z.string().regex(DNS_LABEL, { message: "expected a DNS-1123 label" }).optional(),
  // This program's additions (defaults in defaults.ts).
  cluster_id: z
    .number()
    .int({ message: "expected a whole number from 1 to 255" })
    .min(1, { message: "expected a whole number from 1 to 255 (Cluster Mesh refuses 0)" })
    .max(255, { message: "expected a whole number from 1 to 255" })
    .optional(),
  kubespan: z.boolean().optional(),
  firewall: z.boolean().optional(),
  install_disk: installDisk.optional(),
  schematic: z.string().regex(/^[0-9a-f]{64}$/, { message: "expected an Image Factory schematic ID (64 hex digits)" }).optional(),
});

/**
 * The escape hatch of the metro and plan check: codes the target accepts that its final lists
 * (lib/infra) lack. A metro or plan named here is taken as written, unchecked.
 */
export const unlistedSchema = z
  .strictObject({
    metros: z.array(nonEmpty).default([]),
    plans: z.array(nonEmpty).default([]),
  })
  .describe(
    `Metro codes and device plans to accept although ${infra.displayName}'s final lists lack them, like { metros: [<code>], plans: [<slug>] }; every other metro and plan must be on the lists`,
  );

/** The constellation names the kind clusters `gocy-<name>` and `gocy-<name>-teardown`: kind allows 50 characters. */
export const MAX_CONSTELLATION_NAME = 36;

export const constellationSchema = z.strictObject({
  name: z
    .string()
    .regex(DNS_LABEL, { message: "expected a DNS-1123 label (lower-case letters, digits and '-')" })
    .max(MAX_CONSTELLATION_NAME, { message: `expected at most ${MAX_CONSTELLATION_NAME} characters (kind cluster names gocy-<name>-teardown stay within 50)` }),
  version: z.string(),
  capi: version,
  cabpt: version,
  cacppt: version,
  // The target's Cluster API provider version, under the target's own key.
  ...versionField(infra.versions.provider.key),
  bary: clusterSchema,
  satellites: z.array(clusterSchema).default([]),
  ingress: z.enum(["cilium", "nginx"]).optional(),
  unlisted: unlistedSchema.optional(),
});

export type RawCluster = z.infer<typeof clusterSchema>;
export type RawConstellation = z.infer<typeof constellationSchema>;
export type RawNodeGroup = z.infer<typeof nodeGroupSchema>;
