/**
 * Pieces every lifecycle script shares. Scripts are plain bash handed to @pulumi/command's local.Command with
 * `interpreter: ["/bin/bash", "-c"]`. Credentials reach them only through the environment (Pulumi secrets) or are
 * read at run time (kind's own kubeconfig); none is ever an argument, and none is printed except as the last act of
 * a script whose output is a secret.
 */
import { infra } from "../../infra";

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
 * Deletes the machines carrying a tag through the target's API (the last resort of a teardown). Needs the target's
 * credentials in the environment.
 * @param tagWord the tag as a bash word: a quoted literal (`sh(tag)`) or a variable (`"$tag"`).
 */
export function deleteDevicesByTag(tagWord: string): string {
  return `${infra.api.functions}delete_devices ${tagWord}
`;
}

/** The next step a delete script's failures name. */
export const DELETE_NEXT_STEP = `next_step="fix the cause and run pulumi destroy again: every delete checks before it acts, and what is still billing is listed above"
`;

/** A command's no-op update: a changed credential or setting is stored in state without running anything. */
export const NO_OP_UPDATE = `echo "gocy: nothing to run on update; the new inputs are stored for later deletes"`;
