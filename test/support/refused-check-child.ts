/**
 * Run as its own process by test/engine/in-process-recording.test.ts: records a program whose Check is refused, in
 * this process and in a worker, and prints what it saw. Its exit code is the point: an abandoned in-process run
 * must not leave the Pulumi runtime's exit-time leak check failing the process.
 */
import * as path from "node:path";
import { record, PROJECT_ROOT } from "../../tools/record/engine";
import { inProcessUsable } from "../../tools/record/evaluate";

(async () => {
  const program = path.join(PROJECT_ROOT, "test", "fixtures", "programs", "refused-check.ts");
  const inProcess = await record({ program, config: {}, inProcess: true });
  const worker = await record({ program, config: {}, inProcess: false });
  const comparable = (r: typeof worker) => JSON.stringify({ ...r, elapsedMs: 0, maxRssKb: 0 });
  process.stdout.write(JSON.stringify({ same: comparable(inProcess) === comparable(worker), error: worker.error, resources: worker.resources.length, usable: inProcessUsable() }));
})();
