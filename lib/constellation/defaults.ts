/**
 * Every default of the constellation format in one place. A field the original format lacks is optional and
 * takes the value here; the README's table of fields is generated from the same facts.
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

