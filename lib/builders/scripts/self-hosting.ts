/**
 * The barycenter takes over its own CAPI state (docs/architecture.md#the-move), and gives it back at the end: the move
 * command's delete is the barycenter's teardown. Pure text builders.
 */
import { capiNames } from "../names";
import { infra } from "../../infra";
import { DELETE_NEXT_STEP, PRELUDE, kindExists, lookUp, sh, useKind } from "./common";
import { KIND_NODE_IMAGE, clusterctlInitBody, clusterctlInitScript, type ProviderVersions } from "./bring-up";

/** Points KUBECONFIG at a cluster through a kubeconfig held in the secret environment variable GOCY_KUBECONFIG.
 * `printf` is a shell builtin: the credential passes through no process argument. */
export const USE_ENV_KUBECONFIG = `: "\${GOCY_KUBECONFIG:?GOCY_KUBECONFIG is not set}"
printf '%s\\n' "$GOCY_KUBECONFIG" >"$work/target.kubeconfig"
export KUBECONFIG="$work/target.kubeconfig"
`;

/**
 * Waits until cert-manager answers, the way clusterctl itself probes it: create a self-signed Issuer and a
 * Certificate in a scratch namespace until the Certificate is Ready (its webhook, CA injector and controller all
 * work), then remove them. Bounded.
 */
export function certManagerProbeScript(cluster: string, timeoutSeconds: number): string {
  return `${PRELUDE}${USE_ENV_KUBECONFIG}deadline=$(( $(date +%s) + ${timeoutSeconds} ))
ns=gocy-cert-manager-probe
cleanup() { kubectl delete namespace "$ns" --ignore-not-found --wait=false >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
until kubectl apply --server-side --field-manager=gocy -f - >&2 2>"$work/err" <<'EOF'
apiVersion: v1
kind: Namespace
metadata: {name: gocy-cert-manager-probe}
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: probe, namespace: gocy-cert-manager-probe}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: probe, namespace: gocy-cert-manager-probe}
spec: {dnsNames: [probe.gocy.invalid], secretName: probe-tls, issuerRef: {name: probe}}
EOF
do
  [ "$(date +%s)" -lt "$deadline" ] || fail "${cluster}: cert-manager does not answer after ${timeoutSeconds}s: $(tail -n 3 "$work/err")"
  sleep 10
done
left=$(( deadline - $(date +%s) )); [ "$left" -gt 0 ] || left=1
kubectl wait certificate/probe -n "$ns" --for=condition=Ready --timeout="\${left}s" >&2 || fail "${cluster}: cert-manager accepted but did not issue a test certificate within ${timeoutSeconds}s"
echo "${cluster}: cert-manager answers"
`;
}

/** clusterctl init on the barycenter itself, reusing the cert-manager the program installed. */
export function clusterctlInitSelfScript(cluster: string, v: ProviderVersions, timeoutSeconds: number): string {
  return clusterctlInitScript(cluster, USE_ENV_KUBECONFIG, v, { forbidCertManagerInstall: true, timeoutSeconds });
}

/**
 * `clusterctl move` of the barycenter's objects from kind onto the barycenter. Idempotent: once kind holds no
 * Cluster (moved, or kind already deleted after the adoption), there is nothing to do.
 */
export function moveScript(kindCluster: string, cluster: string, timeoutSeconds: number): string {
  const ns = capiNames.namespace;
  // Every way out checks the barycenter: it must hold its Cluster, unpaused (clusterctl deletes the source objects
  // before it unpauses the target, so an interrupted move can leave kind empty and the barycenter paused).
  const settled = `KUBECONFIG="$work/barycenter.kubeconfig" ${lookUp("cluster", cluster, ns, `${cluster} (on the barycenter)`).trimEnd()}
[ -n "$present" ] || fail "${cluster}: neither kind nor the barycenter holds its Cluster: the move cannot be completed; see docs/operations.md, Troubleshooting"
KUBECONFIG="$work/barycenter.kubeconfig" kubectl patch cluster ${sh(cluster)} -n ${ns} --type merge -p '{"spec":{"paused":false}}' --request-timeout=60s >&2 \\
  || fail "${cluster}: the barycenter holds its Cluster but it could not be unpaused"
echo "${cluster}: the barycenter manages itself"
exit 0`;
  return `${PRELUDE}${USE_ENV_KUBECONFIG}cp "$KUBECONFIG" "$work/barycenter.kubeconfig"
settled() {
${settled.replace(/^/gm, "  ")}
}
if ! ${kindExists(kindCluster)}; then
  echo "kind cluster ${kindCluster} is gone: the move happened before" >&2
  settled
fi
${useKind(kindCluster)}${lookUp("cluster", cluster, ns, cluster)}if [ -z "$present" ]; then
  echo "kind holds no Cluster ${cluster}: the move happened before" >&2
  settled
fi
# clusterctl move has no bound of its own.
timeout ${timeoutSeconds}s clusterctl move --kubeconfig "$work/kind.kubeconfig" --to-kubeconfig "$work/barycenter.kubeconfig" --namespace ${ns} >&2 \\
  || fail "${cluster}: clusterctl move failed; run pulumi up again to resume it (objects already on the barycenter are updated)"
settled
`;
}

