/**
 * What every component receives from the program: the validated input and the providers built once from stack
 * config. Plain data plus explicit providers: nothing relies on ambient configuration.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as metal from "@pulumi/equinix-metal";
import type * as gcp from "@pulumi/gcp";
import type { Constellation } from "../lib/spec/model";
import type { StackConfig } from "../lib/spec/stack-config";

export interface Platform {
  readonly constellation: Constellation;
  readonly config: StackConfig;
  readonly clusterIds: ReadonlyMap<string, number>;
  /** The Equinix Metal provider, built once from `equinix-metal:authToken`. */
  readonly equinix: metal.Provider;
  /** `equinix-metal:authToken`, a Pulumi secret, for the commands that call the Equinix API themselves. */
  readonly metalToken: pulumi.Output<string>;
  /** The GCP provider, built once from `gcp:project` (and `gcp:credentials` when set). */
  readonly gcp: gcp.Provider;
  /** The billing check (components/billing-check.ts): what can leave something billing depends on it. */
  readonly billingCheck?: pulumi.Resource;
  /** The registrations of the Talos boot images (Image Factory schematics): machine templates come after them. */
  readonly bootImages: readonly pulumi.Resource[];
  /** The DNS service account's key JSON (secret). */
  readonly dnsKeyJson: pulumi.Output<string>;
}
