/**
 * The script that sets an IP reservation's tags through the Equinix Metal API, which @pulumi/equinix-metal 2.0.0
 * cannot do (its ReservedIpBlock has no tags).
 *
 * API: `PATCH https://api.equinix.com/metal/v1/ips/{id}` (operation updateIPAddress) with `{"tags": [...]}`,
 * authenticated by the `X-Auth-Token` header; 200 on success. The list sent is the whole set, so running the script
 * again converges to the same tags: it is idempotent. It needs no delete: the tags go with the reservation.
 *
 * The token arrives only in the environment (METAL_AUTH_TOKEN, a Pulumi secret) and reaches curl on standard input
 * (`-H @-`), never in an argument that `ps` would show; nothing the script prints contains it.
 */
export const EQUINIX_API = "https://api.equinix.com/metal/v1";

export const equinixIpTagsScript = `set -euo pipefail
: "\${METAL_AUTH_TOKEN:?METAL_AUTH_TOKEN is not set}" "\${GOCY_IP_ID:?}" "\${GOCY_TAGS:?}"
status=$(printf 'X-Auth-Token: %s\\n' "$METAL_AUTH_TOKEN" | curl --silent --show-error --retry 5 --retry-delay 2 --max-time 60 \\
  --output /dev/null --write-out '%{http_code}' --request PATCH --header @- --header 'Content-Type: application/json' \\
  --data "{\\"tags\\":$GOCY_TAGS}" "${EQUINIX_API}/ips/$GOCY_IP_ID")
if [ "$status" != 200 ]; then
  echo "Equinix Metal API answered HTTP $status when tagging IP reservation $GOCY_IP_ID" >&2
  exit 1
fi
echo "tagged IP reservation $GOCY_IP_ID: $GOCY_TAGS"
`;
