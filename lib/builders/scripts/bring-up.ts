/**
 * The barycenter's bring-up from a local kind cluster: each step one script, each safe to run again after a
 * partial failure (it checks before it acts), each bounded in time, each failure a message that names the cluster
 * and what is not ready. Pure text builders: the component decides when each runs.
 */
import { capiNames } from "../names";
import { infra } from "../../infra";
import type { Constellation } from "../../constellation/model";
import { DELETE_NEXT_STEP, PRELUDE, deleteDevicesByTag, kindExists, lookUp, sh, useKind } from "./common";

/** kind v0.31.0's node image for Kubernetes v1.33.7, pinned by digest (kind release notes). */
export const KIND_NODE_IMAGE = "kindest/node:v1.33.7@sha256:d26ef333bdb2cbe9862a0f7c3803ecc7b4303d8cea8e814b481b09949d353040";
/** The kind release that publishes KIND_NODE_IMAGE; older kind may not run it. */
export const KIND_MIN_VERSION = "v0.31.0";

/** The Cluster API providers' versions, as the constellation pins them (core, Talos bootstrap and control plane,
 * and the infrastructure target's provider). */
export type ProviderVersions = Constellation["versions"];

/** Creates the kind cluster unless it exists. Its kubeconfig goes to a temp file: the user's is left alone. */
export function kindCreateScript(kindCluster: string, timeoutSeconds: number): string {
  // An interrupted `kind create` leaves a cluster kind lists but that never answers: counting it as created would
  // fail every later step with no hint, so it must answer.
  return `${PRELUDE}if ${kindExists(kindCluster)}; then
  kind get kubeconfig --name ${sh(kindCluster)} >"$work/kind.kubeconfig" 2>"$work/kind.err" \\
    && KUBECONFIG="$work/kind.kubeconfig" kubectl get --raw /readyz --request-timeout=30s >/dev/null 2>"$work/kind.err" \\
    || { next_step="delete it (kind delete cluster --name ${kindCluster}) and run pulumi up again"; fail "kind cluster ${kindCluster} exists but does not answer (an interrupted kind create leaves it so): $(head -c 300 "$work/kind.err")"; }
  echo "kind cluster ${kindCluster} already exists and answers"
else
  kind create cluster --name ${sh(kindCluster)} --image ${sh(KIND_NODE_IMAGE)} --kubeconfig "$work/kind.kubeconfig" --wait ${Math.min(300, timeoutSeconds)}s >&2 \\
    || { next_step="if kind lists ${kindCluster} now, delete it (kind delete cluster --name ${kindCluster}); then run pulumi up again"; fail "kind could not create the bootstrap cluster ${kindCluster} (is docker running, with room for a node?)"; }
fi
`;
}

/**
 * Deletes the kind cluster, succeeding when it is already gone. A kind cluster that still holds Cluster API
 * Clusters (a bring-up that failed before its apply was recorded) has them deleted first, unpaused, with their
 * devices, and as the last resort their devices deleted by the infrastructure provider's tag: deleting kind must
 * never orphan machines. Needs the target's credentials in the environment for the last resort.
 */
export function kindDeleteScript(kindCluster: string, timeoutSeconds: number): string {
  return `${PRELUDE}${DELETE_NEXT_STEP}if ! ${kindExists(kindCluster)}; then
  echo "kind cluster ${kindCluster} is already gone"
  exit 0
fi
${useKind(kindCluster)}clusters=$(kubectl get clusters.cluster.x-k8s.io -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}' 2>"$work/get.err") \
  || { grep -q "the server doesn't have a resource type" "$work/get.err" || fail "kind cluster ${kindCluster}: cannot list its Clusters: $(head -c 300 "$work/get.err")"; clusters=""; }
for c in $clusters; do
  ns=\${c%%/*}; name=\${c#*/}
  echo "kind still holds Cluster $name: deleting it and its devices before kind" >&2
  kubectl patch cluster "$name" -n "$ns" --type merge -p '{"spec":{"paused":false}}' >&2 || true
  if ! kubectl delete cluster "$name" -n "$ns" --cascade=background --wait --timeout=${timeoutSeconds}s >&2; then
    ${infra.api.requireCredentials}${deleteDevicesByTag(`"${infra.capi.deviceTag("$name")}"`).replace(/^/gm, "    ")}
  fi
done
kind delete cluster --name ${sh(kindCluster)} --kubeconfig "$work/kind.kubeconfig"
`;
}


