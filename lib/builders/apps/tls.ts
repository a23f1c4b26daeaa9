/**
 * cert-manager's Let's Encrypt ClusterIssuers solving DNS01 with Cloud DNS, and each satellite's certificate.
 * Each satellite asks for its own set of names (the anycast name plus its own): identical sets would share Let's
 * Encrypt's limit of 5 duplicate certificates a week, and a copy handed out by the program would expire unless
 * someone ran `pulumi up` in time. Concurrent DNS01 challenges on the shared name are tolerated: cert-manager's
 * Cloud DNS solver adds its value to the TXT record set rather than replacing it, and retries a failed challenge
 * with backoff.
 */
import type { K8sObject } from "../capi/api-versions";
import { ACME_SERVERS, DNS_SECRET, WHOAMI, anycastName, issuerName, satelliteName } from "./names";

export function clusterIssuers(args: { email: string; gcpProject: string; dnsZone: string }): K8sObject[] {
  return (["production", "staging"] as const).map((env) => ({
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: issuerName(env) },
    spec: {
      acme: {
        server: ACME_SERVERS[env],
        email: args.email,
        privateKeySecretRef: { name: `${issuerName(env)}-account` },
        solvers: [
          {
            dns01: {
              cloudDNS: { project: args.gcpProject, hostedZoneName: args.dnsZone, serviceAccountSecretRef: { name: DNS_SECRET.name, key: DNS_SECRET.key } },
            },
          },
        ],
      },
    },
  }));
}

export function whoamiCertificate(args: { cluster: string; subdomain: string; domain: string; issuer: "production" | "staging" }): K8sObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: WHOAMI.name, namespace: WHOAMI.namespace },
    spec: {
      secretName: WHOAMI.tlsSecret,
      dnsNames: [anycastName(args.subdomain, args.domain), satelliteName(args.cluster, args.subdomain, args.domain)],
      issuerRef: { kind: "ClusterIssuer", name: issuerName(args.issuer) },
      // Renews a third before expiry (Let's Encrypt issues 90 days): every satellite renews on its own.
      renewBefore: "720h",
    },
  };
}
