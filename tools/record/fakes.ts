/**
 * Deterministic fake outputs for the recording engine: the same program always sees the same values.
 * Addresses come from the documentation ranges (RFC 5737), keyed by the cluster's Cilium ID so that adding a
 * satellite changes no other cluster's address.
 */
import { createHash, createPublicKey } from "node:crypto";
import { FAKE_CA_CERT_PEM, FAKE_CA_KEY_PEM } from "./fake-ca";
import { classify, names } from "../../lib/builders/names";

const publicKeyOf = (pem: string): string => createPublicKey(pem).export({ type: "spki", format: "pem" }).toString();

export interface FakeContext {
  /** Cluster name → cluster ID, for addresses. */
  readonly clusterIds: Readonly<Record<string, number>>;
  readonly constellation: string;
}

/** A UUID-shaped id derived from the URN. */
export function fakeId(urn: string): string {
  const h = createHash("sha256").update(urn).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const ROLE_NET: Readonly<Record<string, string>> = { cp: "192.0.2", ingress: "198.51.100", mesh: "203.0.113" };
const RESERVATION = "equinix-metal:index/reservedIpBlock:ReservedIpBlock";

/** The fake address of a reservation, from its logical name (names.vip, names.anycast), as names.ts reads it. */
export function fakeAddress(name: string, ctx: FakeContext): string {
  const reading = classify(name, { type: RESERVATION, constellation: ctx.constellation, clusters: Object.keys(ctx.clusterIds) });
  if (reading?.kind === "anycast") return "192.0.2.0";
  const id = reading?.kind === "vip" ? ctx.clusterIds[reading.owner] : undefined;
  if (!reading || id === undefined) {
    // Not a reservation the program names this way: still deterministic, outside the per-cluster ranges.
    const h = createHash("sha256").update(name).digest();
    return `198.18.${h[0]}.${h[1]}`;
  }
  return `${ROLE_NET[reading.params[0]!]}.${id}`;
}

/** The fake stdout of a command other than the barycenter's credential: unique per command. */
export const fakeStdout = (name: string): string => `[fake stdout of ${name}]\n`;

/** Outputs a provider would compute for a resource, beyond its inputs. */
export function fakeOutputs(type: string, name: string, inputs: Record<string, unknown>, ctx: FakeContext): Record<string, unknown> {
  switch (type) {
    case "equinix-metal:index/reservedIpBlock:ReservedIpBlock": {
      const address = fakeAddress(name, ctx);
      return {
        address,
        cidr: 32,
        cidrNotation: `${address}/32`,
        network: address,
        netmask: "255.255.255.255",
        gateway: address,
        addressFamily: 4,
        public: true,
        global: inputs.type === "global_ipv4",
        manageable: true,
        management: false,
      };
    }
    case "kubernetes:core/v1:Secret": {
      // A read of CAPI's `<cluster>-kubeconfig` or CABPT's `<cluster>-talosconfig`: placeholders of the right shape.
      const read = classify(name, { type });
      const cluster = read?.kind === "kubeconfigRead" || read?.kind === "talosconfigRead" ? read.owner : name;
      const b64 = (s: string) => Buffer.from(s).toString("base64");
      return {
        data: {
          value: b64(`apiVersion: v1\nkind: Config\nclusters:\n- name: ${cluster}\n  cluster: {server: "https://${fakeAddress(names.vip(cluster, "cp"), ctx)}:6443", certificate-authority-data: "UExBQ0VIT0xERVI="}\nusers:\n- name: ${cluster}-admin\n  user: {client-certificate-data: "UExBQ0VIT0xERVI=", client-key-data: "${b64(`SENTINEL-capi-client-key-${cluster}`)}"}\ncontexts:\n- name: ${cluster}-admin@${cluster}\n  context: {cluster: ${cluster}, user: ${cluster}-admin}\ncurrent-context: ${cluster}-admin@${cluster}\n`),
          talosconfig: b64(`context: ${cluster}\ncontexts:\n  ${cluster}:\n    endpoints: [10.70.0.3, ${fakeAddress(names.vip(cluster, "cp"), ctx)}]\n    ca: UExBQ0VIT0xERVI=\n    crt: UExBQ0VIT0xERVI=\n    key: UExBQ0VIT0xERVI=\n`),
        },
      };
    }
    case "tls:index/privateKey:PrivateKey":
      // A real throwaway key (fake-ca.ts): the charts the tests render parse it.
      return { privateKeyPem: FAKE_CA_KEY_PEM, publicKeyPem: publicKeyOf(FAKE_CA_KEY_PEM) };
    case "tls:index/selfSignedCert:SelfSignedCert":
      return { certPem: FAKE_CA_CERT_PEM };
    case "gcp:serviceaccount/key:Key": {
      // A key shaped like Google's (base64 of the JSON), carrying a sentinel the tests look for in plain text.
      const json = JSON.stringify({ type: "service_account", client_email: "gocy-dns@example.iam.gserviceaccount.com", private_key: `SENTINEL-gcp-sa-key-${name}`, token_uri: "https://oauth2.googleapis.com/token" });
      return { privateKey: Buffer.from(json).toString("base64"), name: `${name}-id` };
    }
    case "gcp:serviceaccount/account:Account":
      return { email: `${String(inputs.accountId)}@${String(inputs.project)}.iam.gserviceaccount.com`, name: `projects/${String(inputs.project)}/serviceAccounts/${String(inputs.accountId)}` };
    case "command:local:Command":
    case "command:remote:Command":
      // The barycenter's minted credential prints a kubeconfig: a placeholder with a sentinel token, so the tests
      // can follow it wherever it flows.
      return classify(name, { type })?.kind === "adminCredential"
        ? { stdout: `apiVersion: v1\nkind: Config\nusers:\n- name: gocy-admin\n  user: {token: "SENTINEL-kubeconfig-token-${name}"}\n`, stderr: "" }
        : // Every other command prints a line of its own: a test can tell whose stdout another resource takes.
          { stdout: fakeStdout(name), stderr: "" };
    default:
      return {};
  }
}
