/**
 * The versions Equinix Metal's pieces are pinned to: both last releases, since the platform reached end of life on
 * 2026-06-30. Their keys in the constellation file are the original project's (`capp`, `cpem`).
 */
import type { TargetVersion } from "../target";

/** Cluster API Provider Packet (CAPP): the last release. */
export const CAPP_VERSION: TargetVersion = {
  key: "capp",
  label: "Packet",
  pin: "v0.9.0",
  rule: { minimum: "v0.9.0", fullPatch: true, why: "the manifests are written for and validated against CAPP v0.9.0's CRDs, its last release" },
};

/** Cloud Provider Equinix Metal (CPEM): the last release. */
export const CPEM_VERSION: TargetVersion = {
  key: "cpem",
  label: "CPEM",
  pin: "v3.8.1",
  rule: { minimum: "v3.8.1", fullPatch: true, why: "the cloud-provider configuration is written for CPEM v3.8.1, its last release" },
};
