/**
 * The recording engine's worker: one evaluation of the real program per process (the Pulumi runtime keeps global
 * state). It installs the recording monitor (monitor.ts) through the SDK's public mock hook, runs index.ts the way
 * the Node.js language host's run script does (inside the root Stack, calling an exported function), and writes the
 * recording as JSON.
 *
 * Usage (from engine.ts): node --require tools/record/ts-hook.cjs tools/record/worker.ts <options.json> <result.json>
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { WorkerOptions } from "./engine";
import { RecordingMonitor } from "./monitor";
import type { RecordedLog, Recording } from "./types";

const [optionsFile, resultFile] = process.argv.slice(2) as [string, string];
const options = JSON.parse(readFileSync(optionsFile, "utf8")) as WorkerOptions;

const errors: string[] = [];
const started = Date.now();

const monitor = new RecordingMonitor(options, (message) => {
  finish(message);
  process.exit(4);
});

// Capture what the program logs: pulumi.log writes to the console when no engine is attached.
const severityOf = (text: string): RecordedLog["severity"] =>
  text.startsWith("warning:") ? "warning" : text.startsWith("error:") ? "error" : text.startsWith("debug:") ? "debug" : "info";
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  console[method] = (...args: unknown[]) => {
    const message = args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
    monitor.logs.push({ severity: severityOf(message), message: message.replace(/^(warning|error|info|debug): \[runtime\] /, "") });
  };
}

async function main(): Promise<void> {
  // The Pulumi SDK takes a stack trace for every promise it tracks; with tsx's source maps on, mapping each frame
  // dominates the run (over half of it at 50 clusters). The recording needs no mapped traces: its errors name files
  // and lines of the transpiled program, which tsx keeps close to the source.
  process.setSourceMapsEnabled(false);
  // The same traces, captured at all, are still most of the rest (the SDK's debuggablePromise): the recording keeps
  // none unless asked (GOCY_RECORD_STACKS=1, for debugging the program itself).
  if (process.env.GOCY_RECORD_STACKS !== "1") Error.stackTraceLimit = 0;
  process.on("unhandledRejection", (reason) => {
    errors.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
  });
  if (options.offlineSignal) process.env.GOCY_OFFLINE_PLAN = "1";
  else delete process.env.GOCY_OFFLINE_PLAN;
  pulumi.runtime.setAllConfig(options.config, options.secretKeys);
  // The public hook `setMocks` installs its MockMonitor with; the runtime asks the monitor which features it supports
  // when the root Stack starts (settings.ts awaitFeatureSupport), and this one answers as the MockMonitor does.
  pulumi.runtime.setMockOptions(monitor, options.project, options.stack, options.preview);

  const watchdog = setTimeout(() => {
    finish(
      `recording engine: registration did not finish within ${options.watchdogMs} ms (a promise cycle shows under mocks only as a hang)` +
        (errors.length > 0 ? `; errors seen meanwhile:\n${errors.join("\n")}` : ""),
    );
    process.exit(3);
  }, options.watchdogMs);

  let programError: string | null = null;
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      const program = require(path.resolve(options.program));
      return program instanceof Function ? program() : program;
    });
    await pulumi.runtime.disconnect();
  } catch (err) {
    programError = err instanceof pulumi.RunError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  clearTimeout(watchdog);
  finish(programError ?? (errors.length > 0 ? errors.join("\n") : null));
}

function finish(error: string | null): void {
  const recording: Recording = {
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
  writeFileSync(resultFile, JSON.stringify(recording));
}

main().catch((err) => {
  finish(err instanceof Error ? (err.stack ?? err.message) : String(err));
});
