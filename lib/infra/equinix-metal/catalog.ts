/**
 * Equinix Metal's metros and device plans, as final lists: the platform reached its end of life on 2026-06-30,
 * so no code is added to them any more. Pure data and look-ups (no Pulumi), so validation can ask before a single
 * resource is registered.
 *
 * Source of both lists: the Equinix Pulumi provider, github.com/equinix/pulumi-equinix, file provider/resources.go
 * at commit 9270063c6675b995dfd7f146203a371bd609dabf (2026-03-16, its last change before the sunset; the lists
 * themselves date from 2023-02-22 and were never changed after):
 *   - plans: the `equinix:metal:Plan` enum (18 plan slugs), copied as is;
 *   - metros: Equinix Metal metro codes are Equinix's own metro codes, lower-cased. The `equinix:metal:Facility`
 *     enum names every Metal facility with its city (e.g. "fr8" Frankfurt 8, "ewr1" Parsippany, NJ, which is the
 *     New York metro); each city's code comes from the `equinix:index:Metro` enum of the same file. 26 metros.
 * A metro or plan missing here (the provider's lists may lag the platform's last months) is allowed by naming it
 * under `unlisted` in the constellation file; see lib/constellation/schema.ts.
 */
import { closest, distance } from "fastest-levenshtein";

/** Metro code → the city Equinix names it after. Sorted by code. */
export const METROS: Readonly<Record<string, string>> = {
  am: "Amsterdam",
  at: "Atlanta",
  ch: "Chicago",
  da: "Dallas",
  dc: "Washington DC (Ashburn)",
  fr: "Frankfurt",
  he: "Helsinki",
  hk: "Hong Kong",
  la: "Los Angeles",
  ld: "London",
  ma: "Manchester",
  md: "Madrid",
  me: "Melbourne",
  mt: "Montreal",
  ny: "New York",
  os: "Osaka",
  pa: "Paris",
  se: "Seattle",
  sg: "Singapore",
  sk: "Stockholm",
  sl: "Seoul",
  sp: "São Paulo",
  sv: "Silicon Valley",
  sy: "Sydney",
  tr: "Toronto",
  ty: "Tokyo",
};

/** Device plan slugs. Sorted. */
export const PLANS: readonly string[] = [
  "a3.large.x86",
  "c2.large.arm",
  "c2.medium.x86",
  "c3.large.arm64",
  "c3.medium.x86",
  "c3.small.x86",
  "f3.large.x86",
  "f3.medium.x86",
  "g2.large.x86",
  "m2.xlarge.x86",
  "m3.large.x86",
  "m3.small.x86",
  "n2.xlarge.x86",
  "n3.xlarge.x86",
  "s3.xlarge.x86",
  "t3.small.x86",
  "x2.xlarge.x86",
  "x3.xlarge.x86",
];

import type { CatalogMiss } from "../target";

const METRO_CODES = Object.keys(METROS);

/** Null when `code` is a listed Equinix Metal metro; otherwise what was expected and the nearest metro. */
export function checkMetro(code: string): CatalogMiss | null {
  if (Object.hasOwn(METROS, code)) return null;
  return { expected: `an Equinix Metal metro code (${METRO_CODES.join(", ")})`, suggestion: nearest(code, METRO_CODES) };
}

/** Null when `slug` is a listed Equinix Metal device plan; otherwise what was expected and the nearest plan. */
export function checkPlan(slug: string): CatalogMiss | null {
  if (PLANS.includes(slug)) return null;
  return { expected: `an Equinix Metal device plan (${PLANS.join(", ")})`, suggestion: nearest(slug, PLANS) };
}

/**
 * The listed code nearest to `code`: its lower-case spelling if that is listed, else the closest by edit distance
 * when at most a third of its characters (at least one) differ. Ties go to the first in list order.
 */
function nearest(code: string, known: readonly string[]): string | undefined {
  const lower = code.toLowerCase();
  if (known.includes(lower)) return lower;
  const near = closest(lower, [...known]);
  return distance(lower, near) <= Math.max(1, Math.floor(lower.length / 3)) ? near : undefined;
}
