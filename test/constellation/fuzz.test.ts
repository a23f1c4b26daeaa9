/**
 * Property-based fuzzing of the loader: random mutations of the example file never make it throw anything but a
 * clean InputError, and it never accepts overlapping CIDRs or duplicate cluster names.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { parse, stringify } from "yaml";
import { parseConstellation } from "../../lib/constellation/load";
import { InputError } from "../../lib/constellation/problems";
import { allClusters } from "../../lib/constellation/model";
import { PROJECT_ROOT } from "../helpers";

const example = parse(readFileSync(path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml"), "utf8")) as Record<string, unknown>;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value in the document. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(doc: Json, at: (string | number)[], value: Json | undefined): Json {
  const copy = structuredClone(doc);
  if (at.length === 0) return value ?? null;
  let cur: any = copy;
  for (const seg of at.slice(0, -1)) cur = cur[seg];
  const last = at[at.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
  return copy;
}

const replacement: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.integer({ min: -3, max: 300 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("172.16.0.0/17", "172.17.0.0/16", "172.18.64.0/18", "10.0.0.0/8", "0.0.0.0/0", "ganymede", "jupiter", "global_ipv4", "public_ipv4", "cp", "mesh", "ingress", "v1.10.10", "v1.4", "m3.small.x86", "x"),
  fc.constant([] as Json[]),
  fc.constant({}),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const allPaths = paths(example as Json);
const mutation = fc.array(fc.tuple(fc.constantFrom(...allPaths), replacement), { minLength: 1, maxLength: 4 });

test("random mutations of the example either load cleanly or fail with a clean InputError", () => {
  fc.assert(
    fc.property(mutation, (edits) => {
      let doc = example as Json;
      for (const [at, value] of edits) {
        try {
          doc = setAt(doc, at, value);
        } catch {
          // The path vanished with an earlier edit: skip this edit.
        }
      }
      let text: string;
      try {
        text = stringify(doc);
      } catch {
        return;
      }
      try {
        const { constellation } = parseConstellation("fuzz.yaml", text);
        const clusters = allClusters(constellation);
        const names = clusters.map((c) => c.name);
        assert.equal(new Set(names).size, names.length, "duplicate cluster names accepted");
        const blocks = clusters.flatMap((c) => [...c.podCidrs, ...c.serviceCidrs]).map((b) => ipaddr.IPv4.parseCIDR(b));
        for (let i = 0; i < blocks.length; i++)
          for (let j = i + 1; j < blocks.length; j++) {
            const [a, b] = [blocks[i]!, blocks[j]!];
            assert.ok(!a[0].match(b) && !b[0].match(a), "overlapping CIDRs accepted");
          }
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        for (const line of err.message.split("\n")) {
          assert.match(line, /^fuzz\.yaml(:\d+:\d+)?  /, `every problem line names the file: ${line}`);
        }
      }
    }),
    { numRuns: 600, seed: 20261125 },
  );
});

test("CIDR overlap is symmetric and matches address arithmetic", () => {
  const cidr = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 8, max: 30 })).map(([n, bits]) => {
    const net = ((n >>> (32 - bits)) << (32 - bits)) >>> 0;
    return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join(".")}/${bits}`;
  });
  // Independent blocks rarely overlap, so half the pairs are a block and one inside or around it.
  const toCidr = (net: number, bits: number) => `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join(".")}/${bits}`;
  const related = fc.tuple(cidr, fc.integer({ min: -6, max: 6 }), fc.boolean()).map(([a, delta, swap]) => {
    const [addr, bits] = ipaddr.IPv4.parseCIDR(a);
    const nb = Math.min(30, Math.max(8, bits + delta));
    const n = addr.toByteArray().reduce((x, y) => x * 256 + y, 0);
    const b = toCidr(nb === 32 ? n : ((n >>> (32 - nb)) << (32 - nb)) >>> 0, nb);
    return (swap ? [b, a] : [a, b]) as [string, string];
  });
  fc.assert(
    fc.property(fc.oneof(fc.tuple(cidr, cidr), related), ([a, b]) => {
      const base = structuredClone(example) as any;
      base.bary.pod_cidr_blocks = [a];
      base.bary.service_cidr_blocks = [b];
      base.satellites = [];
      const range = (c: string) => {
        const [addr, bits] = ipaddr.IPv4.parseCIDR(c);
        const start = addr.toByteArray().reduce((x, y) => x * 256 + y, 0);
        return [start, start + 2 ** (32 - bits) - 1] as const;
      };
      const [ra, rb] = [range(a), range(b)];
      const overlaps = ra[0] <= rb[1] && rb[0] <= ra[1];
      let refused = false;
      try {
        parseConstellation("p.yaml", stringify(base));
      } catch (err) {
        refused = err instanceof InputError && /overlap/.test(err.message);
      }
      assert.equal(refused, overlaps, `${a} vs ${b}`);
    }),
    { numRuns: 300, seed: 7 },
  );
});
