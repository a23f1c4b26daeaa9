/**
 * The bootstrap-critical add-ons of one cluster, shared by the barycenter and the satellites: Cilium (the CNI),
 * MetalLB's chart and cert-manager, as helm.v3.Releases (Helm runs in the provider, hooks run, and values diff field
 * by field in a preview). Cilium and MetalLB do not depend on each other: MetalLB's pods simply wait for the CNI.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CHARTS, type ChartPin } from "../lib/builders/helm/charts";
import { buildCiliumValues } from "../lib/builders/helm/cilium";
import { buildCertManagerValues, buildMetallbValues } from "../lib/builders/helm/addons";
import { TYPES } from "../lib/builders/names";
import type { ClusterSpec } from "../lib/spec/model";

export interface ClusterAddonsArgs {
  readonly cluster: ClusterSpec;
  readonly clusterId: number;
  /** The cluster's own Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** Whose deletion takes these along (the cluster itself goes, so nothing is deleted one by one). */
  readonly deletedWith: pulumi.Resource;
  readonly timeoutSeconds: number;
}

export class ClusterAddons extends pulumi.ComponentResource {
  readonly cilium: k8s.helm.v3.Release;
  readonly metallb: k8s.helm.v3.Release;
  readonly certManager: k8s.helm.v3.Release;

  constructor(name: string, args: ClusterAddonsArgs, opts: pulumi.ComponentResourceOptions) {
    super(TYPES.clusterAddons, name, {}, opts);
    const base: pulumi.CustomResourceOptions = { parent: this, provider: args.provider, deletedWith: args.deletedWith };
    const release = (pin: ChartPin, values: Record<string, unknown>, extra: Partial<k8s.helm.v3.ReleaseArgs>, o: pulumi.CustomResourceOptions = {}) =>
      new k8s.helm.v3.Release(
        `${args.cluster.name}-${pin.chart}`,
        { name: pin.chart, chart: pin.chart, version: pin.version, repositoryOpts: { repo: pin.repo }, namespace: pin.namespace, values, ...extra },
        { ...base, ...o },
      );

    // Not awaited: its LoadBalancer Services (the clustermesh-apiserver) get addresses only from MetalLB, and the
    // readiness of the cluster is checked by a wait of its own once the CNI runs.
    this.cilium = release(CHARTS.cilium, buildCiliumValues(args.cluster, args.clusterId), { skipAwait: true });

    // Talos enforces the baseline Pod Security Standard; MetalLB's speaker needs host networking and NET_RAW.
    const metallbNamespace = new k8s.core.v1.Namespace(
      `${args.cluster.name}-metallb-system`,
      { metadata: { name: CHARTS.metallb.namespace, labels: { "pod-security.kubernetes.io/enforce": "privileged" } } },
      base,
    );
    this.metallb = release(CHARTS.metallb, buildMetallbValues(), { timeout: args.timeoutSeconds }, { dependsOn: [metallbNamespace] });
    this.certManager = release(CHARTS.certManager, buildCertManagerValues(), { createNamespace: true, timeout: args.timeoutSeconds });
    this.registerOutputs({});
  }
}
