/**
 * The whoami demo: a Deployment whose answer names its cluster, a Cilium global Service with local affinity (the
 * nearest satellite answers, the others are its fallback), a policy admitting HTTP from the world, its own cluster's
 * and the other mesh clusters' ingress and probe clients, and an Ingress on the anycast name with the satellite's
 * certificate. The barycenter carries the same global Service without pods, so that requests from it reach the
 * satellites through the mesh.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { K8sObject } from "../capi/api-versions";
import { EXTERNAL_DNS_SKIP, WHOAMI, anycastName, ingressClass, satelliteName } from "./names";

const labels = { "app.kubernetes.io/name": WHOAMI.name } as const;
/** Any mesh cluster, said explicitly: Cilium 1.18 already matches every connected cluster when a selector names
 * none, but 1.19 flips that default (policy-default-local-cluster). */
const ANY_CLUSTER = { key: "k8s:io.cilium.k8s.policy.cluster", operator: "Exists" } as const;

/** Label of the mesh verification's probe pods. */
export const PROBE_LABELS = { "app.kubernetes.io/name": "gocy-mesh-probe" } as const;

/** Built-in kinds as their typed classes take them (type-only import: the builders stay free of Pulumi code). */
export type NamespaceObject = k8s.core.v1.Namespace;
export type ServiceObject = k8s.core.v1.Service;
export type DeploymentObject = k8s.apps.v1.Deployment;
export type IngressObject = k8s.networking.v1.Ingress;

export function whoamiNamespace(): NamespaceObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: WHOAMI.namespace } };
}

/** The Service: global (every mesh cluster's backends), local affinity (this cluster's first). */
export function whoamiService(withPods: boolean): ServiceObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: WHOAMI.name,
      namespace: WHOAMI.namespace,
      annotations: { "service.cilium.io/global": "true", "service.cilium.io/affinity": "local" },
    },
    spec: { selector: withPods ? labels : { "app.kubernetes.io/name": "gocy-no-pods-here" }, ports: [{ name: "http", port: 80, targetPort: 80 }] },
  };
}

export function whoamiDeployment(cluster: string): DeploymentObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: WHOAMI.name, namespace: WHOAMI.namespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: WHOAMI.name,
              image: WHOAMI.image,
              // whoami prints its name first in every answer: the cluster that served the request.
              args: ["--port", "80", "--name", cluster],
              ports: [{ containerPort: 80, name: "http" }],
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] }, runAsNonRoot: false },
            },
          ],
        },
      },
    },
  };
}

/**
 * Admits HTTP from the world (the anycast address), from this cluster's ingress, and from the ingress controllers
 * and probe pods of every mesh cluster: a `fromEndpoints` selector naming no `io.cilium.k8s.policy.cluster` matches
 * every connected cluster (the `cluster` entity is the local one only). Egress: DNS only.
 */
export function whoamiPolicy(ingress: "cilium" | "nginx"): K8sObject {
  const ingressPeers =
    ingress === "nginx" ? [{ matchLabels: { "k8s:app.kubernetes.io/name": "ingress-nginx", "k8s:io.kubernetes.pod.namespace": "ingress-nginx" }, matchExpressions: [ANY_CLUSTER] }] : [];
  return {
    apiVersion: "cilium.io/v2",
    kind: "CiliumNetworkPolicy",
    metadata: { name: WHOAMI.name, namespace: WHOAMI.namespace },
    spec: {
      endpointSelector: { matchLabels: labels },
      ingress: [
        { fromEntities: ["world", ...(ingress === "cilium" ? ["ingress"] : [])], toPorts: [{ ports: [{ port: "80", protocol: "TCP" }] }] },
        {
          fromEndpoints: [
            ...ingressPeers,
            { matchLabels: { "k8s:app.kubernetes.io/name": PROBE_LABELS["app.kubernetes.io/name"], "k8s:io.kubernetes.pod.namespace": "kube-system" }, matchExpressions: [ANY_CLUSTER] },
          ],
          toPorts: [{ ports: [{ port: "80", protocol: "TCP" }] }],
        },
      ],
      egress: [
        {
          toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "kube-system", "k8s:k8s-app": "kube-dns" } }],
          toPorts: [{ ports: [{ port: "53", protocol: "ANY" }] }],
        },
      ],
    },
  };
}

export function whoamiIngress(args: { cluster: string; subdomain: string; domain: string; ingress: "cilium" | "nginx" }): IngressObject {
  const hosts = [anycastName(args.subdomain, args.domain), satelliteName(args.cluster, args.subdomain, args.domain)];
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name: WHOAMI.name,
      namespace: WHOAMI.namespace,
      // AnycastIngress owns the public record; external-dns leaves this Ingress alone.
      annotations: { ...EXTERNAL_DNS_SKIP },
    },
    spec: {
      ingressClassName: ingressClass(args.ingress),
      tls: [{ hosts, secretName: WHOAMI.tlsSecret }],
      rules: hosts.map((host) => ({
        host,
        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: WHOAMI.name, port: { number: 80 } } } }] },
      })),
    },
  };
}
