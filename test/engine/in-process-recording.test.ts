/**
 * `record({ inProcess: true })`, which the tests use, against the worker process the plan and the benchmark use:
 * the same options give the same recording (all but the timing and memory figures), for a whole program, a
 * preview, and a program that fails; and the caller's environment and working directory come back untouched.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { inProcessUsable } from "../../tools/record/evaluate";
import { PROJECT_ROOT, recordExample } from "../helpers";
import type { Recording } from "../../tools/record/types";

const comparable = (r: Recording) => JSON.stringify({ ...r, elapsedMs: 0, maxRssKb: 0 });

async function both(opts: Parameters<typeof recordExample>[0]): Promise<[Recording, Recording]> {
  const worker = await recordExample({ ...opts, cache: false, inProcess: false });
  const inProcess = await recordExample({ ...opts, cache: false, inProcess: true });
  return [worker, inProcess];
}

test("in-process and worker recordings of the example are byte-identical, update and preview", async () => {
  for (const preview of [false, true]) {
    const [worker, inProcess] = await both({ preview });
    assert.equal(worker.error, null);
    assert.ok(worker.resources.length > 100, `${worker.resources.length} resources`);
    assert.equal(comparable(inProcess), comparable(worker), `preview=${preview}`);
  }
});

test("a failing program gives the same error both ways, and a later in-process recording is unaffected", async () => {
  const [worker, inProcess] = await both({ overrides: { "gocy:constellation": "constellations/no-such.constellation.yaml" } });
  assert.notEqual(worker.error, null);
  assert.equal(comparable(inProcess), comparable(worker));
  const [w2, i2] = await both({ offlineSignal: false });
  assert.equal(comparable(i2), comparable(w2));
});

test("an in-process recording restores the caller's environment, working directory, console and traces setting", async () => {
  process.env.GOCY_PROBE = "kept";
  process.env.PULUMI_PROBE = "kept too";
  const env = { ...process.env };
  const cwd = process.cwd();
  const log = console.log;
  const limit = Error.stackTraceLimit;
  try {
    const rec = await recordExample({ cache: false, inProcess: true, env: { GOCY_EXTRA: "1" }, cwd: "/", overrides: { "gocy:constellation": path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml") } });
    assert.equal(rec.error, null);
    assert.deepEqual({ ...process.env }, env);
    assert.equal(process.cwd(), cwd);
    assert.equal(console.log, log);
    assert.equal(Error.stackTraceLimit, limit);
  } finally {
    delete process.env.GOCY_PROBE;
    delete process.env.PULUMI_PROBE;
  }
});

test("a run abandoned at a refused Check is recorded again in a worker, and the process still exits 0", () => {
  const tsx = pathToFileURL(require.resolve("tsx", { paths: [PROJECT_ROOT] })).href;
  const r = spawnSync(process.execPath, ["--import", tsx, path.join(PROJECT_ROOT, "test", "support", "refused-check-child.ts")], { cwd: PROJECT_ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const seen = JSON.parse(r.stdout) as { same: boolean; error: string; resources: number; usable: boolean };
  assert.match(seen.error, /gcp:dns\/recordSet:RecordSet resource 'no-trailing-dot': the provider's Check refuses it/);
  assert.equal(seen.same, true, "the recording is the worker's");
  assert.equal(seen.usable, false, "later recordings in that process go to the worker");
});

test("the equivalence above compared an in-process run: nothing was abandoned in this process", () => {
  assert.equal(inProcessUsable(), true);
});
