/**
 * The Helm charts the program installs, pinned. Each version is the one whose values schema the tests validate
 * against (../shared/schemas).
 */
export interface ChartPin {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
  readonly namespace: string;
}

export const CHARTS = {
  cilium: { chart: "cilium", version: "1.18.10", repo: "https://helm.cilium.io/", namespace: "kube-system" },
  metallb: { chart: "metallb", version: "0.16.1", repo: "https://metallb.github.io/metallb", namespace: "metallb-system" },
  certManager: { chart: "cert-manager", version: "v1.21.1", repo: "https://charts.jetstack.io", namespace: "cert-manager" },
} as const satisfies Record<string, ChartPin>;
