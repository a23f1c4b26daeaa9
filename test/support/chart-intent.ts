/**
 * What the program intends each chart to do, checked on the objects the real chart renders (test/oracles). Each
 * check returns the problems it finds, so a deliberate break shows exactly what it broke.
 */
import { X509Certificate } from "node:crypto";
import type { K8sDoc, Rendered } from "../../tools/render/helm-template";

export interface MeshPeer {
  readonly id: number;
  readonly meshAddress: string;
}

export interface ClusterIntent {
  readonly cluster: string;
  /** Every mesh member, this cluster included. */
  readonly mesh: Readonly<Record<string, MeshPeer>>;
  readonly ingressAddress: string;
  readonly ingress: "cilium" | "nginx";
  readonly caCertPem: string;
  readonly constellation: string;
  readonly gcpProject: string;
  readonly domain: string;
  readonly dnsZone: string;
}

const find = (r: Rendered, kind: string, name: string): K8sDoc | undefined => r.objects.find((o) => o.kind === kind && o.metadata.name === name);
const b64 = (s: string | undefined) => Buffer.from(s ?? "", "base64").toString("utf8");

export function ciliumProblems(r: Rendered, want: ClusterIntent): string[] {
  const p: string[] = [];
  const me = want.mesh[want.cluster]!;
  const cfg = (find(r, "ConfigMap", "cilium-config")?.data ?? {}) as Record<string, string>;
  const expect = (key: string, value: string) => {
    if (cfg[key] !== value) p.push(`cilium-config ${key} is ${JSON.stringify(cfg[key])}, expected ${JSON.stringify(value)}`);
  };
  expect("cluster-name", want.cluster);
  expect("cluster-id", String(me.id));
  expect("kube-proxy-replacement", "true");
  // The kube-proxy replacement reaches the API server through KubePrism: the agent's environment (the chart puts
  // k8sServiceHost/Port there, not in the ConfigMap).
  const agent = JSON.stringify(find(r, "DaemonSet", "cilium") ?? {});
  for (const [name, value] of [["KUBERNETES_SERVICE_HOST", "localhost"], ["KUBERNETES_SERVICE_PORT", "7445"]]) {
    if (!agent.includes(`{"name":"${name}","value":"${value}"}`)) p.push(`the agent's ${name} is not ${value} (KubePrism)`);
  }
  expect("enable-wireguard", "true");
  expect("enable-hubble", "true");
  // Every other member, by name, at its reserved address: kvstoremesh dials <peer>.mesh.cilium.io (the server
  // certificate's name), which the clustermesh-apiserver pod resolves through its host aliases.
  const peers = Object.keys(want.mesh).filter((n) => n !== want.cluster).sort();
  const kvstoremesh = (find(r, "Secret", "cilium-kvstoremesh")?.data ?? {}) as Record<string, string>;
  const listed = Object.keys(kvstoremesh).sort();
  if (JSON.stringify(listed) !== JSON.stringify(peers)) p.push(`cilium-kvstoremesh lists ${listed.join(",") || "nobody"}, expected ${peers.join(",")}`);
  for (const peer of peers) {
    if (kvstoremesh[peer] !== undefined && !b64(kvstoremesh[peer]).includes(`- https://${peer}.mesh.cilium.io:2379`)) p.push(`cilium-kvstoremesh ${peer} does not dial ${peer}.mesh.cilium.io:2379`);
  }
  const apiserver = find(r, "Deployment", "clustermesh-apiserver") as { spec?: { template?: { spec?: { hostAliases?: { ip: string; hostnames: string[] }[] } } } } | undefined;
  const aliases = apiserver?.spec?.template?.spec?.hostAliases ?? [];
  for (const peer of peers) {
    const a = aliases.find((x) => x.hostnames.includes(`${peer}.mesh.cilium.io`));
    if (a?.ip !== want.mesh[peer]!.meshAddress) p.push(`clustermesh-apiserver resolves ${peer}.mesh.cilium.io to ${a?.ip ?? "nothing"}, expected its reserved ${want.mesh[peer]!.meshAddress}`);
  }
  p.push(...loadBalancerProblems(find(r, "Service", "clustermesh-apiserver"), "clustermesh-apiserver", "mesh", me.meshAddress));
  if (want.ingress === "cilium") p.push(...loadBalancerProblems(find(r, "Service", "cilium-ingress"), "cilium-ingress", "ingress", want.ingressAddress));
  // The mesh certificates come from the shared CA.
  const ca = new X509Certificate(want.caCertPem);
  const caSecret = find(r, "Secret", "cilium-ca")?.data as Record<string, string> | undefined;
  if (b64(caSecret?.["ca.crt"]).trim() !== want.caCertPem.trim()) p.push("cilium-ca does not hold the shared mesh CA");
  for (const name of ["clustermesh-apiserver-server-cert", "clustermesh-apiserver-remote-cert", "clustermesh-apiserver-admin-cert"]) {
    const crt = (find(r, "Secret", name)?.data as Record<string, string> | undefined)?.["tls.crt"];
    if (crt === undefined) {
      p.push(`${name} is not rendered`);
      continue;
    }
    const cert = new X509Certificate(b64(crt));
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) p.push(`${name} is not signed by the shared mesh CA`);
  }
  return p;
}

