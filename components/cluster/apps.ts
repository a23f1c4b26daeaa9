/**
 * A cluster's application layer: the DNS credential, cert-manager's issuers, external-dns, the ingress controller
 * (ingress-nginx when chosen; Cilium's own is part of Cilium's values) and the whoami demo (satellites) or its
 * global Service (the barycenter).
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type * as command from "@pulumi/command";
import { names, TYPES } from "../../lib/builders/names";
import { DNS_SECRET, EXTERNAL_DNS, INGRESS_NGINX, txtOwner } from "../../lib/builders/apps/names";
import { clusterIssuers, whoamiCertificate } from "../../lib/builders/apps/tls";
import { externalDnsValues, ingressNginxValues } from "../../lib/builders/apps/charts";
import { whoamiDeployment, whoamiIngress, whoamiNamespace, whoamiPolicy, whoamiService } from "../../lib/builders/apps/whoami";
import { DNS_CLEANUP_CREATE, dnsCleanupScript } from "../../lib/builders/scripts/dns-cleanup";
import type { ClusterSpec } from "../../lib/constellation/model";
import { script } from "../support/commands";
import { helmRelease } from "../support/helm";
import { customObject } from "../support/custom-object";
import type { ClusterAddons } from "./addons";
import type { Platform } from "../support/context";

/**
 * The per-cluster DNS cleanup: a no-op create whose delete removes the Cloud DNS records owned by the cluster's
 * external-dns. No `deletedWith`; whatever deletes the cluster (a satellite's `Cluster`, the barycenter's move)
 * depends on it, so it runs only after the cluster is gone. Its GCP credential is refreshed on every `up`.
 */
/** @param name the cluster's name. */
export function createDnsCleanup(name: string, a: { readonly platform: Platform }, parent: pulumi.Resource): command.local.Command {
  const { platform } = a;
  return script(
    names.dnsCleanup(name),
    {
      create: DNS_CLEANUP_CREATE,
      delete: dnsCleanupScript,
      environment: {
        GOCY_GCP_KEY: platform.dnsKeyJson,
        GOCY_GCP_PROJECT: platform.config.gcpProject,
        GOCY_DNS_ZONE: platform.config.dnsZone,
        GOCY_TXT_OWNER: txtOwner(platform.constellation.name, name),
      },
    },
    { parent },
  );
}

export interface ClusterAppsArgs {
  readonly cluster: ClusterSpec;
  readonly platform: Platform;
  readonly provider: k8s.Provider;
  readonly deletedWith: pulumi.Resource;
  readonly addons: ClusterAddons;
  /** The cluster-ready wait: Cilium's CRDs (the whoami policy) exist by then. */
  readonly ready: pulumi.Resource;
  readonly keyJson: pulumi.Output<string>;
  readonly ingressAddress: pulumi.Output<string>;
}

export class ClusterApps extends pulumi.ComponentResource {
  /** What serves whoami here (Deployment and Service on satellites; the Service alone on the barycenter). */
  readonly whoami: readonly pulumi.Resource[];

  constructor(name: string, a: ClusterAppsArgs, opts: pulumi.ComponentResourceOptions) {
    super(TYPES.clusterApps, name, {}, opts);
    const n = a.cluster.name;
    const cfg = a.platform.config;
    const base = { parent: this, provider: a.provider, deletedWith: a.deletedWith };
    // The provider awaits Deployments, Services and Ingresses (10 minutes by default, pulumi-kubernetes
    // await/awaiters.go): each comes after the cluster-ready wait and takes the configured wait timeout instead.
    const timeout = `${cfg.waitTimeoutSeconds}s`;
    const awaited = { ...base, customTimeouts: { create: timeout, update: timeout } };

    // The DNS key reaches the cluster only as a Secret built from the Pulumi secret.
    const externalDnsNs = new k8s.core.v1.Namespace(names.externalDnsNamespace(n), { metadata: { name: EXTERNAL_DNS.namespace } }, base);
    const secrets = ["cert-manager", EXTERNAL_DNS.namespace].map(
      (ns) =>
        new k8s.core.v1.Secret(
          names.dnsKeySecret(n, ns),
          { metadata: { name: DNS_SECRET.name, namespace: ns }, stringData: { [DNS_SECRET.key]: a.keyJson } },
          { ...base, dependsOn: ns === "cert-manager" ? [a.addons.certManager] : [externalDnsNs] },
        ),
    );
    for (const issuer of clusterIssuers({ email: cfg.adminEmail, gcpProject: cfg.gcpProject, dnsZone: cfg.dnsZone })) {
      customObject(names.issuer(n, issuer.metadata.name), issuer, { ...base, dependsOn: [a.addons.certManager, secrets[0]!] });
    }
    // Awaited by Helm (its pods ready, bounded by the wait timeout): after the cluster is ready, when workers exist.
    helmRelease(
      n,
      EXTERNAL_DNS,
      externalDnsValues({ constellation: a.platform.constellation.name, cluster: n, gcpProject: cfg.gcpProject, zoneDomain: cfg.domain, zoneName: cfg.dnsZone }),
      { timeout: cfg.waitTimeoutSeconds },
      { ...base, dependsOn: [secrets[1]!, a.ready] },
    );
    const ingressImpl = a.platform.constellation.ingress;
    const controller =
      ingressImpl === "nginx"
        ? // Not awaited on its LoadBalancer address (MetalLB gives it; the mesh-address check covers BGP).
          helmRelease(n, INGRESS_NGINX, ingressNginxValues(a.ingressAddress), { createNamespace: true, skipAwait: true }, { ...base, dependsOn: [a.ready] })
        : a.addons.cilium;

    // Namespaces are not awaited on create (pulumi-kubernetes await/awaiters.go has no entry for them).
    const ns = new k8s.core.v1.Namespace(names.whoamiNamespace(n), whoamiNamespace(), base);
    if (a.cluster.role === "barycenter") {
      // A Service whose selector matches no pods passes the provider's await once its (empty) endpoints settle.
      this.whoami = [new k8s.core.v1.Service(names.whoamiService(n), whoamiService(false), { ...awaited, dependsOn: [ns, a.ready] })];
    } else {
      const deployment = new k8s.apps.v1.Deployment(names.whoamiDeployment(n), whoamiDeployment(n), { ...awaited, dependsOn: [ns, a.ready] });
      const service = new k8s.core.v1.Service(names.whoamiService(n), whoamiService(true), { ...awaited, dependsOn: [ns, a.ready] });
      customObject(names.whoamiPolicy(n), whoamiPolicy(ingressImpl), { ...base, dependsOn: [ns, a.ready] });
      customObject(names.whoamiCertificate(n), whoamiCertificate({ cluster: n, subdomain: cfg.subdomain, domain: cfg.domain, issuer: cfg.letsEncrypt }), { ...base, dependsOn: [ns, a.addons.certManager] });
      // The Ingress is awaited until its controller's Service has a load-balancer address: MetalLB's pools first.
      new k8s.networking.v1.Ingress(names.whoamiIngress(n), whoamiIngress({ cluster: n, subdomain: cfg.subdomain, domain: cfg.domain, ingress: ingressImpl }), {
        ...awaited,
        dependsOn: [ns, controller, a.ready, ...a.addons.metallbObjects],
      });
      this.whoami = [deployment, service];
    }
    this.registerOutputs({});
  }
}
