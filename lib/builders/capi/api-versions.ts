/**
 * API versions of the Cluster API objects, as the pinned providers serve them (checked against the providers'
 * CRDs: CAPI v1.10.10, CABPT v0.6.12, CACPPT v0.5.12; the infrastructure provider's version is its target's).
 */
export const API = {
  /** CAPI v1.10 serves and stores v1beta1 (v1beta2 arrives with v1.11, which the Talos providers do not support). */
  cluster: "cluster.x-k8s.io/v1beta1",
  /** CACPPT v0.5.12: v1alpha3 is its only served version. */
  controlPlane: "controlplane.cluster.x-k8s.io/v1alpha3",
  /** CABPT v0.6.12: v1alpha3 is the storage version (v1alpha2 is still served). */
  bootstrap: "bootstrap.cluster.x-k8s.io/v1alpha3",
} as const;

/** A Kubernetes object as the builders produce it: plain data, explicit name and namespace. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: unknown;
  readonly [key: string]: unknown;
}

/** A reference to another object, as CAPI's `*Ref` fields take it. */
export function refTo(obj: K8sObject): { apiVersion: string; kind: string; name: string; namespace: string } {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? "default" };
}
