/**
 * The constellation's billing check: a command whose create does nothing and whose delete, the last of a destroy
 * (every device-creating and address-holding resource depends on it), asks the Equinix Metal API for anything of the
 * constellation that still bills: devices tagged `capp:cluster-id:<cluster>` for any of its clusters, and IP
 * reservations tagged `gocy:constellation:<name>` or with CAPP's `cluster-api-provider-packet:cluster-id:<cluster>`
 * (CAPP never releases an address it reserved itself). The protected anycast reservation is excepted while it is in
 * the stack (GOCY_KEEP_RESERVATION). It lists what remains with the call that removes each, and fails while anything
 * does: a destroy never ends green with machines billing.
 */
import { DELETE_NEXT_STEP, PRELUDE, sh } from "../../builders/scripts/common";
import { METAL_FUNCTIONS } from "./api-functions";
import { EQUINIX_API } from "./ip-tags-script";

export const BILLING_CHECK_CREATE = `echo "gocy: nothing to create; this command's delete checks that nothing of the constellation still bills"`;

export function billingCheckScript(constellation: string): string {
  return `${PRELUDE}${DELETE_NEXT_STEP}: "\${METAL_AUTH_TOKEN:?METAL_AUTH_TOKEN is not set}" "\${GOCY_PROJECT_ID:?}" "\${GOCY_CLUSTERS:?}"
${METAL_FUNCTIONS}listed=$(constellation_clusters ${sh(constellation)}) || exit 1
clusters=$(printf '%s\\n' $GOCY_CLUSTERS $listed | sort -u)
tags=()
for c in $clusters; do tags+=("capp:cluster-id:$c"); done
devices_tagged "\${tags[@]}" >"$work/all-devices"
# A device Equinix is already deprovisioning is going away (CAPP returns as soon as its delete is accepted): listed,
# not counted.
grep -Ev ' (deprovisioning|deleted)$' "$work/all-devices" >"$work/devices" || true
grep -E ' (deprovisioning|deleted)$' "$work/all-devices" | while read -r id host tag state; do echo "gocy: ${constellation}: device $id ($host, $tag) is $state: going away" >&2; done || true
status=$(metal GET "/projects/$GOCY_PROJECT_ID/ips?per_page=1000")
[ "$status" = 200 ] || fail "${constellation}: Equinix Metal API answered HTTP $status listing the IP reservations of project $GOCY_PROJECT_ID: $(head -c 300 "$work/body"); $(billing_hint)"
node -e '
const [file, name, keep, ...clusters] = process.argv.slice(1);
const mine = (t) => t === "gocy:constellation:" + name || clusters.some((c) => t === "cluster-api-provider-packet:cluster-id:" + c);
for (const r of JSON.parse(require("fs").readFileSync(file, "utf8")).ip_addresses || []) {
  if (r.id !== keep && (r.tags || []).some(mine)) console.log(r.id + " " + (r.address || "?") + "/" + (r.cidr ?? "?") + " " + (r.tags || []).join(","));
}' "$work/body" ${sh(constellation)} "\${GOCY_KEEP_RESERVATION:-}" $clusters >"$work/ips"
if [ -s "$work/devices" ] || [ -s "$work/ips" ]; then
  echo "gocy: ${constellation}: Pulumi's state is empty of it, but these still bill in project $GOCY_PROJECT_ID:" >&2
  while read -r id host tag state; do
    echo "  device $id ($host, $tag, $state): curl -X DELETE -H \\"X-Auth-Token: \\$METAL_AUTH_TOKEN\\" '${EQUINIX_API}/devices/$id?force_delete=true'" >&2
  done <"$work/devices"
  while read -r id address tags; do
    echo "  IP reservation $id ($address, $tags): curl -X DELETE -H \\"X-Auth-Token: \\$METAL_AUTH_TOKEN\\" '${EQUINIX_API}/ips/$id'" >&2
  done <"$work/ips"
  fail "${constellation}: $(grep -c . "$work/devices") devices and $(grep -c . "$work/ips") IP reservations are left; remove them (the calls above, or the Equinix console) or let pulumi destroy try again"
fi
echo "gocy: ${constellation}: no device or IP reservation of the constellation is left"
`;
}
