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
fail() { echo "gocy: $*" >&2; exit 1; }
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
  return `present=$(kubectl get ${kind} ${sh(name)} -n ${namespace} --ignore-not-found -o name 2>"$work/get.err") || fail "${what}: cannot ask the API server: $(head -c 300 "$work/get.err")"
`;
}

/**
 * Deletes the Equinix Metal devices carrying a tag (the last resort of a teardown). Lists the project's devices by
 * tag (GET /projects/{id}/devices?tag=…), then DELETE /devices/{id}?force_delete=true for each. Token on stdin.
 * Needs METAL_AUTH_TOKEN and GOCY_PROJECT_ID in the environment.
 * @param tagWord the tag as a bash word: a quoted literal (`sh(tag)`) or a variable (`"$tag"`).
 */
export function deleteDevicesByTag(tagWord: string): string {
  return `metal() { # metal METHOD PATH: prints the HTTP status; body in $work/body
  printf 'X-Auth-Token: %s\\n' "$METAL_AUTH_TOKEN" | curl --silent --show-error --retry 5 --retry-delay 2 --max-time 60 \\
    --output "$work/body" --write-out '%{http_code}' --request "$1" --header @- "https://api.equinix.com/metal/v1$2"
}
device_tag=${tagWord}
status=$(metal GET "/projects/$GOCY_PROJECT_ID/devices?tag=$(node -p 'encodeURIComponent(process.argv[1])' "$device_tag")&per_page=1000")
[ "$status" = 200 ] || fail "Equinix Metal API answered HTTP $status listing devices tagged $device_tag: $(head -c 300 "$work/body")"
ids=$(node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).devices||[];process.stdout.write(d.filter(x=>(x.tags||[]).includes(process.argv[2])).map(x=>x.id).join(" "))' "$work/body" "$device_tag")
for id in $ids; do
  status=$(metal DELETE "/devices/$id?force_delete=true")
  case "$status" in 204|404) echo "deleted device $id ($device_tag)" >&2 ;; *) fail "Equinix Metal API answered HTTP $status deleting device $id: $(head -c 300 "$work/body")" ;; esac
done
`;
}

/** A command's no-op update: a changed credential or setting is stored in state without running anything. */
export const NO_OP_UPDATE = `echo "gocy: nothing to run on update; the new inputs are stored for later deletes"`;
