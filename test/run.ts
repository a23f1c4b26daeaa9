/**
 * The test runner behind `npm test`: the test files split into shards (2, one per core of the machines this runs on;
 * GOCY_TEST_SHARDS to change), each shard ONE process that loads its files one after another (test/support/shard.ts).
 * `node --test` starts a process per file, and each start (tsx, the Pulumi SDK) cost more CPU than most files' tests.
 * Shards are balanced by the files' expected durations (test/durations.json; a file not listed counts as the median).
 *
 * Each shard's spec report prints as one block when the shard ends, then one summary line for the whole run; the
 * exit code is 1 when any test failed or any shard did not exit cleanly.
 *
 *   npm test                              every test/**\/*.test.ts
 *   npm test -- test/plan.test.ts …       only these files (after the type check)
 *   GOCY_TEST_DURATIONS=write npm test    also rewrite test/durations.json from this run's per-file durations
 */
import { runNode } from "../tools/run-node";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const DURATIONS = path.join(__dirname, "durations.json");

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(rel));
    else if (entry.name.endsWith(".test.ts")) out.push(rel);
  }
  return out;
}

/** Longest expected first, each onto the shard expected to finish first; each shard then runs in path order. */
export function balance(files: readonly string[], shards: number, expected: Readonly<Record<string, number>>): string[][] {
  const known = Object.values(expected).sort((a, b) => a - b);
  const fallback = known.length > 0 ? known[Math.floor(known.length / 2)]! : 1;
  const cost = (f: string) => expected[f] ?? fallback;
  const bins = Array.from({ length: shards }, () => ({ files: [] as string[], total: 0 }));
  for (const f of [...files].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b))) {
    const bin = bins.reduce((min, b) => (b.total < min.total ? b : min));
    bin.files.push(f);
    bin.total += cost(f);
  }
  return bins.map((b) => b.files.sort()).filter((b) => b.length > 0);
}

const COUNTS = ["tests", "pass", "fail", "cancelled", "skipped", "todo"] as const;
type Counts = Record<(typeof COUNTS)[number], number>;
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

interface ShardResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  readonly counts: Counts | undefined;
  /** Per file: its suite's duration, as the spec reporter printed it. */
  readonly durations: Record<string, number>;
}

/** A shard that outlives this (a handle left open keeps node:test from ending) is killed and its output shown. */
const SHARD_TIMEOUT_MS = 1000 * Number(process.env.GOCY_TEST_TIMEOUT_S ?? 900);

function runShard(files: readonly string[]): Promise<ShardResult> {
  const env = { ...process.env };
  if (process.stdout.isTTY && env.NO_COLOR === undefined && env.FORCE_COLOR === undefined) env.FORCE_COLOR = "1";
  return runNode(["--import", "tsx", "--test-reporter=spec", "--test-reporter-destination=stdout", path.join(__dirname, "support", "shard.ts"), ...files], { cwd: ROOT, env, timeoutMs: SHARD_TIMEOUT_MS }).then(
    ({ code, signal, output }) => {
      const plain = stripAnsi(output);
      const found: Partial<Counts> = {};
      for (const name of COUNTS) {
        // The last summary line counts: the reporter prints the run's totals at its end.
        const all = [...plain.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, "gm"))];
        const m = all[all.length - 1];
        if (m) found[name] = Number(m[1]);
      }
      const durations: Record<string, number> = {};
      for (const m of plain.matchAll(/^[✔✖﹣] (\S+\.test\.ts) \(([\d.]+)ms\)/gm)) durations[m[1]!] = Math.round(Number(m[2]));
      return { code, signal, output, counts: COUNTS.every((n) => found[n] !== undefined) ? (found as Counts) : undefined, durations };
    },
  );
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const files = (args.length > 0 ? args.map((f) => path.relative(ROOT, path.resolve(f)).split(path.sep).join("/")) : testFiles("test")).sort();
  const expected = JSON.parse(readFileSync(DURATIONS, "utf8")) as Record<string, number>;
  const shards = balance(files, Math.max(1, Number(process.env.GOCY_TEST_SHARDS ?? 2) || 2), expected);
  const started = Date.now();
  const results = await Promise.all(
    shards.map((s, i) =>
      runShard(s).then((r) => {
        const status = r.signal !== null ? `killed by ${r.signal}` : `exit ${r.code}`;
        process.stdout.write(`\n━━ shard ${i + 1}/${shards.length}: ${s.length} files, ${status} ━━\n${r.output}`);
        return r;
      }),
    ),
  );
  const total: Counts = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  const problems: string[] = [];
  results.forEach((r, i) => {
    if (r.counts === undefined) problems.push(`shard ${i + 1} printed no summary (crashed?)`);
    else for (const n of COUNTS) total[n] += r.counts[n];
    if (r.code !== 0) problems.push(`shard ${i + 1} exited ${r.signal ?? r.code}`);
  });
  const durations = Object.assign({}, ...results.map((r) => r.durations)) as Record<string, number>;
  const missing = files.filter((f) => durations[f] === undefined);
  if (missing.length > 0) problems.push(`no result for ${missing.join(", ")}`);
  if (process.env.GOCY_TEST_DURATIONS === "write") {
    const merged = Object.fromEntries(Object.entries({ ...expected, ...durations }).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(DURATIONS, `${JSON.stringify(merged, null, 2)}\n`);
  }
  // In CI every test runs: a skip there means something it needs (../shared) is missing.
  if (process.env.CI === "true" && total.skipped > 0) problems.push(`${total.skipped} tests skipped, and CI runs every test`);
  const ok = problems.length === 0 && total.fail === 0 && total.cancelled === 0;
  process.stdout.write(
    `\n${ok ? "✔" : "✖"} ${files.length} files in ${shards.length} shards, ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      COUNTS.map((n) => `${n} ${total[n]}`).join(", ") +
      (problems.length > 0 ? `\n✖ ${problems.join("\n✖ ")}` : "") +
      "\n",
  );
  return ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
