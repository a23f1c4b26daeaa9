/**
 * The recording engine's worker: one evaluation of the real program per process (the Pulumi runtime keeps global
 * state). It installs the recording monitor (monitor.ts) through the SDK's public mock hook, runs index.ts the way
 * the Node.js language host's run script does (inside the root Stack, calling an exported function), and writes the
 * recording as JSON. What it shares with an in-process evaluation is in evaluate.ts.
 *
 * Usage (from engine.ts): node --require tools/record/ts-hook.cjs tools/record/worker.ts <options.json> <result.json>
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { WorkerOptions } from "./engine";
import { captureConsole, describeError, recordingOf, runProgram, tracesOff, watchdogMessage } from "./evaluate";
import { RecordingMonitor } from "./monitor";

const [optionsFile, resultFile] = process.argv.slice(2) as [string, string];
const options = JSON.parse(readFileSync(optionsFile, "utf8")) as WorkerOptions;

const errors: string[] = [];
const started = Date.now();

const monitor = new RecordingMonitor(options, (message) => {
  finish(message);
  process.exit(4);
});

captureConsole(monitor.logs);

async function main(): Promise<void> {
  tracesOff();
  process.on("unhandledRejection", (reason) => {
    errors.push(describeError(reason));
  });
  const watchdog = setTimeout(() => {
    finish(watchdogMessage(options, errors));
    process.exit(3);
  }, options.watchdogMs);
  const programError = await runProgram(options, monitor);
  clearTimeout(watchdog);
  finish(programError ?? (errors.length > 0 ? errors.join("\n") : null));
}

function finish(error: string | null): void {
  writeFileSync(resultFile, JSON.stringify(recordingOf(options, monitor, error, started)));
}

main().catch((err) => {
  finish(describeError(err));
});
