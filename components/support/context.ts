/**
 * What every component receives from the program: the validated input and the providers built once from stack
 * config. Plain data plus explicit providers: nothing relies on ambient configuration.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as gcp from "@pulumi/gcp";
import type { Constellation } from "../../lib/constellation/model";
import type { StackConfig } from "../../lib/stack/config";
import type { InfraResources } from "../infra";

export interface Platform {
  readonly constellation: Constellation;
  readonly config: StackConfig;
  readonly clusterIds: ReadonlyMap<string, number>;
  /** The infrastructure target's resources: reservations, its API credentials, the billing check. */
  readonly infra: InfraResources;
  /** The GCP provider, built once from `gcp:project` (and `gcp:credentials` when set). */
  readonly gcp: gcp.Provider;
  /** The registrations of the Talos boot images (Image Factory schematics): machine templates come after them. */
  readonly bootImages: readonly pulumi.Resource[];
  /** The DNS service account's key JSON (secret). */
  readonly dnsKeyJson: pulumi.Output<string>;
}
