/**
 * Every script the program hands to a command parses as bash (`bash -n`): create, update and delete of every
 * command of the example (every kind of command the program registers). A syntax error would otherwise surface only
 * when that command first runs, possibly during a destroy.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { recordExample, TYPE } from "../helpers";
import type { Recording } from "../../tools/record/types";

function syntaxErrors(script: string): string {
  const r = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  return r.status === 0 ? "" : r.stderr.trim() || `bash -n exited ${r.status}`;
}

function scripts(rec: Recording): { where: string; text: string }[] {
  return rec.resources
    .filter((r) => r.type === TYPE.command)
    .flatMap((r) =>
      (["create", "update", "delete"] as const).flatMap((op) => {
        const text = r.inputs[op];
        return typeof text === "string" ? [{ where: `${r.name} ${op}`, text }] : [];
      }),
    );
}

test("bash -n refuses a broken script (the check can fail)", () => {
  assert.notEqual(syntaxErrors('if true; then\n  echo "unclosed\nfi\n'), "");
  assert.equal(syntaxErrors("echo ok\n"), "");
});

test("every create, update and delete script of the example parses as bash", async () => {
  const all = scripts(await recordExample());
  assert.ok(all.length > 50, `expected the example's scripts, found ${all.length}`);
  const bad = all.map((s) => ({ ...s, error: syntaxErrors(s.text) })).filter((s) => s.error !== "");
  assert.deepEqual(bad.map((b) => `${b.where}: ${b.error}`), []);
});
