/**
 * Bash functions for the Equinix Metal API (the token from METAL_AUTH_TOKEN reaches curl on standard input, never an
 * argument; bodies go to $work/body). Needs PRELUDE, METAL_AUTH_TOKEN and GOCY_PROJECT_ID.
 *   metal METHOD PATH      prints the HTTP status
 *   devices_tagged TAG…    prints "id hostname tag state" for every device of the project carrying one of the tags
 *   constellation_clusters NAME  prints the clusters whose control-plane reservations carry gocy:constellation:NAME
 *                          (their gocy:cluster: tags): which clusters a constellation has, read from Equinix itself
 *   delete_devices TAG…    deletes every device carrying one of the tags (404 counts as gone; one already
 *                          deprovisioning is left to finish)
 * A failure says that devices may still be billing and how to list them.
 */
export const METAL_FUNCTIONS = `metal() {
  local code
  : >"$work/body"
  # A request that failed part-way is 000 whatever status line arrived: its body is not to be trusted, nor printed.
  code=$(printf 'X-Auth-Token: %s\\n' "$METAL_AUTH_TOKEN" | curl --silent --show-error --retry 5 --retry-delay 2 --max-time 60 \\
    --output "$work/body" --write-out '%{http_code}' --request "$1" --header @- "https://api.equinix.com/metal/v1$2" 2>"$work/curl.err") \\
    || { code=000; cat "$work/curl.err" >"$work/body"; }
  echo "$code"
}
billing_hint() { echo "devices or addresses of project $GOCY_PROJECT_ID may still be billing: list them in the Equinix console or with curl -H \\"X-Auth-Token: \\$METAL_AUTH_TOKEN\\" https://api.equinix.com/metal/v1/projects/$GOCY_PROJECT_ID/devices"; }
# Reads an API answer without ever printing it (a device carries its user data): a fixed message when it is not JSON.
metal_json() { # metal_json FILE SCRIPT ARGS…: runs SCRIPT with the parsed answer as \`body\`
  node -e 'let body; try { body = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); } catch { console.error("gocy: the Equinix Metal API answer is not JSON"); process.exit(1); } const args = process.argv.slice(2); '"$2" "$1" "\${@:3}"
}
# Prints "id hostname tag state" for every device of the project carrying one of the tags, every page of them.
devices_tagged() {
  local status page=1 last
  : >"$work/tagged"
  while :; do
    status=$(metal GET "/projects/$GOCY_PROJECT_ID/devices?per_page=1000&page=$page")
    [ "$status" = 200 ] || fail "Equinix Metal API answered HTTP $status listing the devices of project $GOCY_PROJECT_ID: $(head -c 300 "$work/body"); $(billing_hint)"
    metal_json "$work/body" 'const want = new Set(args); for (const x of body.devices || []) { const t = (x.tags || []).find((t) => want.has(t)); if (t) console.log(x.id + " " + (x.hostname || "?") + " " + t + " " + (x.state || "?")); } console.error("last_page=" + ((body.meta && body.meta.last_page) || 1));' "$@" >>"$work/tagged" 2>"$work/meta" \\
      || fail "the Equinix Metal API answer listing the devices of project $GOCY_PROJECT_ID is not JSON; $(billing_hint)"
    last=$(sed -n 's/^last_page=//p' "$work/meta")
    [ "$page" -lt "\${last:-1}" ] || break
    page=$((page + 1))
  done
  cat "$work/tagged"
}
# The clusters of a constellation as Equinix knows them: every control-plane reservation tagged with it.
constellation_clusters() {
  local status
  status=$(metal GET "/projects/$GOCY_PROJECT_ID/ips?per_page=1000")
  [ "$status" = 200 ] || fail "Equinix Metal API answered HTTP $status listing the IP reservations of project $GOCY_PROJECT_ID: $(head -c 300 "$work/body"); $(billing_hint)"
  metal_json "$work/body" 'const c = new Set(); for (const r of body.ip_addresses || []) { const t = r.tags || []; if (t.includes("gocy:constellation:" + args[0]) && t.includes("gocy:role:cp")) for (const x of t) if (x.startsWith("gocy:cluster:")) c.add(x.slice(13)); } console.log([...c].sort().join(" "));' "$1" \\
    || fail "the Equinix Metal API answer listing the IP reservations of project $GOCY_PROJECT_ID is not JSON; $(billing_hint)"
}
# Deletes every device carrying one of the tags; a device already deprovisioning is going away and is left to it.
delete_devices() {
  local id host tag state status
  devices_tagged "$@" >"$work/devices"
  while read -r id host tag state; do
    [ -n "$id" ] || continue
    case "$state" in deprovisioning|deleted) echo "device $id ($host, $tag) is already $state" >&2; continue ;; esac
    status=$(metal DELETE "/devices/$id?force_delete=true")
    case "$status" in
      204|404) echo "deleted device $id ($host, $tag)" >&2 ;;
      *) fail "Equinix Metal API answered HTTP $status deleting device $id ($host, $tag): $(head -c 300 "$work/body"); $(billing_hint)" ;;
    esac
  done <"$work/devices"
}
`;

