/**
 * The script that sets an IP reservation's tags through the Equinix Metal API, which @pulumi/equinix-metal 2.0.0
 * cannot do (its ReservedIpBlock has no tags).
 *
 * API (equinix-sdk-go v0.42.0, metal spec): `PATCH /metal/v1/ips/{id}` (updateIPAddress) with `{"tags": [...]}`,
 * authenticated by the `X-Auth-Token` header, 200 on success; `GET /metal/v1/projects/{id}/ips` (findIPReservations)
 * lists the project's reservations. The whole tag set is sent, so running the script again converges: it is
 * idempotent. It needs no delete: the tags go with the reservation.
 *
 * With GOCY_EXCLUSIVE_TAG set (the control-plane reservation, carrying CAPP's tag), the script first refuses when
 * another reservation of the project already carries that tag: CAPP v0.9.0 looks the address up by tag alone, with
 * no metro or type filter, and takes the first match (pkg/cloud/packet/client.go, GetIPByClusterIdentifier), so a
 * leftover — e.g. an address CAPP reserved itself in an earlier attempt, which it never releases — would win.
 *
 * The token arrives only in the environment (METAL_AUTH_TOKEN, a Pulumi secret) and reaches curl on standard input
 * (`--header @-`, curl >= 7.55), never in an argument that `ps` would show; nothing the script prints contains it.
 * Bodies go to a temporary file: curl cannot retry into /dev/null (it fails to truncate it, curl/curl#17371).
 */
export const EQUINIX_API = "https://api.equinix.com/metal/v1";

export const equinixIpTagsScript = `set -euo pipefail
: "\${METAL_AUTH_TOKEN:?METAL_AUTH_TOKEN is not set}" "\${GOCY_IP_ID:?}" "\${GOCY_TAGS:?}" "\${GOCY_PROJECT_ID:?}"
body=$(mktemp)
trap 'rm -f "$body"' EXIT
api() { # api METHOD PATH [DATA]: prints the HTTP status; the response body is in $body
  printf 'X-Auth-Token: %s\\n' "$METAL_AUTH_TOKEN" | curl --silent --show-error --retry 5 --retry-delay 2 --max-time 60 \\
    --output "$body" --write-out '%{http_code}' --request "$1" --header @- --header 'Content-Type: application/json' \\
    \${3:+--data "$3"} "${EQUINIX_API}$2"
}
if [ -n "\${GOCY_EXCLUSIVE_TAG:-}" ]; then
  status=$(api GET "/projects/$GOCY_PROJECT_ID/ips?per_page=1000")
  if [ "$status" != 200 ]; then
    echo "Equinix Metal API answered HTTP $status listing the IP reservations of project $GOCY_PROJECT_ID: $(head -c 500 "$body")" >&2
    exit 1
  fi
  others=$(node -e '
    const [file, tag, self] = process.argv.slice(1);
    const list = JSON.parse(require("fs").readFileSync(file, "utf8")).ip_addresses || [];
    const hits = list.filter((r) => (r.tags || []).includes(tag) && r.id !== self).map((r) => r.id + " (" + r.address + ", " + (r.type || "?") + ")");
    process.stdout.write(hits.join(", "));' "$body" "$GOCY_EXCLUSIVE_TAG" "$GOCY_IP_ID")
  if [ -n "$others" ]; then
    echo "other IP reservations already carry $GOCY_EXCLUSIVE_TAG: $others. CAPP would take the first of them as the control-plane address; release them or remove the tag, then run pulumi up again." >&2
    exit 1
  fi
fi
status=$(api PATCH "/ips/$GOCY_IP_ID" "{\\"tags\\":$GOCY_TAGS}")
if [ "$status" != 200 ]; then
  echo "Equinix Metal API answered HTTP $status when tagging IP reservation $GOCY_IP_ID: $(head -c 500 "$body")" >&2
  exit 1
fi
echo "tagged IP reservation $GOCY_IP_ID: $GOCY_TAGS"
`;
