/** Runs a recorded command's script the way @pulumi/command would: bash -c, its environment, its stdin. */
import { spawnSync } from "node:child_process";
import { SECRET_KEY, type RecordedResource } from "../../tools/record/types";

export interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Unwraps recorded secrets to their values (the sentinels the test set). */
function plainEnv(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((env ?? {}) as Record<string, unknown>)) {
    const val = v !== null && typeof v === "object" && SECRET_KEY in (v as object) ? (v as Record<string, unknown>)[SECRET_KEY] : v;
    out[k] = typeof val === "string" ? val : JSON.stringify(val);
  }
  return out;
}

export function runRecorded(r: RecordedResource, phase: "create" | "delete" | "update", env: Record<string, string>, stdin?: string): ScriptRun {
  const text = r.inputs[phase];
  if (typeof text !== "string") throw new Error(`${r.name} has no ${phase} script`);
  const input = stdin ?? (typeof r.inputs.stdin === "string" ? r.inputs.stdin : "");
  const res = spawnSync("/bin/bash", ["-c", text], {
    env: { HOME: process.env.HOME ?? "/tmp", ...plainEnv(r.inputs.environment), ...env },
    input,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
