/**
 * MetalLB's objects for one cluster: the platform's BGP peers, one pool per role holding exactly that cluster's
 * address, and an advertisement. MetalLB runs in FRR mode (its chart's default in 0.16): the peers sit behind
 * the node's private gateway, a routed hop away, so the sessions are multi-hop (`ebgpMultiHop: true`).
 */
import type { K8sObject } from "../capi/api-versions";
import { infra } from "../../infra";

/** Pool selection on a Service (`metallb.universe.tf/…` is deprecated). */
export const METALLB_POOL_ANNOTATION = "metallb.io/address-pool";
/** The exact address a Service asks for. */
export const METALLB_IPS_ANNOTATION = "metallb.io/loadBalancerIPs";
export const METALLB_NAMESPACE = "metallb-system";

/** @typeParam Cidr a `/32` string, or a deploy-time value the caller places at that leaf. */
export interface MetallbInput<Cidr = string> {
  /** The cluster's ingress address as a /32 (on satellites: the shared anycast address). */
  readonly ingressCidr: Cidr;
  readonly meshCidr: Cidr;
}

const meta = (name: string) => ({ name, namespace: METALLB_NAMESPACE });

export function buildMetallbObjects<Cidr = string>(input: MetallbInput<Cidr>): K8sObject[] {
  const bgp = infra.network.bgp;
  const peers: K8sObject[] = bgp.peers.map((address, i) => ({
    apiVersion: "metallb.io/v1beta2",
    kind: "BGPPeer",
    metadata: meta(`${bgp.name}-${i + 1}`),
    spec: { myASN: bgp.myASN, peerASN: bgp.peerASN, peerAddress: address, ebgpMultiHop: true },
  }));
  const pool = (name: string, cidr: Cidr): K8sObject => ({
    apiVersion: "metallb.io/v1beta1",
    kind: "IPAddressPool",
    metadata: meta(name),
    // autoAssign false: only a Service that names the pool gets its address; no stray LoadBalancer takes a VIP.
    spec: { addresses: [cidr], autoAssign: false },
  });
  return [
    ...peers,
    pool("ingress", input.ingressCidr),
    pool("mesh", input.meshCidr),
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "BGPAdvertisement",
      metadata: meta(bgp.name),
      spec: { ipAddressPools: ["ingress", "mesh"] },
    },
  ];
}
