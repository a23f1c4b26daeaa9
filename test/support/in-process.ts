/**
 * The fast in-process layer: builds one component or `create…` function under Pulumi's mocks in the test's own
 * process, with the recording engine's monitor (tools/record/monitor.ts, installed through the SDK's public
 * `setMockOptions`), and returns what it registered: the same records a whole-program recording holds (type, name,
 * parent, provider, dependencies, options, inputs), in milliseconds instead of a worker process per program.
 * Whole-program recordings stay for what only the whole graph shows.
 */
import * as pulumi from "@pulumi/pulumi";
import { RecordingMonitor } from "../../tools/record/monitor";
import type { RecordedResource } from "../../tools/record/types";

export interface InProcessOptions {
  readonly config?: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  readonly preview?: boolean;
  readonly clusterIds?: Readonly<Record<string, number>>;
  readonly constellationName?: string;
}

export interface InProcessResult<T> {
  readonly value: T;
  readonly resources: readonly RecordedResource[];
}

/** Runs `build` as the body of a Pulumi program (inside a root Stack) and waits for every registration. */
export async function inProcess<T>(build: () => T | Promise<T>, o: InProcessOptions = {}): Promise<InProcessResult<T>> {
  let refuse: (message: string) => void = () => undefined;
  const refused = new Promise<string>((resolve) => (refuse = resolve));
  const monitor = new RecordingMonitor(
    { project: "gocy", stack: "jupiter", preview: o.preview ?? false, clusterIds: o.clusterIds ?? {}, constellationName: o.constellationName ?? "jupiter" },
    (message) => refuse(message),
  );
  pulumi.runtime.setAllConfig({ ...(o.config ?? {}) }, [...(o.secretKeys ?? [])]);
  pulumi.runtime.setMockOptions(monitor, "gocy", "jupiter", o.preview ?? false);
  let value: T | undefined;
  let thrown: unknown;
  const run = (async () => {
    await pulumi.runtime.runInPulumiStack(async () => {
      // A throw is the test's to see, after every registration settled: not the stack's to fail with.
      try {
        value = await build();
      } catch (err) {
        thrown = err;
      }
      return {};
    });
    await pulumi.runtime.disconnect();
    return undefined;
  })();
  // A refused Check leaves its registration unanswered, so the run never ends: the refusal ends it, and the runtime
  // is marked terminated so that its exit-time leak check does not fail the test process.
  const refusal = await Promise.race([run, refused]);
  if (refusal !== undefined) {
    pulumi.runtime.terminateRpcs();
    throw new Error(refusal);
  }
  if (thrown !== undefined) throw thrown;
  return { value: value as T, resources: [...monitor.resources] };
}