export function loadBalancerProblems(svc: K8sDoc | undefined, name: string, pool: string, address: string): string[] {
  if (!svc) return [`Service ${name} is not rendered`];
  const p: string[] = [];
  const a = svc.metadata.annotations ?? {};
  if ((svc.spec as { type?: string } | undefined)?.type !== "LoadBalancer") p.push(`Service ${name} is not a LoadBalancer`);
  if (a["metallb.io/address-pool"] !== pool) p.push(`Service ${name} takes pool ${JSON.stringify(a["metallb.io/address-pool"])}, expected "${pool}"`);
  if (a["metallb.io/loadBalancerIPs"] !== address) p.push(`Service ${name} asks for ${JSON.stringify(a["metallb.io/loadBalancerIPs"])}, expected its reserved ${address}`);
  return p;
}

export function metallbProblems(r: Rendered): string[] {
  const p: string[] = [];
  for (const [kind, name] of [["DaemonSet", "metallb-speaker"], ["DaemonSet", "metallb-frr-k8s"], ["Deployment", "metallb-controller"]] as const) {
    if (!find(r, kind, name)) p.push(`${kind} ${name} is not rendered`);
  }
  const bgpType = JSON.stringify(find(r, "DaemonSet", "metallb-speaker") ?? {}).includes('"name":"METALLB_BGP_TYPE","value":"frr-k8s"');
  if (!bgpType) p.push("the speaker does not run in FRR-K8s mode");
  return p;
}

export function certManagerProblems(r: Rendered): string[] {
  const p: string[] = [];
  for (const crd of ["certificates.cert-manager.io", "issuers.cert-manager.io", "clusterissuers.cert-manager.io", "challenges.acme.cert-manager.io", "orders.acme.cert-manager.io"]) {
    const o = find(r, "CustomResourceDefinition", crd);
    if (!o) p.push(`CRD ${crd} is not installed with the chart`);
    else if (o.metadata.annotations?.["helm.sh/resource-policy"] !== "keep") p.push(`CRD ${crd} is not kept when the release goes`);
  }
  for (const d of ["cert-manager", "cert-manager-webhook", "cert-manager-cainjector"]) if (!find(r, "Deployment", d)) p.push(`Deployment ${d} is not rendered`);
  return p;
}

export function externalDnsProblems(r: Rendered, want: ClusterIntent, secret: { name: string; key: string }): string[] {
  const p: string[] = [];
  const d = find(r, "Deployment", "external-dns") as
    | { spec: { template: { spec: { containers: { args?: string[]; env?: { name: string; value?: string }[]; volumeMounts?: { name: string; mountPath: string }[] }[]; volumes?: { name: string; secret?: { secretName: string } }[] } } } }
    | undefined;
  if (!d) return ["Deployment external-dns is not rendered"];
  const c = d.spec.template.spec.containers[0]!;
  const args = c.args ?? [];
  for (const a of [
    "--provider=google",
    `--google-project=${want.gcpProject}`,
    "--google-zone-visibility=public",
    `--txt-owner-id=gocy-${want.constellation}-${want.cluster}`,
    `--domain-filter=${want.domain}`,
    `--zone-id-filter=${want.dnsZone}`,
  ]) {
    if (!args.includes(a)) p.push(`external-dns lacks ${a}`);
  }
  const credentials = c.env?.find((e) => e.name === "GOOGLE_APPLICATION_CREDENTIALS")?.value;
  const volume = d.spec.template.spec.volumes?.find((v) => v.secret?.secretName === secret.name);
  const mount = volume ? c.volumeMounts?.find((m) => m.name === volume.name) : undefined;
  if (!volume || !mount) p.push(`external-dns does not mount the Secret ${secret.name}`);
  else if (credentials !== `${mount.mountPath}/${secret.key}`) p.push(`GOOGLE_APPLICATION_CREDENTIALS is ${JSON.stringify(credentials)}, expected ${mount.mountPath}/${secret.key}`);
  return p;
}