/**
 * `clusterctl init` with the pinned providers, installing only those not yet there (a second run after a partial
 * failure picks up where the first stopped). The infrastructure provider takes its credentials from clusterctl
 * variables the target sets from the secret environment; GITHUB_TOKEN, when the pulumi process has it, is inherited.
 * @param kubeconfigSetup the lines that point KUBECONFIG at the target cluster.
 */
export function clusterctlInitScript(target: string, kubeconfigSetup: string, v: ProviderVersions, opts: { forbidCertManagerInstall?: boolean; timeoutSeconds: number }): string {
  return `${PRELUDE}${kubeconfigSetup}${clusterctlInitBody(target, v, opts)}`;
}

/** The body of clusterctlInitScript, for scripts that set KUBECONFIG themselves (needs PRELUDE and the target's credentials). */
export function clusterctlInitBody(target: string, v: ProviderVersions, opts: { forbidCertManagerInstall?: boolean; timeoutSeconds: number }): string {
  const wait = Math.min(900, opts.timeoutSeconds);
  // clusterctl must reuse the cert-manager this program installed. It installs its own when it finds none, labelled
  // clusterctl.cluster.x-k8s.io/core=cert-manager (cluster-api cmd/clusterctl/client/cluster/cert_manager.go): one
  // found from an earlier run is refused too. An API server that does not answer is said as such, never as
  // "cert-manager is missing".
  const guard = opts.forbidCertManagerInstall
    ? `webhook=$(kubectl get deployment cert-manager-webhook -n cert-manager --ignore-not-found -o jsonpath='{.metadata.name}/{.metadata.labels.clusterctl\\.cluster\\.x-k8s\\.io/core}' 2>"$work/cm.err") \\
  || fail "${target}: cannot ask the API server whether cert-manager runs: $(head -c 300 "$work/cm.err")"
[ -n "$webhook" ] || fail "${target}: cert-manager is not in namespace cert-manager; clusterctl would install its own"
[ "$webhook" != "cert-manager-webhook/cert-manager" ] || fail "${target}: the cert-manager in namespace cert-manager is clusterctl's own (an earlier run installed it), not the program's"
`
    : "";
  return `${infra.capi.clusterctlCredentials}${guard}installed=$(kubectl get providers.clusterctl.cluster.x-k8s.io -A -o jsonpath='{range .items[*]}{.type}/{.providerName}{"\\n"}{end}' 2>/dev/null || true)
args=()
grep -qx 'CoreProvider/cluster-api' <<<"$installed" || args+=(--core ${sh(`cluster-api:${v.capi}`)})
grep -qx 'BootstrapProvider/talos' <<<"$installed" || args+=(--bootstrap ${sh(`talos:${v.cabpt}`)})
grep -qx 'ControlPlaneProvider/talos' <<<"$installed" || args+=(--control-plane ${sh(`talos:${v.cacppt}`)})
grep -qx 'InfrastructureProvider/${infra.capi.clusterctlName}' <<<"$installed" || args+=(--infrastructure ${sh(`${infra.capi.clusterctlName}:${v.infrastructure}`)})
if [ \${#args[@]} -eq 0 ]; then
  echo "${target}: every Cluster API provider is installed" >&2
else
  clusterctl init "\${args[@]}" --wait-providers --wait-provider-timeout ${wait} 2>&1 | tee "$work/init.log" >&2 || fail "${target}: clusterctl init failed (see above)"
${opts.forbidCertManagerInstall ? `  if grep -q 'Installing cert-manager' "$work/init.log"; then fail "${target}: clusterctl installed its own cert-manager"; fi\n` : ""}fi
# clusterctl records a provider before it waits for it: after a timed-out first run every provider "is installed",
# so wait for their controllers here, every time.
kubectl wait deployment -A -l cluster.x-k8s.io/provider --for=condition=Available --timeout=${wait}s >&2 2>"$work/wait.err" || fail "${target}: the Cluster API providers are not available (the wait ended after $(elapsed) of ${wait}s): $(head -c 300 "$work/wait.err")"
echo "${target}: Cluster API providers ready" >&2
`;
}

