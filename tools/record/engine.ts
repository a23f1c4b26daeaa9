/**
 * The recording engine (docs/architecture.md#proving-it-offline), shared by the tests, the plan and the benchmark: it runs the real
 * index.ts for a stack, a config and a constellation, in update or preview mode, and returns every registered
 * resource. Each evaluation runs in a worker process of its own, so the Pulumi runtime starts clean every time; the
 * tests may ask for it in their own process instead (`inProcess`), which skips a process start, the SDK's load and
 * the program's for every recording.
 */
import { runNode } from "../run-node";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Recording } from "./types";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export interface RecordOptions {
  /** @default "jupiter" */
  readonly stack?: string;
  /** The program to record, a module exporting it as index.ts does. @default the project's index.ts */
  readonly program?: string;
  /** Config as Pulumi hands it to a program: full keys (`gocy:domain`) → strings (objects as JSON). */
  readonly config: Readonly<Record<string, string>>;
  /** Keys of `config` that are secrets. */
  readonly secretKeys?: readonly string[];
  /** Preview mode: ids and computed outputs unknown, as for a fresh stack. @default false */
  readonly preview?: boolean;
  /** Tell the program it is the offline plan (GOCY_OFFLINE_PLAN=1). @default true */
  readonly offlineSignal?: boolean;
  /** For fake addresses: cluster name → cluster ID, and the constellation's name. */
  readonly clusterIds?: Readonly<Record<string, number>>;
  readonly constellationName?: string;
  /** The environment the worker starts from, before the Pulumi settings are dropped and `env` added. @default process.env */
  readonly baseEnv?: Readonly<NodeJS.ProcessEnv>;
  /** Extra environment for the worker (e.g. PATH with stub executables). */
  readonly env?: Readonly<Record<string, string>>;
  /** The program's working directory. @default the project root */
  readonly cwd?: string;
  /** Registration must finish within this. @default 60000 */
  readonly watchdogMs?: number;
  /**
   * Reuse a recording made from the very same inputs: the options, the environment given, the constellation file's
   * text and every source file the program and the engine read (any edit makes a new key). For the tests, which
   * record the same stacks many times over; never for the plan or the benchmark. @default false, or true when the
   * process runs with GOCY_RECORD_CACHE=1: how a test that runs `npm run plan` many times over shares the
   * recordings of identical plans (a person running the plan never sets it).
   */
  readonly cache?: boolean;
  /**
   * Evaluate in this process, one evaluation at a time, rather than in a worker (evaluate.ts): the same recording
   * (a test compares the two) for a fraction of the CPU time. For the tests; the plan and the benchmark keep the
   * worker, for its isolation and its memory figure (`maxRssKb` here is the whole process's). After an evaluation
   * that had to be abandoned (the watchdog, a refused registration) the process falls back to the worker.
   * @default false
   */
  readonly inProcess?: boolean;
}

/** The environment variable that turns the cache on for a whole process (see `RecordOptions.cache`). */
export const CACHE_ENV = "GOCY_RECORD_CACHE";
const CACHE_DIR = path.join(PROJECT_ROOT, "node_modules", ".cache", "gocy", "recordings");
let sourceDigest: string | undefined;

/** A digest of every file the program and the recording engine read. */
function sourcesDigest(): string {
  if (sourceDigest !== undefined) return sourceDigest;
  const h = createHash("sha256");
  const visit = (p: string) => {
    const full = path.join(PROJECT_ROOT, p);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) for (const f of readdirSync(full).sort()) visit(path.join(p, f));
    else h.update(p).update("\0").update(readFileSync(full)).update("\0");
  };
  for (const p of ["index.ts", "components", "lib", "tools", "constellations", "Pulumi.yaml", "package-lock.json"]) visit(p);
  sourceDigest = h.digest("hex");
  return sourceDigest;
}

