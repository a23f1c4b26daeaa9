/**
 * One shard of the test run (test/run.ts): loads each test file given, in order, into this one process, each inside
 * a suite named by its path, so that node:test runs their tests one after another (as within a file) and the spec
 * reporter groups them by file. A file that fails to load fails its suite. Started by test/run.ts as
 * `node --import tsx --test-reporter=spec test/support/shard.ts <file…>`; the exit code is node:test's (1 on any failure).
 */
import { describe } from "node:test";
import * as path from "node:path";

for (const file of process.argv.slice(2)) {
  describe(file, () => {
    require(path.resolve(file));
  });
}
