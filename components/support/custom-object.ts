/**
 * The one way the program registers an object of a custom resource kind (CAPI, Cilium, MetalLB, cert-manager):
 * `k8s.apiextensions.CustomResource`, refused for built-in kinds. A generic resource takes its type token from the
 * object's apiVersion, so a built-in `apiVersion: v1` object becomes `kubernetes:v1:<Kind>`, which the Kubernetes
 * provider's Check refuses (the module must be `<group>/<version>`; the typed classes use `core/v1`). Built-in kinds
 * go through the typed classes (`k8s.core.v1.*`, `k8s.apps.v1.*`, `k8s.networking.v1.*`).
 */
import type * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { K8sObject } from "../../lib/builders/capi/api-versions";
import { isBuiltInApiVersion } from "../../lib/builders/kubernetes-api";

export function customObject(
  logical: string,
  obj: K8sObject,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  if (isBuiltInApiVersion(obj.apiVersion)) {
    throw new Error(`${logical}: ${obj.apiVersion} ${obj.kind} is a built-in kind; register it with its typed class, not as a CustomResource`);
  }
  const { apiVersion, kind, metadata, ...rest } = obj;
  return new k8s.apiextensions.CustomResource(logical, { ...rest, apiVersion, kind, metadata }, opts);
}
