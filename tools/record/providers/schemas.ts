/**
 * The input validation the other providers' Check applies before any API call, for the types and fields the program
 * uses (their Terraform schemas' ValidateFuncs, ConflictsWith and validators), so that a value a real Check refuses
 * fails the recording too. Unknown values pass, as they do in a real preview.
 *   - @pulumi/gcp (terraform-provider-google-beta v7.45.0, the upstream of pulumi-gcp 9.35, the newest available here)
 *   - @pulumi/equinix-metal 2.0.0 (terraform-provider-metal f3397fbe)
 *   - @pulumi/tls (terraform-provider-tls, internal/provider)
 * pulumi-command has no Check beyond decoding its inputs (pulumi-go-provider infer/resource.go): nothing to model.
 */
import { SECRET_KEY, UNKNOWN, type Recorded } from "../types";

type Inputs = Readonly<Record<string, Recorded>>;

function known(v: Recorded | undefined): Recorded | undefined {
  if (v === UNKNOWN) return undefined;
  if (v !== null && typeof v === "object" && !Array.isArray(v) && SECRET_KEY in v) return known(v[SECRET_KEY]);
  return v;
}

/** verify/validation.go ValidateRFC1035Name(6, 30): a lower-case letter first, then letters, digits and '-',
 * not ending in '-'. */
const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** tpgiamresource/resource_iam_member.go validateIAMMember (the pattern is unanchored upstream). */
const IAM_MEMBER = /(.+:.+|projectOwners|projectReaders|projectWriters|allUsers|allAuthenticatedUsers)/;
/** terraform-provider-tls internal/provider/common_cert.go: the allowed key and extended key usages. */
const TLS_USES = new Set([
  "digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement", "cert_signing", "crl_signing",
  "encipher_only", "decipher_only", "any_extended", "server_auth", "client_auth", "code_signing", "email_protection", "ipsec_end_system",
  "ipsec_tunnel", "ipsec_user", "timestamping", "ocsp_signing", "microsoft_server_gated_crypto", "netscape_server_gated_crypto",
  "microsoft_commercial_code_signing", "microsoft_kernel_code_signing",
]);

const RULES: Readonly<Record<string, (i: Inputs) => string | null>> = {
  // resourcemanager/resource_google_service_account.go: account_id, ValidateRFC1035Name(6, 30).
  "gcp:serviceaccount/account:Account": (i) => {
    const id = known(i.accountId);
    if (typeof id !== "string") return null;
    return id.length >= 6 && id.length <= 30 && RFC1035.test(id) ? null : `"account_id" ("${id}") must be 6 to 30 characters matching ${RFC1035.source}`;
  },
  "gcp:projects/iAMMember:IAMMember": (i) => iamMember(known(i.member)),
  "gcp:dns/dnsManagedZoneIamMember:DnsManagedZoneIamMember": (i) => iamMember(known(i.member)),
  // dns/resource_dns_record_set.go validateRecordNameTrailingDot.
  "gcp:dns/recordSet:RecordSet": (i) => {
    const name = known(i.name);
    return typeof name !== "string" || name.endsWith(".") ? null : `"name" ("${name}") must end with a trailing dot`;
  },
  // resource_metal_reserved_ip_block.go: type in {public_ipv4, global_ipv4}; metro ConflictsWith facility.
  "equinix-metal:index/reservedIpBlock:ReservedIpBlock": (i) => {
    const type = known(i.type);
    if (type !== undefined && type !== "public_ipv4" && type !== "global_ipv4") return `expected type to be one of [public_ipv4 global_ipv4], got ${String(type)}`;
    if (known(i.metro) !== undefined && known(i.facility) !== undefined) return `"metro": conflicts with facility`;
    return null;
  },
  // internal/provider/resource_private_key.go, types.go.
  "tls:index/privateKey:PrivateKey": (i) => {
    const algorithm = known(i.algorithm);
    if (algorithm !== undefined && !["RSA", "ECDSA", "ED25519"].includes(String(algorithm))) return `Attribute algorithm value must be one of: ["RSA" "ECDSA" "ED25519"], got: "${String(algorithm)}"`;
    const curve = known(i.ecdsaCurve);
    if (curve !== undefined && !["P224", "P256", "P384", "P521"].includes(String(curve))) return `Attribute ecdsa_curve value must be one of: ["P224" "P256" "P384" "P521"], got: "${String(curve)}"`;
    return null;
  },
  // internal/provider/resource_self_signed_cert.go: allowed_uses values, validity_period_hours >= 0.
  "tls:index/selfSignedCert:SelfSignedCert": (i) => {
    const uses = known(i.allowedUses);
    if (Array.isArray(uses)) for (const u of uses.map(known)) if (typeof u === "string" && !TLS_USES.has(u)) return `Attribute allowed_uses value must be one of the key usages, got: "${u}"`;
    const hours = known(i.validityPeriodHours);
    if (typeof hours === "number" && hours < 0) return `Attribute validity_period_hours value must be at least 0, got: ${hours}`;
    return null;
  },
};

function iamMember(member: Recorded | undefined): string | null {
  if (typeof member !== "string") return null;
  if (/^deleted/.test(member) || !IAM_MEMBER.test(member)) return `invalid value for member (IAM members must have one of the values outlined here: https://cloud.google.com/billing/docs/reference/rest/v1/Policy#Binding)`;
  return null;
}

/** The provider's Check message for these inputs, or null (also for types no rule covers). */
export function checkInputs(type: string, inputs: Inputs): string | null {
  return RULES[type]?.(inputs) ?? null;
}

export const CHECKED_TYPES = Object.keys(RULES);
