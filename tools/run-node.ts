/**
 * Runs a Node.js script in a child process with this Node, collecting its stdout and stderr together: what the
 * recording engine's worker and the test runner's shards both need.
 */
import { spawn } from "node:child_process";

export interface NodeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr as they arrived. */
  readonly output: string;
}

/** @param opts.timeoutMs a bound: past it the child is killed (SIGKILL) and what it printed so far is returned. */
export function runNode(args: readonly string[], opts: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly timeoutMs?: number }): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}
