/**
 * Cloud Provider Equinix Metal (CPEM), written for this program from the facts of its v3.8.1 release manifest
 * (kubernetes-sigs/cloud-provider-equinix-metal deploy/template/deployment.yaml and secret.yaml at v3.8.1): a
 * DaemonSet on control-plane nodes in kube-system, its ServiceAccount, ClusterRole and binding, and the
 * `metal-cloud-config` Secret. Talos applies it as an inline manifest at bootstrap, before any CNI.
 *
 * CPEM sets each node's provider ID (`equinixmetal://<device-id>`), which CAPI needs to match Machines to Nodes,
 * and its addresses. It runs with `eipTag: ""` (Talos' VIP owns the control-plane address) and no `loadbalancer`
 * (MetalLB owns BGP peers and pools here; CPEM's MetalLB mode would write its own and fight ours). Even so, CPEM
 * enables BGP on the project at every start (metal/bgp.go, enableBGP), as CAPP does in KUBE_VIP mode: the API key
 * must be allowed to.
 */
import type { K8sObject } from "../../builders/capi/api-versions";

/**
 * CPEM's release image. v3.8.1's release workflow (.github/workflows/release.yaml) pushes
 * `quay.io/<org>/cloud-provider-equinix-metal:<tag>` (and a ghcr.io copy) and writes that reference into the release's
 * deployment.yaml, with the org taken from a repository secret, so the source does not name it; `equinix-oss` is the
 * org other installers pin for v3.8.1 (KubeOne's images.go). The release publishes no digest, so the reference stays
 * a tag: pinning a digest this program cannot check against the release would be a guess.
 */
export function cpemImage(version: string): string {
  return `quay.io/equinix-oss/cloud-provider-equinix-metal:${version}`;
}

export const CPEM_NAME = "cloud-provider-equinix-metal";
export const CPEM_SECRET = "metal-cloud-config";

export interface CpemInput {
  readonly version: string;
  readonly projectId: string;
  readonly metro: string;
  /** The API key as the manifest should carry it: CAPP's `{{ .apiKey }}` user-data variable, never a value. */
  readonly apiKeyExpression: string;
}

export function buildCpemObjects(input: CpemInput): K8sObject[] {
  const ns = "kube-system";
  const labels = { "app.kubernetes.io/name": CPEM_NAME };
  const cloudConfig = {
    apiKey: input.apiKeyExpression,
    projectID: input.projectId,
    metro: input.metro,
    // Empty: no control-plane EIP management (eip_controlplane_reconciliation.go skips it); Talos' VIP moves it.
    eipTag: "",
  };
  return [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: CPEM_SECRET, namespace: ns },
      type: "Opaque",
      stringData: { "cloud-sa.json": JSON.stringify(cloudConfig) },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: CPEM_NAME, namespace: ns } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: CPEM_NAME },
      rules: [
        { apiGroups: [""], resources: ["namespaces"], verbs: ["get"] },
        { apiGroups: [""], resources: ["endpoints", "configmaps", "events"], verbs: ["create", "get", "list", "watch", "update", "patch"] },
        { apiGroups: [""], resources: ["nodes"], verbs: ["*"] },
        { apiGroups: [""], resources: ["nodes/status"], verbs: ["patch"] },
        { apiGroups: [""], resources: ["services"], verbs: ["get", "list", "patch", "update", "watch", "create"] },
        { apiGroups: [""], resources: ["services/status"], verbs: ["list", "patch", "update", "watch"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create", "get", "list", "watch", "update", "patch"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: CPEM_NAME },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: CPEM_NAME },
      subjects: [{ kind: "ServiceAccount", name: CPEM_NAME, namespace: ns }],
    },
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: CPEM_NAME, namespace: ns, labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: CPEM_NAME,
            priorityClassName: "system-cluster-critical",
            // Before a CNI exists, only the host network works; CPEM talks to the Equinix API and the API server.
            hostNetwork: true,
            dnsPolicy: "Default",
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" }] }],
                },
              },
            },
            tolerations: [
              { key: "node.cloudprovider.kubernetes.io/uninitialized", value: "true", effect: "NoSchedule" },
              { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
              { key: "CriticalAddonsOnly", operator: "Exists" },
              { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
            ],
            containers: [
              {
                name: CPEM_NAME,
                image: cpemImage(input.version),
                command: [
                  "./cloud-provider-equinix-metal",
                  "--cloud-provider=equinixmetal",
                  "--leader-elect=true",
                  "--authentication-skip-lookup=true",
                  "--cloud-config=/etc/cloud-sa/cloud-sa.json",
                ],
                // The `kubernetes` Service's ClusterIP answers only once Cilium replaces kube-proxy; CPEM must run
                // before that (it sets the provider IDs CAPI waits for), so it talks to KubePrism, Talos' node-local
                // API server endpoint, on the host network.
                env: [
                  { name: "KUBERNETES_SERVICE_HOST", value: "127.0.0.1" },
                  { name: "KUBERNETES_SERVICE_PORT", value: "7445" },
                ],
                resources: { requests: { cpu: "100m", memory: "50Mi" } },
                volumeMounts: [{ name: "cloud-sa-volume", mountPath: "/etc/cloud-sa", readOnly: true }],
              },
            ],
            volumes: [{ name: "cloud-sa-volume", secret: { secretName: CPEM_SECRET } }],
          },
        },
      },
    },
  ];
}