/** Applies the barycenter's CAPI objects (standard input) to kind. Server-side apply: a second run converges. */
export function applyToKindScript(kindCluster: string, cluster: string): string {
  // Retried, bounded: right after clusterctl init the providers' webhooks may not serve yet (their CA is injected
  // after the controllers report Available), and the apply is idempotent.
  return `${PRELUDE}${useKind(kindCluster)}cat >"$work/manifest.yaml"
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if kubectl apply --server-side --force-conflicts --field-manager=gocy --request-timeout=120s -f "$work/manifest.yaml" 2>"$work/apply.err"; then exit 0; fi
  echo "gocy: ${cluster}: apply attempt $attempt failed, retrying: $(head -c 300 "$work/apply.err")" >&2
  sleep 15
done
fail "${cluster}: applying the Cluster API objects to kind failed: $(head -c 500 "$work/apply.err")"
`;
}

/**
 * The apply command's delete: real work only while the move has not happened (a first `up` that failed before the
 * move must not leave devices billing). If kind still holds the barycenter's Cluster: unpause it (an interrupted move
 * leaves it paused), delete it with background propagation and wait, bounded; if that fails, delete the devices
 * the infrastructure provider tagged. After a move kind holds nothing (or is gone) and this succeeds at once.
 */
export function applyDeleteScript(kindCluster: string, cluster: string, timeoutSeconds: number): string {
  const ns = capiNames.namespace;
  const tag = sh(infra.capi.deviceTag(cluster));
  // Kind no longer holding the Cluster means a move took it. In a destroy the move's own delete (the teardown) runs
  // before this one and leaves no device behind; devices still here mean the move is not in Pulumi's state (it
  // failed after removing the Cluster from kind) or its teardown never ran: nothing else would delete them.
  const leftBehind = `devices_tagged ${tag} >"$work/left"
  if [ -s "$work/left" ]; then
    echo "gocy: ${cluster}: kind no longer holds its Cluster, but devices tagged ${infra.capi.deviceTag(cluster)} still exist: a move that failed after taking the Cluster from kind (so its teardown is not in Pulumi's state) left them; deleting them" >&2
    delete_devices ${tag}
  fi`;
  return `${PRELUDE}${DELETE_NEXT_STEP}${infra.api.requireCredentials}${infra.api.functions}if ! ${kindExists(kindCluster)}; then
  ${leftBehind}
  echo "kind cluster ${kindCluster} is gone and no device of ${cluster} is left: nothing to delete"
  exit 0
fi
${useKind(kindCluster)}${lookUp("cluster", cluster, ns, cluster)}if [ -z "$present" ]; then
  ${leftBehind}
  echo "kind holds no Cluster ${cluster} and no device of it is left: nothing to delete"
  exit 0
fi
echo "kind still holds Cluster ${cluster} (the move never happened): deleting it and its devices" >&2
kubectl patch cluster ${sh(cluster)} -n ${ns} --type merge -p '{"spec":{"paused":false}}' >&2 || true
if kubectl delete cluster ${sh(cluster)} -n ${ns} --cascade=background --wait --timeout=${timeoutSeconds}s >&2 2>"$work/delete.err"; then
  # A Cluster a partial move left on kind may have its Machines on the barycenter already: its devices then stay.
  ${leftBehind}
  echo "deleted Cluster ${cluster}"
  exit 0
fi
echo "gocy: ${cluster}: deleting its Cluster failed after $(elapsed) (bound ${timeoutSeconds}s): $(head -c 300 "$work/delete.err"); deleting the devices tagged ${infra.capi.deviceTag(cluster)} directly" >&2
delete_devices ${tag}
`;
}

