/** Values of the app layer's charts (external-dns; ingress-nginx when chosen) and Cilium's ingress controller. */
import { METALLB_IPS_ANNOTATION, METALLB_POOL_ANNOTATION } from "../network/metallb";
import { DNS_SECRET, txtOwner } from "./names";

const CREDENTIALS_DIR = "/etc/secrets/gocy-cloud-dns";

export function externalDnsValues(args: { constellation: string; cluster: string; gcpProject: string; zoneDomain: string; zoneName: string }): Record<string, unknown> {
  return {
    provider: { name: "google" },
    // The zone itself: external-dns' Google provider keeps a zone only when the domain filter matches the zone's own
    // name (a subdomain filter would match no zone at all); the zone ID filter pins the one managed zone. A TXT owner
    // per cluster: clusters never fight over a record, and each cluster's cleanup removes its own.
    domainFilters: [args.zoneDomain],
    txtOwnerId: txtOwner(args.constellation, args.cluster),
    policy: "sync",
    sources: ["ingress", "service"],
    extraArgs: [`--google-project=${args.gcpProject}`, "--google-zone-visibility=public", `--zone-id-filter=${args.zoneName}`],
    env: [{ name: "GOOGLE_APPLICATION_CREDENTIALS", value: `${CREDENTIALS_DIR}/${DNS_SECRET.key}` }],
    extraVolumes: [{ name: "gocy-cloud-dns", secret: { secretName: DNS_SECRET.name } }],
    extraVolumeMounts: [{ name: "gocy-cloud-dns", mountPath: CREDENTIALS_DIR, readOnly: true }],
  };
}

/** ingress-nginx (retired upstream in March 2026; kept for parity with the original), its Service on the `ingress` pool. */
export function ingressNginxValues<Addr>(ingressAddress: Addr): Record<string, unknown> {
  return {
    controller: {
      ingressClassResource: { name: "nginx", default: true },
      service: { annotations: { [METALLB_POOL_ANNOTATION]: "ingress", [METALLB_IPS_ANNOTATION]: ingressAddress } },
    },
  };
}

/** Cilium's own ingress controller, in shared mode: one LoadBalancer Service, which carries the MetalLB annotations
 * (dedicated mode does not pass `metallb.io` annotations on to its per-Ingress Services). */
export function ciliumIngressValues<Addr>(ingressAddress: Addr): Record<string, unknown> {
  return {
    ingressController: {
      enabled: true,
      default: true,
      loadbalancerMode: "shared",
      service: { annotations: { [METALLB_POOL_ANNOTATION]: "ingress", [METALLB_IPS_ANNOTATION]: ingressAddress } },
    },
  };
}