/**
 * The barycenter's teardown (the move command's delete). The barycenter cannot delete itself: its Cluster API state
 * goes back to a throwaway kind cluster, where its Cluster is deleted (CAPI deletes workers, control plane and
 * devices, background propagation) and awaited; then the throwaway cluster is deleted. Last resort, whenever that
 * cannot finish (the barycenter does not answer, or the Cluster will not go): delete the devices the infrastructure provider tagged.
 */
export function teardownScript(cluster: string, teardownKind: string, v: ProviderVersions, timeoutSeconds: number, constellation: string): string {
  const ns = capiNames.namespace;
  return `${PRELUDE}${DELETE_NEXT_STEP}${USE_ENV_KUBECONFIG}cp "$KUBECONFIG" "$work/barycenter.kubeconfig"
${infra.api.requireCredentials}${infra.api.functions}sweep_devices() { # idempotent: whatever still carries the tag of any cluster of the constellation goes
  # The constellation's clusters as the platform knows them (their reservations' tags, which outlive this command in a
  # destroy): satellites whose Clusters were dropped from Pulumi's state (an unreachable barycenter) are swept too.
  local tags=(${sh(infra.capi.deviceTag(cluster))}) c listed
  listed=$(constellation_clusters ${sh(constellation)}) || exit 1
  for c in $listed; do tags+=("${infra.capi.deviceTag("$c")}"); done
  delete_devices "\${tags[@]}"
}
last_resort() {
  echo "gocy: ${cluster}: $1; deleting the devices of every cluster of the constellation directly" >&2
  sweep_devices
  if ${kindExists(teardownKind)}; then kind delete cluster --name ${sh(teardownKind)} >&2 || fail "${cluster}: the throwaway kind cluster ${teardownKind} could not be deleted (kind delete cluster --name ${teardownKind})"; fi
  exit 0
}
in_kind() { # sets $present: the Cluster on the throwaway kind (empty when it has none or kind is not there)
  present=""
  if ${kindExists(teardownKind)}; then
    kind get kubeconfig --name ${sh(teardownKind)} >"$work/kind.kubeconfig" || fail "${cluster}: the throwaway kind cluster ${teardownKind} does not answer"
    KUBECONFIG="$work/kind.kubeconfig" ${lookUp("cluster", cluster, ns, `${cluster} (on the throwaway kind)`).trimEnd()}
  fi
}
if ! KUBECONFIG="$work/barycenter.kubeconfig" kubectl get --raw /readyz --request-timeout=30s >/dev/null 2>&1; then
  in_kind
  [ -n "$present" ] || last_resort "the barycenter does not answer, and no earlier teardown holds its Cluster"
else
  KUBECONFIG="$work/barycenter.kubeconfig" ${lookUp("cluster", cluster, ns, `${cluster} (on the barycenter)`).trimEnd()}
  if [ -n "$present" ]; then
    # The reverse move takes the whole namespace: it must hold the barycenter's Cluster alone, or the satellites'
    # would land on a kind cluster about to be deleted (their devices orphaned). Destroy deletes them first.
    others=$(KUBECONFIG="$work/barycenter.kubeconfig" kubectl get clusters.cluster.x-k8s.io -n ${ns} -o jsonpath='{range .items[*]}{.metadata.name}{" "}{end}') \\
      || fail "${cluster}: cannot list the barycenter's Clusters"
    others=$(tr ' ' '\\n' <<<"$others" | grep -vx -- ${sh(cluster)} | grep . | tr '\\n' ' ' || true)
    [ -z "$others" ] || fail "${cluster}: the barycenter still manages $others: delete those clusters first (pulumi destroy deletes satellites before the barycenter)"
    ${kindExists(teardownKind)} || kind create cluster --name ${sh(teardownKind)} --image ${sh(KIND_NODE_IMAGE)} --kubeconfig "$work/kind.kubeconfig" --wait ${Math.min(300, timeoutSeconds)}s >&2 \\
      || last_resort "no throwaway kind cluster could be created"
    kind get kubeconfig --name ${sh(teardownKind)} >"$work/kind.kubeconfig"
    (
      export KUBECONFIG="$work/kind.kubeconfig"
${clusterctlInitBody(`${cluster} (throwaway kind)`, v, { timeoutSeconds }).replace(/^/gm, "      ")}
    ) || last_resort "clusterctl init on the throwaway kind cluster failed"
    timeout ${timeoutSeconds}s clusterctl move --kubeconfig "$work/barycenter.kubeconfig" --to-kubeconfig "$work/kind.kubeconfig" --namespace ${ns} >&2 \\
      || last_resort "moving the Cluster API state back to kind failed"
  fi
  in_kind
fi
if [ -n "$present" ]; then
  export KUBECONFIG="$work/kind.kubeconfig"
  kubectl patch cluster ${sh(cluster)} -n ${ns} --type merge -p '{"spec":{"paused":false}}' >&2 || true
  kubectl delete cluster ${sh(cluster)} -n ${ns} --cascade=background --wait --timeout=${timeoutSeconds}s >&2 \\
    || last_resort "its Cluster was not gone after ${timeoutSeconds}s"
fi
sweep_devices
if ${kindExists(teardownKind)}; then kind delete cluster --name ${sh(teardownKind)} --kubeconfig "$work/kind.kubeconfig" >&2; fi
echo "${cluster}: deleted"
`;
}