/**
 * Waits for CAPI's ControlPlaneInitialized: the first control-plane node is up and CAPI wrote the cluster's
 * kubeconfig. Never waits for workers or control-plane readiness here: nodes stay NotReady until a CNI runs, and the
 * CNI comes after this (docs/architecture.md#waits-and-the-deadlock-they-avoid). Prints the Cluster's UID, the reads' ids.
 */
export function waitInitializedScript(kubeconfigSetup: string, cluster: string, timeoutSeconds: number): string {
  const ns = capiNames.namespace;
  return `${PRELUDE}${kubeconfigSetup}if ! kubectl wait --for=condition=ControlPlaneInitialized cluster/${sh(cluster)} -n ${ns} --timeout=${timeoutSeconds}s >&2 2>"$work/wait.err"; then
  echo "gocy: ${cluster}: the control plane is not initialized; the wait ended after $(elapsed) of ${timeoutSeconds}s: $(head -c 300 "$work/wait.err")" >&2
  echo "gocy: next: see the Cluster's conditions and machines below, fix the cause and run pulumi up again. Cluster conditions:" >&2
  kubectl get cluster ${sh(cluster)} -n ${ns} -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason} {.message}{"\\n"}{end}' >&2 || true
  echo "gocy: machines:" >&2
  kubectl get machines -n ${ns} -l cluster.x-k8s.io/cluster-name=${sh(cluster)} >&2 || true
  exit 1
fi
kubectl get cluster ${sh(cluster)} -n ${ns} -o jsonpath='{.metadata.uid}'
`;
}

/**
 * Waits until the cluster is ready: the TalosControlPlane reports ready and every MachineDeployment is Available.
 * Runs after the CNI (nodes are NotReady before it).
 */
export function waitReadyScript(kubeconfigSetup: string, cluster: string, controlPlaneReplicas: number, machineDeployments: readonly string[], timeoutSeconds: number): string {
  const ns = capiNames.namespace;
  const cp = capiNames.controlPlane(cluster);
  const mds = machineDeployments.map((md) => `wait_for machinedeployment/${sh(md)} --for=condition=Available`).join("\n");
  return `${PRELUDE}${kubeconfigSetup}deadline=$(( $(date +%s) + ${timeoutSeconds} ))
notready=()
wait_for() { # wait_for OBJECT CONDITION: within what is left of the deadline
  local left=$(( deadline - $(date +%s) )); [ "$left" -gt 0 ] || left=1
  kubectl wait "$1" -n ${ns} "$2" --timeout="\${left}s" >&2 2>>"$work/wait.err" || notready+=("$1")
}
wait_for taloscontrolplane/${sh(cp)} --for=jsonpath='{.status.ready}'=true
# CACPPT reports ready once one control-plane node is; wait for all of them.
wait_for taloscontrolplane/${sh(cp)} --for=jsonpath='{.status.readyReplicas}'=${controlPlaneReplicas}
${mds}
if [ \${#notready[@]} -gt 0 ]; then
  fail "${cluster}: not ready: \${notready[*]} (the waits ended after $(elapsed) of ${timeoutSeconds}s): $(tail -c 400 "$work/wait.err")"
fi
echo "${cluster}: control plane ready, every MachineDeployment available"
`;
}

