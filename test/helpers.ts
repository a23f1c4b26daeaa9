/**
 * Shared test helpers: the example stack's config with sentinel secrets, the recording engine with no per-test
 * boilerplate, and lookups into a recording.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { TestContext } from "node:test";
import { record, PROJECT_ROOT, type RecordOptions } from "../tools/record/engine";
import { readStackFile } from "../tools/stack-file";
import type { RecordedResource, Recording } from "../tools/record/types";

export { PROJECT_ROOT };

/** Sentinel secrets: each must never appear in plain text anywhere the program writes or logs. */
export const SENTINELS = {
  "equinix-metal:authToken": "SENTINEL-equinix-token-5f1c9a",
  "gcp:credentials": '{"type":"service_account","private_key":"SENTINEL-gcp-key-77d3e1"}',
} as const;

/** The example stack's committed config plus sentinel secrets, as Pulumi hands config to a program. */
export function exampleConfig(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...readStackFile(path.join(PROJECT_ROOT, "Pulumi.jupiter.yaml")).config, ...SENTINELS, ...overrides };
}

export const EXAMPLE_IDS = { jupiter: 1, ganymede: 2, callisto: 3 } as const;

/** Records the example stack (or a variation of it). */
export function recordExample(opts: Partial<RecordOptions> & { overrides?: Record<string, string> } = {}): Promise<Recording> {
  const { overrides, ...rest } = opts;
  return record({
    config: exampleConfig(overrides),
    secretKeys: Object.keys(SENTINELS),
    clusterIds: EXAMPLE_IDS,
    cache: true,
    inProcess: true,
    ...rest,
  });
}

export function byType(rec: Recording, type: string): RecordedResource[] {
  return rec.resources.filter((r) => r.type === type);
}

export function byName(rec: Recording, name: string, type?: string): RecordedResource {
  const found = rec.resources.filter((r) => r.name === name && (type === undefined || r.type === type));
  if (found.length !== 1) throw new Error(`expected one resource named ${name}${type ? ` of type ${type}` : ""}, found ${found.length}`);
  return found[0]!;
}

/** ../shared beside the project: upstream schemas and the original's files. Absent in a user's fresh clone. */
export const SHARED = path.resolve(PROJECT_ROOT, "..", "shared");

/**
 * Skips the test when ../shared is absent, saying why. In CI (CI=true) ../shared is always present, so a skip
 * there fails the run instead of passing silently (docs/architecture.md#proving-it-offline).
 */
export function requireShared(t: TestContext): boolean {
  if (existsSync(SHARED)) return true;
  if (process.env.CI === "true") throw new Error(`../shared is missing at ${SHARED}; CI must run with it beside the project`);
  t.skip(`../shared is not beside the project (${SHARED}): upstream files are needed for this test`);
  return false;
}

export const TYPE = {
  reservation: "equinix-metal:index/reservedIpBlock:ReservedIpBlock",
  command: "command:local:Command",
  equinixProvider: "pulumi:providers:equinix-metal",
} as const;

/** Records a generated constellation of `satellites` satellites (pinned IDs), written to a temp file. */
export async function recordGenerated(satellites: number, opts: Partial<RecordOptions> = {}): Promise<Recording> {
  const { generateConstellation, generatedIds } = await import("../tools/generate-constellation");
  const { mkdirSync, renameSync, writeFileSync } = await import("node:fs");
  const { createHash } = await import("node:crypto");
  const { tmpdir } = await import("node:os");
  // A path that depends on the text alone, so that recordings of the same constellation can be reused.
  const text = generateConstellation("gen", satellites);
  const dir = path.join(tmpdir(), `gocy-gen-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "gen.constellation.yaml");
  if (!existsSync(file)) {
    writeFileSync(`${file}.${process.pid}`, text);
    renameSync(`${file}.${process.pid}`, file);
  }
  const ids = generatedIds("gen", satellites);
  return record({
    stack: "gen",
    config: exampleConfig({ "gocy:constellation": file, "gocy:clusterIds": JSON.stringify(ids) }),
    secretKeys: Object.keys(SENTINELS),
    clusterIds: ids,
    constellationName: "gen",
    cache: true,
    inProcess: true,
    ...opts,
  });
}
