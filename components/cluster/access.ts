/**
 * A cluster's kubeconfig and talosconfig, read from its management side on every `up` (docs/architecture.md#kubeconfig-lifetime:
 * CAPI's client certificates last a year and are rotated in place, so a copy read once goes stale).
 * Each read takes its id from a value that stays unknown until the target exists, so a first preview never runs it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { publicTalosconfig } from "../../lib/builders/talos/talosconfig";
import { capiNames, names } from "../../lib/builders/names";

export interface ClusterAccess {
  readonly kubeconfig: pulumi.Output<string>;
  readonly talosconfig: pulumi.Output<string>;
}

export interface ClusterAccessArgs {
  /** The resource whose completion means the secrets exist (a wait command, the adopted Cluster). */
  readonly after: pulumi.CustomResource;
  /** A value that stays unknown in a preview until `after` exists: the reads' ids derive from it. */
  readonly existsWhen: pulumi.Output<unknown>;
  /** The provider of the cluster's management side. */
  readonly provider: k8s.Provider;
}

/** @param cluster the cluster whose kubeconfig and talosconfig are read. */
export function createClusterAccess(cluster: string, a: ClusterAccessArgs, parent: pulumi.Resource): ClusterAccess {
  const { after, existsWhen, provider } = a;
  const id = (secret: string) => existsWhen.apply(() => `${capiNames.namespace}/${secret}`);
  const read = (logical: string, secret: string) => k8s.core.v1.Secret.get(logical, id(secret), { provider, parent, dependsOn: [after] });
  // A missing key is an error, never an empty kubeconfig (an empty one would let the provider fall back to
  // whatever ambient kubeconfig the machine has).
  const decode = (s: k8s.core.v1.Secret, key: string) =>
    pulumi.secret(
      pulumi.all([s.metadata, s.data]).apply(([m, d]) => {
        const value = d?.[key];
        if (!value) throw new Error(`${m?.namespace ?? ""}/${m?.name ?? ""} holds no ${key}`);
        return Buffer.from(value, "base64").toString("utf8");
      }),
    );
  const kubeconfig = decode(read(names.kubeconfigRead(cluster), capiNames.kubeconfigSecret(cluster)), "value");
  const talosconfig = pulumi.secret(decode(read(names.talosconfigRead(cluster), capiNames.talosconfigSecret(cluster)), "talosconfig").apply(publicTalosconfig));
  return { kubeconfig, talosconfig };
}