/** Lines that point KUBECONFIG at a workload cluster through CAPI's `<cluster>-kubeconfig` secret on kind. */
export function useCapiKubeconfigFromKind(kindCluster: string, cluster: string): string {
  return `${useKind(kindCluster)}kubectl get secret ${sh(capiNames.kubeconfigSecret(cluster))} -n ${capiNames.namespace} -o go-template='{{index .data "value" | base64decode}}' >"$work/cluster.kubeconfig" \\
  || fail "${cluster}: no ${capiNames.kubeconfigSecret(cluster)} secret on kind yet"
export KUBECONFIG="$work/cluster.kubeconfig"
`;
}

/** The ServiceAccount whose token is the barycenter's long-lived credential. */
export const ADMIN_ACCOUNT = { name: "gocy-admin", namespace: "kube-system", secret: "gocy-admin-token" } as const;

/**
 * Mints the barycenter's long-lived credential (docs/architecture.md#kubeconfig-lifetime): CAPI's admin kubeconfig (client
 * certificate, one year) read from kind, a ServiceAccount bound to cluster-admin with a token Secret created on the
 * barycenter, and as the last act a kubeconfig with that token printed (a secret output). Idempotent: apply, then
 * read. The token never passes through an argument.
 */
export function mintCredentialScript(kindCluster: string, cluster: string, timeoutSeconds: number): string {
  const a = ADMIN_ACCOUNT;
  return `${PRELUDE}${useCapiKubeconfigFromKind(kindCluster, cluster)}deadline=$(( $(date +%s) + ${timeoutSeconds} ))
until kubectl get --raw /readyz >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "${cluster}: the API server did not answer within ${timeoutSeconds}s"
  sleep 10
done
kubectl apply --server-side --field-manager=gocy -f - >&2 <<'EOF'
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${a.name}, namespace: ${a.namespace}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${a.name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ${a.name}, namespace: ${a.namespace}}]
---
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata: {name: ${a.secret}, namespace: ${a.namespace}, annotations: {kubernetes.io/service-account.name: ${a.name}}}
EOF
until [ -n "$(kubectl get secret ${a.secret} -n ${a.namespace} -o jsonpath='{.data.token}' 2>/dev/null)" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "${cluster}: the token of ${a.namespace}/${a.secret} was not issued within ${timeoutSeconds}s"
  sleep 2
done
server=$(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.server}')
ca=$(kubectl config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
token=$(kubectl get secret ${a.secret} -n ${a.namespace} -o go-template='{{index .data "token" | base64decode}}')
cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: ${cluster}
  cluster: {server: "$server", certificate-authority-data: "$ca"}
users:
- name: ${a.name}@${cluster}
  user: {token: "$token"}
contexts:
- name: admin@${cluster}
  context: {cluster: ${cluster}, user: ${a.name}@${cluster}}
current-context: admin@${cluster}
EOF
`;
}

/**
 * Waits until the clustermesh-apiserver's LoadBalancer Service holds the cluster's reserved mesh address (MetalLB
 * announces it over BGP). Cilium's release is not awaited on it, so this is the check. Bounded.
 */
export function waitMeshAddressScript(kubeconfigSetup: string, cluster: string, timeoutSeconds: number): string {
  return `${PRELUDE}${kubeconfigSetup}: "\${GOCY_MESH_ADDRESS:?}"
deadline=$(( $(date +%s) + ${timeoutSeconds} ))
until [ "$(kubectl get service clustermesh-apiserver -n kube-system -o jsonpath='{.status.loadBalancer.ingress[0].ip}' 2>/dev/null)" = "$GOCY_MESH_ADDRESS" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "${cluster}: the clustermesh-apiserver Service did not get the mesh address $GOCY_MESH_ADDRESS within ${timeoutSeconds}s (is MetalLB announcing it? kubectl -n metallb-system get bgppeers,ipaddresspools)"
  sleep 10
done
echo "${cluster}: clustermesh-apiserver on $GOCY_MESH_ADDRESS"
`;
}

