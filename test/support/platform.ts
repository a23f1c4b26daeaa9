/**
 * The example's Platform, built as index.ts builds it (the validated stack, the infrastructure target's resources,
 * the GCP provider), for in-process tests. Call inside `inProcess`: it registers the providers.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { validateStack } from "../../lib/stack/validate";
import { createInfra } from "../../components/infra";
import type { Platform } from "../../components/support/context";
import { exampleConfig, PROJECT_ROOT } from "../helpers";

/** The example stack validated in offline-plan mode, as `npm run plan` reads it. */
export function exampleStack(overrides: Record<string, string> = {}) {
  const config = exampleConfig({ "gocy:constellation": path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml"), ...overrides });
  return validateStack({ stack: "jupiter", mode: "offline-plan", get: (k) => config[k], has: (k) => config[k] !== undefined, stackFile: path.join(PROJECT_ROOT, "Pulumi.jupiter.yaml") });
}

export function examplePlatform(overrides: Record<string, string> = {}): Platform {
  const v = exampleStack(overrides);
  return {
    constellation: v.constellation,
    config: v.config,
    clusterIds: v.clusterIds,
    infra: createInfra(v.constellation, v.config.infraProjectId),
    gcp: new gcp.Provider("gcp", { project: v.config.gcpProject }),
    dnsKeyJson: pulumi.secret('{"type":"service_account"}'),
    bootImages: [],
  };
}
