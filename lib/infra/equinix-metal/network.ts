/**
 * Equinix Metal's network facts: the BGP routers every device peers with, and the metadata service.
 */

/** Equinix Metal's local BGP peers and ASNs: every device peers with 169.254.255.1 and .2 (ASN 65530); project-local
 * BGP uses the private ASN 65000 (CAPP enables it with METAL_LOCAL_ASN's default, 65000). */
export const EQUINIX_BGP = { name: "equinix", peers: ["169.254.255.1", "169.254.255.2"], peerASN: 65530, myASN: 65000 } as const;

/**
 * The Equinix Metal metadata service, which serves each device its user data (the Equinix token and the whole Talos
 * machine configuration with its CA keys) to anything on the node that asks; it tells callers apart by source
 * address, so a masqueraded pod gets its node's data. Talos fetches it from metadata.platformequinix.com
 * (talos equinixmetal/equinix.go); the legacy name is metadata.packet.net. Equinix publishes no address; the one
 * here is what both names resolve to, as Equinix's own labs and Kinvolk's Lokomotive hard-code it
 * (equinix-labs/pulumi-equinix-kubernetes-cluster net-deny-metadata.sh; lokomotive packet bootkube.tf). No
 * link-local or IPv6 address is known. Re-check on a node: `dig +short A metadata.platformequinix.com` and `AAAA`.
 */
export const EQUINIX_METADATA_CIDRS: readonly string[] = ["192.80.8.124/32"];

export const EQUINIX_METADATA = {
  name: "equinix",
  cidrs: EQUINIX_METADATA_CIDRS,
  description: "Pods never reach the Equinix Metal metadata service: it serves the node's credentials.",
} as const;
