/**
 * The bootstrap-critical add-ons of one cluster, shared by the barycenter and the satellites: Cilium (the CNI),
 * MetalLB's chart and cert-manager, as helm.v3.Releases (Helm runs in the provider, hooks run, and values diff field
 * by field in a preview). Cilium and MetalLB do not depend on each other: MetalLB's pods simply wait for the CNI.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CHARTS, type ChartPin } from "../../lib/builders/helm/charts";
import { buildCiliumValues } from "../../lib/builders/helm/cilium";
import { buildCertManagerValues, buildMetallbValues } from "../../lib/builders/helm/addons";
import { buildMetallbObjects } from "../../lib/builders/network/metallb";
import { names } from "../../lib/builders/names";
import type { MeshForCluster } from "../constellation/cluster-mesh";
import { helmRelease } from "../support/helm";
import { customObject } from "../support/custom-object";
import { ciliumIngressValues } from "../../lib/builders/apps/charts";
import { TYPES } from "../../lib/builders/names";
import type { ClusterSpec } from "../../lib/constellation/model";

export interface ClusterAddonsArgs {
  readonly cluster: ClusterSpec;
  readonly clusterId: number;
  /** The cluster's own Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** Whose deletion takes these along (the cluster itself goes, so nothing is deleted one by one). */
  readonly deletedWith: pulumi.Resource;
  readonly timeoutSeconds: number;
  /** The cluster's reserved mesh address (from its reservation, never from Service status). */
  readonly meshAddress: pulumi.Output<string>;
  /** The cluster's ingress address (satellites: the shared anycast address). */
  readonly ingressAddress: pulumi.Output<string>;
  /** The mesh membership and shared CA. */
  readonly mesh: MeshForCluster;
  readonly ingress: "cilium" | "nginx";
}

export class ClusterAddons extends pulumi.ComponentResource {
  readonly cilium: k8s.helm.v3.Release;
  readonly metallb: k8s.helm.v3.Release;
  readonly certManager: k8s.helm.v3.Release;
  /** BGP peers, the `ingress` and `mesh` pools and the advertisement: after MetalLB's chart (its CRDs). */
  readonly metallbObjects: readonly k8s.apiextensions.CustomResource[];

  constructor(name: string, args: ClusterAddonsArgs, opts: pulumi.ComponentResourceOptions) {
    super(TYPES.clusterAddons, name, {}, opts);
    const base: pulumi.CustomResourceOptions = { parent: this, provider: args.provider, deletedWith: args.deletedWith };
    const release = (pin: ChartPin, values: Record<string, unknown>, extra: Partial<k8s.helm.v3.ReleaseArgs>, o: pulumi.CustomResourceOptions = {}) =>
      helmRelease(args.cluster.name, pin, values, extra, { ...base, ...o });

    // Not awaited: its LoadBalancer Services (the clustermesh-apiserver) get addresses only from MetalLB, and the
    // readiness of the cluster is checked by a wait of its own once the CNI runs.
    // Values stay a plain object with the mesh address as one deploy-time leaf: a preview diffs them field by field.
    this.cilium = release(
      CHARTS.cilium,
      {
        ...buildCiliumValues<pulumi.Input<string>>({ cluster: args.cluster, clusterId: args.clusterId, meshAddress: args.meshAddress, mesh: args.mesh }),
        // The ingress controller, when it is Cilium's own (the default): its shared Service on the `ingress` pool.
        ...(args.ingress === "cilium" ? ciliumIngressValues(args.ingressAddress) : {}),
      },
      { skipAwait: true },
    );

    // Talos enforces the baseline Pod Security Standard; MetalLB's speaker needs host networking and NET_RAW.
    const metallbNamespace = new k8s.core.v1.Namespace(
      names.metallbNamespace(args.cluster.name),
      { metadata: { name: CHARTS.metallb.namespace, labels: { "pod-security.kubernetes.io/enforce": "privileged" } } },
      base,
    );
    this.metallb = release(CHARTS.metallb, buildMetallbValues(), { timeout: args.timeoutSeconds }, { dependsOn: [metallbNamespace] });
    this.certManager = release(CHARTS.certManager, buildCertManagerValues(), { createNamespace: true, timeout: args.timeoutSeconds });
    // Depend on MetalLB's chart only (its CRDs and webhook), never on Cilium.
    this.metallbObjects = buildMetallbObjects({
      ingressCidr: pulumi.interpolate`${args.ingressAddress}/32`,
      meshCidr: pulumi.interpolate`${args.meshAddress}/32`,
    }).map((o) => customObject(names.metallbObject(args.cluster.name, o.kind, o.metadata.name), o, { ...base, dependsOn: [this.metallb] }));
    this.registerOutputs({});
  }
}
