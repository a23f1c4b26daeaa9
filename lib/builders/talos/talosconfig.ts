/**
 * The talosconfig a user takes from the stack outputs: CABPT lists every machine's addresses as endpoints, private
 * ones included, and those do not route from outside the metro, so only public endpoints are kept.
 */
import * as ipaddr from "ipaddr.js";
import { parse, stringify } from "yaml";

/** True for an endpoint that is an RFC 1918 IPv4 address (a hostname or a public address is kept). */
function isPrivate(endpoint: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(endpoint) && ipaddr.IPv4.parse(endpoint).range() === "private";
}

/** Keeps a talosconfig's public endpoints only; text that is not a talosconfig passes through unchanged. */
export function publicTalosconfig(text: string): string {
  const doc = parse(text) as { contexts?: Record<string, { endpoints?: string[] }> } | null;
  if (doc === null || typeof doc !== "object") return text;
  for (const ctx of Object.values(doc.contexts ?? {})) {
    if (ctx.endpoints) ctx.endpoints = ctx.endpoints.filter((e) => !isPrivate(e));
  }
  return stringify(doc);
}
