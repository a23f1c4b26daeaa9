/**
 * A cluster's network services after it is ready: Cilium's cluster-wide policies (the metadata denial, always; the
 * host firewall with `firewall: true`) and the check that the mesh Service got its reserved address. Shared by the
 * barycenter and the satellites.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type * as command from "@pulumi/command";
import { names } from "../../lib/builders/names";
import { hostFirewallPolicy, metadataDenyPolicy } from "../../lib/builders/network/policies";
import { waitMeshAddressScript } from "../../lib/builders/scripts/bring-up";
import { USE_ENV_KUBECONFIG } from "../../lib/builders/scripts/self-hosting";
import type { K8sObject } from "../../lib/builders/capi/api-versions";
import type { ClusterSpec } from "../../lib/constellation/model";
import { script } from "../support/commands";
import { customObject } from "../support/custom-object";
import type { ClusterAddons } from "./addons";

export interface ClusterNetworkArgs {
  readonly cluster: ClusterSpec;
  readonly provider: k8s.Provider;
  /** The cluster's kubeconfig (secret), for the mesh address check. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly meshAddress: pulumi.Output<string>;
  readonly addons: ClusterAddons;
  /** The cluster-ready wait: Cilium's operator has registered its CRDs by then. */
  readonly ready: command.local.Command;
  readonly deletedWith: pulumi.Resource;
  readonly timeoutSeconds: number;
}

export interface ClusterNetwork {
  readonly policies: readonly k8s.apiextensions.CustomResource[];
  readonly meshAddressReady: command.local.Command;
}

export function createClusterNetwork(n: string, a: ClusterNetworkArgs, parent: pulumi.Resource): ClusterNetwork {
  const opts = { parent, provider: a.provider, deletedWith: a.deletedWith, dependsOn: [a.ready] };
  const policy = (logical: string, o: K8sObject) => customObject(logical, o, opts);
  const policies = [policy(names.metadataPolicy(n), metadataDenyPolicy()), ...(a.cluster.firewall ? [policy(names.hostFirewall(n), hostFirewallPolicy())] : [])];
  // No delete: a wait leaves nothing behind.
  const meshAddressReady = script(
    names.waitMeshAddress(n),
    { create: waitMeshAddressScript(USE_ENV_KUBECONFIG, n, a.timeoutSeconds), environment: { GOCY_KUBECONFIG: a.kubeconfig, GOCY_MESH_ADDRESS: a.meshAddress } },
    { parent, dependsOn: [a.addons.cilium, ...a.addons.metallbObjects] },
  );
  return { policies, meshAddressReady };
}
