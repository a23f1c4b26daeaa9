/**
 * Values of the bootstrap-critical add-ons besides Cilium: MetalLB (its BGP objects: lib/builders/network/metallb.ts) and
 * cert-manager with its CRDs.
 */
export function buildMetallbValues(): Record<string, unknown> {
  return {};
}

export function buildCertManagerValues(): Record<string, unknown> {
  // `crds.enabled` installs the CRDs with the chart (`installCRDs` is deprecated); `crds.keep` keeps them when the
  // release is deleted, so that certificates survive a re-install.
  return { crds: { enabled: true, keep: true } };
}
