/** Names and constants of the application layer (DNS, TLS, ingress, whoami). */
export const WHOAMI = { namespace: "whoami", name: "whoami", image: "traefik/whoami:v1.11.0", tlsSecret: "whoami-tls" } as const;
/** The Secret holding the DNS service account's key, in cert-manager's and external-dns' namespaces. */
export const DNS_SECRET = { name: "gocy-cloud-dns", key: "key.json" } as const;
export const EXTERNAL_DNS = { namespace: "external-dns", chart: "external-dns", version: "1.21.1", repo: "https://kubernetes-sigs.github.io/external-dns/" } as const;
export const INGRESS_NGINX = { namespace: "ingress-nginx", chart: "ingress-nginx", version: "4.15.1", repo: "https://kubernetes.github.io/ingress-nginx" } as const;
export const CURL_IMAGE = "curlimages/curl:8.17.0";

/** `whoami.<subdomain>.<domain>`: the one public name, on the anycast address. */
export const anycastName = (subdomain: string, domain: string) => `whoami.${subdomain}.${domain}`;
/** `<satellite>.<subdomain>.<domain>`: the satellite's own name, so its certificate's names are its own. */
export const satelliteName = (cluster: string, subdomain: string, domain: string) => `${cluster}.${subdomain}.${domain}`;
/** external-dns' TXT owner: unique per cluster, so clusters never fight over a record. */
export const txtOwner = (constellation: string, cluster: string) => `gocy-${constellation}-${cluster}`;
export const issuerName = (env: "production" | "staging") => `letsencrypt-${env}`;
export const ACME_SERVERS = {
  production: "https://acme-v02.api.letsencrypt.org/directory",
  staging: "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;
/** The ingress class the apps use, per implementation. */
export const ingressClass = (impl: "cilium" | "nginx") => impl;
/** Marks a resource external-dns must leave alone (it acts only on resources whose controller is its own). */
export const EXTERNAL_DNS_SKIP = { "external-dns.alpha.kubernetes.io/controller": "gocy-anycast-ingress" } as const;
