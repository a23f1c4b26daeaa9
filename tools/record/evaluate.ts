/**
 * One evaluation of the program under the recording monitor: what the worker process does (worker.ts), and what
 * `record({ inProcess: true })` does in the caller's own process. Both produce the same recording from the same
 * options (a test compares them); this module holds everything they share.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerOptions } from "./engine";
import { RecordingMonitor } from "./monitor";
import type { RecordedLog, Recording } from "./types";

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"] as const;

const severityOf = (text: string): RecordedLog["severity"] =>
  text.startsWith("warning:") ? "warning" : text.startsWith("error:") ? "error" : text.startsWith("debug:") ? "debug" : "info";

/** Captures what the program logs: pulumi.log writes to the console when no engine is attached. Returns the undo. */
export function captureConsole(logs: RecordedLog[]): () => void {
  const saved = CONSOLE_METHODS.map((m) => [m, console[m]] as const);
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => {
      const message = args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
      logs.push({ severity: severityOf(message), message: message.replace(/^(warning|error|info|debug): \[runtime\] /, "") });
    };
  }
  return () => {
    for (const [m, f] of saved) console[m] = f;
  };
}

/**
 * Stack traces off for the run: the Pulumi SDK takes one for every promise it tracks, and with tsx's source maps on,
 * mapping each frame dominates the run (over half of it at 50 clusters); captured at all, they are still most of the
 * rest (the SDK's debuggablePromise). The recording keeps none unless asked (GOCY_RECORD_STACKS=1, for debugging the
 * program itself). Returns the undo.
 */
export function tracesOff(): () => void {
  const maps = process.sourceMapsEnabled;
  const limit = Error.stackTraceLimit;
  process.setSourceMapsEnabled(false);
  if (process.env.GOCY_RECORD_STACKS !== "1") Error.stackTraceLimit = 0;
  return () => {
    process.setSourceMapsEnabled(maps);
    Error.stackTraceLimit = limit;
  };
}

export function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * Runs the program once, the way the Node.js language host's run script does: config set, the monitor installed
 * through the SDK's public mock hook, index.ts's export called inside the root Stack. Resolves with the program's
 * error, if any (a RunError by its message alone, as the engine prints it).
 */
export async function runProgram(options: WorkerOptions, monitor: RecordingMonitor): Promise<string | null> {
  if (options.offlineSignal) process.env.GOCY_OFFLINE_PLAN = "1";
  else delete process.env.GOCY_OFFLINE_PLAN;
  pulumi.runtime.setAllConfig(options.config, options.secretKeys);
  // The public hook `setMocks` installs its MockMonitor with; the runtime asks the monitor which features it supports
  // when the root Stack starts (settings.ts awaitFeatureSupport), and this one answers as the MockMonitor does.
  pulumi.runtime.setMockOptions(monitor, options.project, options.stack, options.preview);
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      // index.ts exports a function: a second evaluation in the same process calls it again.
      const program = require(path.resolve(options.program));
      return program instanceof Function ? program() : program;
    });
    await pulumi.runtime.disconnect();
    return null;
  } catch (err) {
    return err instanceof pulumi.RunError ? err.message : describeError(err);
  }
}

export function recordingOf(options: WorkerOptions, monitor: RecordingMonitor, error: string | null, started: number): Recording {
  return {
    project: options.project,
    stack: options.stack,
    preview: options.preview,
    resources: monitor.resources,
    reads: monitor.reads,
    invokes: monitor.invokes,
    outputs: monitor.outputs,
    logs: monitor.logs,
    error,
    elapsedMs: Date.now() - started,
    maxRssKb: process.resourceUsage().maxRSS,
  };
}

export function watchdogMessage(options: WorkerOptions, errors: readonly string[]): string {
  return (
    `recording engine: registration did not finish within ${options.watchdogMs} ms (a promise cycle shows under mocks only as a hang)` +
    (errors.length > 0 ? `; errors seen meanwhile:\n${errors.join("\n")}` : "")
  );
}

let queue: Promise<unknown> = Promise.resolve();
/** Set when an in-process evaluation was abandoned (watchdog, refusal): its leftovers may still run, so no more here. */
let abandoned = false;

/** Whether this process can still evaluate in-process; when not, the engine falls back to the worker. */
export function inProcessUsable(): boolean {
  return !abandoned;
}

/**
 * The evaluation in the caller's process: one at a time (the Pulumi runtime and process.env are global), with the
 * worker's environment, working directory, console capture and traces setting for the run's duration, all restored
 * afterwards. Rejections no one handles during the run are the program's (as in the worker), not the caller's.
 *
 * Resolves with undefined when the run had to be abandoned (a refused Check leaves a registration unanswered; the
 * watchdog ends a hang): the caller records again in a worker, whose recording ends where the worker's does. The
 * abandoned program's promises stay pending in this process, so the runtime is marked terminated (`terminateRpcs`):
 * the SDK's exit-time leak check would otherwise fail the whole process, every test of it passed or not.
 */
export function evaluateInProcess(options: WorkerOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<Recording | undefined> {
  const run = queue.then(() => evaluateNow(options, env, cwd));
  queue = run.catch(() => undefined);
  return run;
}

async function evaluateNow(options: WorkerOptions, env: NodeJS.ProcessEnv, cwd: string): Promise<Recording | undefined> {
  const started = Date.now();
  const errors: string[] = [];
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  const savedListeners = process.listeners("unhandledRejection");
  let settle: (outcome: { error: string | null; abandoned: boolean }) => void = () => undefined;
  const settled = new Promise<{ error: string | null; abandoned: boolean }>((resolve) => (settle = resolve));
  const monitor = new RecordingMonitor(options, (message) => settle({ error: message, abandoned: true }));
  const onRejection = (reason: unknown) => void errors.push(describeError(reason));
  let restoreConsole = () => undefined as void;
  let restoreTraces = () => undefined as void;
  let watchdog: NodeJS.Timeout | undefined;
  try {
    // The working directory first: if it does not exist, nothing else has been changed yet.
    process.chdir(cwd);
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    Object.assign(process.env, env);
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", onRejection);
    restoreConsole = captureConsole(monitor.logs);
    restoreTraces = tracesOff();
    watchdog = setTimeout(() => settle({ error: watchdogMessage(options, errors), abandoned: true }), options.watchdogMs);
    runProgram(options, monitor).then(
      (programError) => settle({ error: programError ?? (errors.length > 0 ? errors.join("\n") : null), abandoned: false }),
      (err) => settle({ error: describeError(err), abandoned: false }),
    );
    const outcome = await settled;
    if (outcome.abandoned) {
      abandoned = true;
      pulumi.runtime.terminateRpcs();
      return undefined;
    }
    // One more turn with this run's handler in place: a rejection the program leaves unhandled as it ends is its
    // own (in the worker it would go unreported as the process exits), not the caller's test failing.
    await new Promise((resolve) => setImmediate(resolve));
    return recordingOf(options, monitor, outcome.error, started);
  } finally {
    if (watchdog !== undefined) clearTimeout(watchdog);
    restoreTraces();
    restoreConsole();
    process.removeListener("unhandledRejection", onRejection);
    for (const l of savedListeners) if (!process.listeners("unhandledRejection").includes(l)) process.on("unhandledRejection", l);
    process.chdir(savedCwd);
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
}