function cacheKey(worker: WorkerOptions, opts: RecordOptions): string {
  const file = worker.config["gocy:constellation"];
  const resolved = file === undefined ? undefined : path.resolve(opts.cwd ?? PROJECT_ROOT, file);
  const text = resolved !== undefined && existsSync(resolved) ? readFileSync(resolved, "utf8") : null;
  return createHash("sha256")
    .update(JSON.stringify({ worker: { ...worker, program: path.relative(PROJECT_ROOT, worker.program) }, env: opts.env ?? {}, cwd: opts.cwd ?? "", text, sources: sourcesDigest() }))
    .digest("hex");
}

/** What the worker reads. */
export interface WorkerOptions {
  readonly project: string;
  readonly stack: string;
  readonly program: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  readonly preview: boolean;
  readonly offlineSignal: boolean;
  readonly clusterIds: Record<string, number>;
  readonly constellationName: string;
  readonly watchdogMs: number;
}

/** Runs the program once under the recording engine. Rejects only when the worker itself fails. */
export async function record(opts: RecordOptions): Promise<Recording> {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-record-"));
  try {
    const stack = opts.stack ?? "jupiter";
    const worker: WorkerOptions = {
      project: "gocy",
      stack,
      program: opts.program ?? path.join(PROJECT_ROOT, "index.ts"),
      config: { ...opts.config },
      secretKeys: [...(opts.secretKeys ?? [])],
      preview: opts.preview ?? false,
      offlineSignal: opts.offlineSignal ?? true,
      clusterIds: { ...(opts.clusterIds ?? {}) },
      constellationName: opts.constellationName ?? stack,
      watchdogMs: opts.watchdogMs ?? 60_000,
    };
    const key = (opts.cache ?? process.env[CACHE_ENV] === "1") ? cacheKey(worker, opts) : undefined;
    const cached = key === undefined ? undefined : path.join(CACHE_DIR, `${key}.json`);
    if (cached !== undefined && existsSync(cached)) return JSON.parse(readFileSync(cached, "utf8")) as Recording;
    // The worker decides the offline signal from its options alone; inherited Pulumi settings would confuse it.
    // What the caller passes in `env` is kept: a test can set a Pulumi variable on purpose.
    const env: NodeJS.ProcessEnv = { ...(opts.baseEnv ?? process.env) };
    for (const key of Object.keys(env)) if (key.startsWith("PULUMI_") || key === "GOCY_OFFLINE_PLAN" || key === CACHE_ENV) delete env[key];
    Object.assign(env, opts.env);
    let text: string | undefined;
    if (opts.inProcess === true) {
      // Loaded only here: the plan's process never needs the SDK itself.
      const { evaluateInProcess, inProcessUsable } = require("./evaluate") as typeof import("./evaluate");
      // An abandoned run (a refused Check, a hang) comes back undefined and is recorded again in a worker below,
      // so a recording is the worker's whichever way it was made.
      const recording = inProcessUsable() ? await evaluateInProcess(worker, env, opts.cwd ?? PROJECT_ROOT) : undefined;
      if (recording !== undefined) text = JSON.stringify(recording);
    }
    if (text === undefined) text = await inWorker(dir, worker, env, opts.cwd ?? PROJECT_ROOT);
    if (cached !== undefined) {
      mkdirSync(CACHE_DIR, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, cached);
    }
    return JSON.parse(text) as Recording;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The evaluation in a worker process; resolves with the recording's JSON text. */
async function inWorker(dir: string, worker: WorkerOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const optionsFile = path.join(dir, "options.json");
  const resultFile = path.join(dir, "result.json");
  writeFileSync(optionsFile, JSON.stringify(worker));
  // The worker's own TypeScript loader (ts-hook.cjs), by absolute path, so it starts from any working directory.
  const { code, output: stderr } = await runNode(["--require", path.join(__dirname, "ts-hook.cjs"), path.join(__dirname, "worker.ts"), optionsFile, resultFile], { cwd, env });
  try {
    return readFileSync(resultFile, "utf8");
  } catch {
    throw new Error(`recording engine: the worker exited with ${code} and wrote no recording:\n${stderr}`);
  }
}
