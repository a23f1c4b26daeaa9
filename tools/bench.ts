/**
 * `npm run bench`: evaluates the program under the recording engine for constellations of 3, 10, 50, 100 and 254
 * clusters, several runs each, and prints median wall time, peak memory, what was registered (resources, and the
 * N·(N−1) mesh entries in the clusters' values), the modelled bring-up critical path, and the cost of loading
 * @pulumi/pulumi alone as the baseline. Targets: 3 clusters within 2× the baseline; 100 clusters under 10 s; time
 * and memory growing linearly in what is registered.
 *
 *   npm run bench -- [--runs N] [--sizes 3,10,50]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { record } from "./record/engine";
import { criticalPath } from "./critical-path";
import { generateConstellation, generatedIds } from "./generate-constellation";
import { readStackFile } from "./stack-file";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const usage = `usage: npm run bench -- [--runs N] [--sizes 3,10,50,100,254]
  --runs N      counted runs per size (the median is printed); default 3
  --sizes LIST  constellation sizes in clusters, comma-separated; default 3,10,50,100,254`;
  let values;
  try {
    values = parseArgs({ options: { runs: { type: "string", default: "3" }, sizes: { type: "string", default: "3,10,50,100,254" }, help: { type: "boolean", default: false } } }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (!/^\d+$/.test(values.runs) || Number(values.runs) < 1 || !/^\d+(,\d+)*$/.test(values.sizes)) {
    process.stderr.write(`--runs takes a whole number from 1, --sizes whole numbers separated by commas\n${usage}\n`);
    process.exit(2);
  }
  const runs = Number(values.runs);
  const sizes = values.sizes.split(",").map(Number);
  const baseline: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "require('@pulumi/pulumi')"], { cwd: path.resolve(__dirname, "..") });
    if (i > 0) baseline.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const base = median(baseline);
  const config = readStackFile(path.resolve(__dirname, "..", "Pulumi.jupiter.yaml")).config;
  const rows: string[] = [];
  rows.push(`baseline: loading @pulumi/pulumi alone, median of ${runs}: ${(base / 1000).toFixed(2)} s`);
  rows.push("| clusters | resources | mesh entries | wall (median) | × baseline | peak memory | ms per resource+entry | critical path |");
  rows.push("|---:|---:|---:|---:|---:|---:|---:|---:|");
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-bench-"));
  for (const n of sizes) {
    const file = path.join(dir, `bench-${n}.constellation.yaml`);
    writeFileSync(file, generateConstellation("bench", n - 1));
    const ids = generatedIds("bench", n - 1);
    const walls: number[] = [];
    const mems: number[] = [];
    let resources = 0;
    let minutes = 0;
    for (let i = 0; i < runs + 1; i++) {
      const t = process.hrtime.bigint();
      const rec = await record({
        stack: "bench",
        config: { ...config, "gocy:constellation": file, "gocy:clusterIds": JSON.stringify(ids), "equinix-metal:authToken": "bench" },
        secretKeys: ["equinix-metal:authToken"],
        clusterIds: ids,
        constellationName: "bench",
        watchdogMs: 600_000,
      });
      if (rec.error) throw new Error(`${n} clusters: ${rec.error}`);
      if (i === 0) {
        resources = rec.resources.length;
        minutes = criticalPath(rec).minutes;
        continue; // warm-up (tsx's transpile cache)
      }
      walls.push(Number(process.hrtime.bigint() - t) / 1e6);
      mems.push(rec.maxRssKb / 1024);
    }
    const wall = median(walls);
    const entries = n * (n - 1);
    rows.push(
      `| ${n} | ${resources} | ${entries} | ${(wall / 1000).toFixed(2)} s | ${(wall / base).toFixed(1)} | ${median(mems).toFixed(0)} MiB | ${(wall / (resources + entries)).toFixed(2)} | ${minutes} min |`,
    );
    process.stdout.write(`${rows[rows.length - 1]}\n`);
  }
  process.stdout.write(`\n${rows.join("\n")}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