/** `clusterctl upgrade apply` on the barycenter, when the installed providers' versions differ from the constellation's:
 * the create of the upgrade command, which a provider version change replaces (its `triggers`). */
export function upgradeScript(cluster: string, v: ProviderVersions, timeoutSeconds: number): string {
  // clusterctl's inventory: one Provider object per installed provider, with its type, name and version
  // (cluster-api cmd/clusterctl/api/v1alpha3 provider_type.go). Sorted as `sort` sorts them in the C locale.
  const wanted = [`BootstrapProvider/talos=${v.cabpt}`, `ControlPlaneProvider/talos=${v.cacppt}`, `CoreProvider/cluster-api=${v.capi}`, `InfrastructureProvider/${infra.capi.clusterctlName}=${v.infrastructure}`].join(" ");
  return `${PRELUDE}${USE_ENV_KUBECONFIG}installed=$(kubectl get providers.clusterctl.cluster.x-k8s.io -A -o jsonpath='{range .items[*]}{.type}/{.providerName}={.version}{" "}{end}' 2>"$work/get.err") \\
  || fail "${cluster}: cannot list the installed Cluster API providers: $(head -c 300 "$work/get.err")"
if [ "$(tr ' ' '\\n' <<<"$installed" | grep -v '^$' | LC_ALL=C sort | tr '\\n' ' ')" = ${sh(`${wanted} `)} ]; then
  echo "${cluster}: providers already at cluster-api ${v.capi}, talos ${v.cabpt}/${v.cacppt}, ${infra.capi.clusterctlName} ${v.infrastructure}"
  exit 0
fi
${infra.capi.clusterctlCredentials}clusterctl upgrade apply --core ${sh(`cluster-api:${v.capi}`)} --bootstrap ${sh(`talos:${v.cabpt}`)} \\
  --control-plane ${sh(`talos:${v.cacppt}`)} --infrastructure ${sh(`${infra.capi.clusterctlName}:${v.infrastructure}`)} --wait-providers --wait-provider-timeout ${Math.min(900, timeoutSeconds)} >&2 \\
  || fail "${cluster}: clusterctl upgrade apply failed (see above)"
echo "${cluster}: providers at cluster-api ${v.capi}, talos ${v.cabpt}/${v.cacppt}, ${infra.capi.clusterctlName} ${v.infrastructure}"
`;
}

/** Deletes the bootstrap kind cluster once the barycenter has adopted its objects; refuses while kind still holds
 * a Cluster (the move did not complete: deleting kind then would orphan the barycenter's state). */
export function deleteKindScript(kindCluster: string, cluster: string): string {
  return `${PRELUDE}if ! ${kindExists(kindCluster)}; then echo "kind cluster ${kindCluster} is already gone"; exit 0; fi
${useKind(kindCluster)}${lookUp("cluster", cluster, capiNames.namespace, cluster)}[ -z "$present" ] || fail "${cluster}: kind still holds its Cluster: the move did not complete; not deleting kind"
kind delete cluster --name ${sh(kindCluster)} --kubeconfig "$work/kind.kubeconfig"
`;
}
