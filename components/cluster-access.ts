/**
 * A cluster's kubeconfig and talosconfig, read from its management side on every `up` (docs/architecture.md#kubeconfig-lifetime:
 * CAPI's client certificates last a year and are rotated in place, so a copy read once goes stale).
 * Each read takes its id from a value that stays unknown until the target exists, so a first preview never runs it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { parse, stringify } from "yaml";
import { capiNames, names } from "../lib/builders/names";

export interface ClusterAccess {
  readonly kubeconfig: pulumi.Output<string>;
  readonly talosconfig: pulumi.Output<string>;
}

const PRIVATE = [/^10\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./];

/** Keeps a talosconfig's public endpoints only: CABPT lists the machines' addresses, private ones included, and
 * those do not route from outside the metro. */
export function publicTalosconfig(text: string): string {
  const doc = parse(text) as { contexts?: Record<string, { endpoints?: string[] }> } | null;
  if (doc === null || typeof doc !== "object") return text;
  for (const ctx of Object.values(doc.contexts ?? {})) {
    if (ctx.endpoints) ctx.endpoints = ctx.endpoints.filter((e) => !PRIVATE.some((re) => re.test(e)));
  }
  return stringify(doc);
}

/**
 * @param after the resource whose completion means the secrets exist (a wait command, the adopted Cluster): the
 *   read's id derives from its outputs, which stay unknown in a preview until it exists, and it is a dependency.
 */
export function readClusterAccess(cluster: string, after: pulumi.CustomResource & { readonly urn: pulumi.Output<string> }, existsWhen: pulumi.Output<unknown>, provider: k8s.Provider, parent: pulumi.Resource): ClusterAccess {
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
