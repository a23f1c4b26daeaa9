/**
 * Short content hashes for Kubernetes names. Canonical JSON (keys sorted) so that the same content always hashes
 * the same, whatever order an object was built in.
 */
import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The first 8 hex digits of the SHA-256 of the canonical JSON of `values`. */
export function hash8(...values: unknown[]): string {
  return createHash("sha256").update(canonicalJson(values)).digest("hex").slice(0, 8);
}