/**
 * Verifies one cluster's side of the mesh with the cilium CLI: `cilium clustermesh status --wait` (bounded), then
 * every expected peer (GOCY_MESH_PEERS, JSON name → mesh address) must be listed with all its nodes configured and
 * connected. A failure names the pair.
 */
export function meshVerifyScript(kubeconfigSetup: string, cluster: string, timeoutSeconds: number): string {
  return `${PRELUDE}${kubeconfigSetup}: "\${GOCY_MESH_PEERS:?}"
cilium clustermesh status --namespace kube-system --wait --wait-duration ${timeoutSeconds}s >"$work/status" 2>&1 || true
node -e '
const text = require("fs").readFileSync(process.argv[1], "utf8");
const peers = JSON.parse(process.argv[2]);
const bad = [];
for (const [peer, address] of Object.entries(peers)) {
  const m = new RegExp("^\\\\s*-\\\\s*" + peer.replace(/[-]/g, "\\\\-") + ":\\\\s*(\\\\d+)/(\\\\d+) configured,\\\\s*(\\\\d+)/(\\\\d+) connected", "m").exec(text);
  if (!m) bad.push(process.argv[3] + " -> " + peer + " (" + address + "): not listed");
  else if (m[1] !== m[2] || m[3] !== m[4] || m[2] === "0") bad.push(process.argv[3] + " -> " + peer + " (" + address + "): " + m[3] + "/" + m[4] + " nodes connected");
}
if (bad.length) { console.error("gocy: Cluster Mesh not connected: " + bad.join("; ")); console.error(text.split("\\n").slice(-15).join("\\n")); process.exit(1); }
console.log(process.argv[3] + ": connected to " + Object.keys(peers).join(", "));
' "$work/status" "$GOCY_MESH_PEERS" ${sh(cluster)}
`;
}

/**
 * From the barycenter, which runs no whoami pods, requests to the whoami global service cross the mesh: a probe pod
 * (labelled so the satellites' policy admits it) asks until every satellite has answered, bounded. Failure names
 * the satellites that never answered.
 */
export function whoamiAcrossMeshScript(kubeconfigSetup: string, cluster: string, satellites: readonly string[], image: string, timeoutSeconds: number): string {
  const url = `http://whoami.whoami.svc.${cluster}.local/`;
  return `${PRELUDE}${kubeconfigSetup}pod=gocy-mesh-probe
kubectl delete pod "$pod" -n kube-system --ignore-not-found --wait=true --timeout=${Math.min(120, timeoutSeconds)}s >/dev/null 2>&1 || true
kubectl run "$pod" -n kube-system --restart=Never --image=${sh(image)} --labels=app.kubernetes.io/name=gocy-mesh-probe \\
  --command -- sh -c ${sh(`end=$(( $(date +%s) + ${timeoutSeconds} )); while [ $(date +%s) -lt $end ]; do curl -s --max-time 5 ${url} | head -1; sleep 1; done`)} >&2
trap 'kubectl delete pod "$pod" -n kube-system --ignore-not-found --wait=false >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
deadline=$(( $(date +%s) + ${timeoutSeconds} ))
missing=(${satellites.map((s) => sh(s)).join(" ")})
while [ "$(date +%s)" -lt "$deadline" ]; do
  answers=$(kubectl logs "$pod" -n kube-system 2>/dev/null || true)
  still=()
  for s in "\${missing[@]}"; do grep -qx "Name: $s" <<<"$answers" || still+=("$s"); done
  missing=("\${still[@]}")
  [ \${#missing[@]} -gt 0 ] || break
  sleep 10
done
[ \${#missing[@]} -eq 0 ] || fail "${cluster}: requests to the whoami global service never reached \${missing[*]} through the mesh within ${timeoutSeconds}s"
echo "${cluster}: the whoami global service answered from ${satellites.join(", ")} through the mesh"
`;
}
