/**
 * Pieces every lifecycle script shares. Scripts are plain bash handed to @pulumi/command's local.Command with
 * `interpreter: ["/bin/bash", "-c"]`. Credentials reach them only through the environment (Pulumi secrets) or are
 * read at run time (kind's own kubeconfig); none is ever an argument, and none is printed except as the last act of
 * a script whose output is a secret.
 */

/** Quotes a value for bash (single quotes, embedded quotes escaped). */
export function sh(value: string | number): string {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/**
 * Strict mode, a temp dir removed on exit, `fail` for messages a person reads, and `kind_has`, which tells a kind
 * cluster that is gone from one that cannot be checked (docker down): the latter fails, never reads as "gone".
 * clusterctl's own release check (a network call on every run) is off.
 */
export const PRELUDE = `set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Every failure says what happened and what to do next; a script that deletes sets its own next step.
next_step="fix the cause and run pulumi up again: every step checks before it acts"
fail() { echo "gocy: $*" >&2; echo "gocy: next: $next_step" >&2; exit 1; }
# A command that fails with no fail() around it still ends with a gocy: line naming it (its text, unexpanded: no
# secret), and the next step.
trap 'rc=$?; echo "gocy: a step failed (exit $rc): $BASH_COMMAND" >&2; echo "gocy: next: $next_step" >&2' ERR
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started ))s"; }
export CLUSTERCTL_DISABLE_VERSIONCHECK=true
kind_has() { # kind_has NAME: 0 when the kind cluster exists, 1 when it does not; fails when kind cannot tell
  local list
  list=$(kind get clusters 2>"$work/kind.err") || fail "kind cannot list its clusters (is docker running?): $(head -c 300 "$work/kind.err")"
  grep -qx -- "$1" <<<"$list"
}
`;

/** Points kubectl at a kind cluster through a kubeconfig kind writes now (nothing stored); fails when it is gone. */
export function useKind(kindCluster: string): string {
  return `kind get kubeconfig --name ${sh(kindCluster)} >"$work/kind.kubeconfig" 2>/dev/null || fail "kind cluster ${kindCluster} is not running"
export KUBECONFIG="$work/kind.kubeconfig"
`;
}

/** True (exit 0) when the kind cluster exists; fails the script when kind cannot tell. */
export function kindExists(kindCluster: string): string {
  return `kind_has ${sh(kindCluster)}`;
}

/**
 * Sets `$present` to the object's name when it exists, empty when it does not; fails when the API cannot be asked
 * (an unreachable cluster must never read as "nothing there").
 */
export function lookUp(kind: string, name: string, namespace: string, what: string): string {
  return `present=$(kubectl get ${kind} ${sh(name)} -n ${namespace} --ignore-not-found -o name --request-timeout=60s 2>"$work/get.err") || fail "${what}: cannot ask the API server: $(head -c 300 "$work/get.err")"
`;
}

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

/**
 * Deletes the Equinix Metal devices carrying a tag (the last resort of a teardown). Needs METAL_AUTH_TOKEN and
 * GOCY_PROJECT_ID in the environment.
 * @param tagWord the tag as a bash word: a quoted literal (`sh(tag)`) or a variable (`"$tag"`).
 */
export function deleteDevicesByTag(tagWord: string): string {
  return `${METAL_FUNCTIONS}delete_devices ${tagWord}
`;
}

/** The next step a delete script's failures name. */
export const DELETE_NEXT_STEP = `next_step="fix the cause and run pulumi destroy again: every delete checks before it acts, and what is still billing is listed above"
`;

/** A command's no-op update: a changed credential or setting is stored in state without running anything. */
export const NO_OP_UPDATE = `echo "gocy: nothing to run on update; the new inputs are stored for later deletes"`;
