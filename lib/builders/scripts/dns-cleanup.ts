/**
 * The per-cluster DNS cleanup (docs/architecture.md#destroy-order): its delete removes the Cloud DNS records owned by the cluster's
 * external-dns TXT owner ID, once the cluster is gone and external-dns cannot write them back. Plain Node (the
 * machine running `pulumi` has it): the service-account key (GOCY_GCP_KEY, a secret) signs a token request; the
 * Cloud DNS API lists the zone's record sets and deletes the owned ones with their TXT ownership records.
 * external-dns marks ownership with a TXT record `"heritage=external-dns,external-dns/owner=<owner>,…"` named after
 * the record, or with a kind prefix (`a-<name>`, `cname-<name>`, `aaaa-<name>`) in its newer registry format.
 */
export const DNS_CLEANUP_CREATE = `echo "gocy: nothing to create; this command's delete removes the cluster's DNS records"`;

export const dnsCleanupScript = `set -euo pipefail
: "\${GOCY_GCP_KEY:?}" "\${GOCY_GCP_PROJECT:?}" "\${GOCY_DNS_ZONE:?}" "\${GOCY_TXT_OWNER:?}"
node --input-type=module - <<'EOF'
import { createSign } from "node:crypto";
const owner = process.env.GOCY_TXT_OWNER;
const next = "the records owned by " + owner + " stay in zone " + process.env.GOCY_DNS_ZONE + " until this succeeds: fix the cause and run pulumi destroy again";
const fail = (message) => { console.error("gocy: " + owner + ": " + message); console.error("gocy: next: " + next); process.exit(1); };
// No failure prints the key: JSON.parse quotes its input in its message, so a key that is not JSON gets a fixed
// message, and every other message has the key's text and the token masked.
let key;
try { key = JSON.parse(process.env.GOCY_GCP_KEY); } catch { fail("the DNS service account key (GOCY_GCP_KEY) is not valid JSON"); }
const secrets = [process.env.GOCY_GCP_KEY, key && key.private_key].filter((s) => typeof s === "string" && s.length > 0);
process.on("uncaughtException", (err) => {
  let text = String(err && err.message ? err.message : err);
  for (const s of secrets) text = text.split(s).join("[secret]");
  fail("DNS cleanup failed: " + text);
});
process.on("unhandledRejection", (err) => { throw err; });
const b64url = (b) => Buffer.from(b).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const claims = { iss: key.client_email, scope: "https://www.googleapis.com/auth/ndev.clouddns.readwrite", aud: key.token_uri, iat: now, exp: now + 600 };
const unsigned = b64url(JSON.stringify({ alg: "RS256", typ: "JWT" })) + "." + b64url(JSON.stringify(claims));
const assertion = unsigned + "." + createSign("RSA-SHA256").update(unsigned).sign(key.private_key, "base64url");
const tokenRes = await fetch(key.token_uri, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }) });
if (!tokenRes.ok) { fail("Google answered HTTP " + tokenRes.status + " to the token request"); }
const { access_token } = await tokenRes.json();
secrets.push(access_token);
const api = "https://dns.googleapis.com/dns/v1/projects/" + encodeURIComponent(process.env.GOCY_GCP_PROJECT) + "/managedZones/" + encodeURIComponent(process.env.GOCY_DNS_ZONE);
const auth = { authorization: "Bearer " + access_token };
const sets = [];
for (let page; ; ) {
  const res = await fetch(api + "/rrsets?maxResults=1000" + (page ? "&pageToken=" + page : ""), { headers: auth });
  if (!res.ok) { fail("Cloud DNS answered HTTP " + res.status + " listing " + process.env.GOCY_DNS_ZONE); }
  const body = await res.json();
  sets.push(...(body.rrsets ?? []));
  if (!body.nextPageToken) break;
  page = body.nextPageToken;
}
const mark = "external-dns/owner=" + owner;
const ownership = sets.filter((s) => s.type === "TXT" && (s.rrdatas ?? []).some((d) => d.includes("heritage=external-dns") && d.split(/[",]/).includes(mark)));
const owned = new Set(ownership.map((s) => s.name));
for (const t of ownership) {
  const m = /^(a|aaaa|cname)-(.+)$/.exec(t.name);
  const name = m ? m[2] : t.name;
  const kind = m ? m[1].toUpperCase() : null;
  for (const s of sets) if (s.name === name && s.type !== "TXT" && (kind === null || s.type === kind)) owned.add(s.name + "|" + s.type);
  owned.add(t.name + "|TXT");
}
const deletions = sets.filter((s) => owned.has(s.name + "|" + s.type));
if (deletions.length === 0) { console.log("gocy: no DNS records owned by " + owner); process.exit(0); }
const res = await fetch(api + "/changes", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ deletions }) });
if (!res.ok && res.status !== 404) { fail("Cloud DNS answered HTTP " + res.status + " deleting " + deletions.length + " records"); }
console.log("gocy: deleted " + deletions.map((s) => s.name + " " + s.type).join(", "));
EOF
`;
