/**
 * `npm run plan`: the offline main job. Validates the stack and its constellation, runs the whole program under
 * the recording engine, prints a readable plan and writes out/<stack>/plan.json. No account, no Pulumi CLI.
 *
 *   npm run plan -- [--stack NAME] [--constellation FILE] [--out DIR] [--preview] [--raise-versions] [--pin-ids]
 *                   [--config KEY=VALUE]… [--secret KEY=VALUE]…
 *
 * Exit 0 on success; 2 for invalid input (problem lines on stderr, nothing written); 1 when the program fails.
 *
 * `runPlan` is the whole command, for a caller in the same process (the tests): arguments, output streams, working
 * folder and environment all come from its `io`, and it resolves to the exit status instead of exiting. Run as a
 * script, this file is a thin wrapper that hands it the process's own.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { redactedText, releasesOf, renderAll } from "./render/helm-template";
import { realHelm } from "./upstream-binaries";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parseDocument, stringify } from "yaml";
import { validateStack, type ValidatedStack } from "../lib/stack/validate";
import { InputError, formatProblem } from "../lib/constellation/problems";
import { allClusters } from "../lib/constellation/model";
import { CONFIG_KEYS, unknownConfigKeys } from "../lib/stack/config";
import { CACHE_ENV, record } from "./record/engine";
import { readStackFile } from "./stack-file";
import { planDocument, redact, renderPlan, type PlanDocument } from "./plan-json";
import { compareWithLast } from "./plan-changes";
import { clusterOf, summarize, type ChangesSinceLast } from "./plan-summary";
import { defineCluster, renderManifest } from "../lib/builders/capi/manifest";
import type { RecordedResource, Recording } from "./record/types";
import { drawPictures } from "./pictures";
import { filesWritten } from "./files-written";

const USAGE = `usage: npm run plan -- [--stack NAME] [--constellation FILE] [--out DIR] [--preview] [--raise-versions] [--pin-ids] [--no-compare] [--render [--charts DIR]] [--config KEY=VALUE]... [--secret KEY=VALUE]...
       npm run render -- [same flags]: the plan, and every Helm release rendered by its real chart (from --charts DIR,
       default ../shared/charts) to <out>/<cluster>/rendered/<release>.yaml`;

/** Where a run of the plan reads its arguments' context and writes its output. */
export interface PlanIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** The folder the command runs in: relative paths, the stack file and the program's working directory. */
  readonly cwd: string;
  /** The command's environment: npm's INIT_CWD, the recording cache switch, the recording worker's environment. */
  readonly env: Readonly<NodeJS.ProcessEnv>;
}

/** Thrown by `fail` to end a run with its exit status once the message is written. */
class PlanExit {
  constructor(readonly code: number) {}
}

/** One run's state: its io, and every file it writes, in order, for the list at the end. */
class Run {
  readonly written: string[] = [];
  constructor(readonly io: PlanIO) {}
  get cwd(): string {
    return this.io.cwd;
  }
  /** A path as the run names it (relative to its folder, or absolute), as the file system must see it. */
  at(p: string): string {
    return path.resolve(this.io.cwd, p);
  }
  write(file: string, text: string): void {
    writeFileSync(this.at(file), text);
    this.written.push(file);
  }
  fail(code: number, message: string): never {
    this.io.stderr.write(`${message}\n`);
    throw new PlanExit(code);
  }
}

/**
 * The plan command, `argv` being its arguments (no node, no script): what it prints goes to `io.stdout` and
 * `io.stderr`, and the promise resolves to its exit status (0, 1 or 2, as documented above). Never rejects.
 */
export async function runPlan(argv: readonly string[], io: PlanIO): Promise<number> {
  const run = new Run(io);
  try {
    await plan(run, argv);
    return 0;
  } catch (err) {
    if (err instanceof PlanExit) return err.code;
    io.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

async function plan(run: Run, argv: readonly string[]): Promise<void> {
  const { io } = run;
  const fail: (code: number, message: string) => never = (code, message) => run.fail(code, message);
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string", default: "jupiter" },
        constellation: { type: "string" },
        out: { type: "string" },
        preview: { type: "boolean", default: false },
        "raise-versions": { type: "boolean", default: false },
        "pin-ids": { type: "boolean", default: false },
        render: { type: "boolean", default: false },
        "no-compare": { type: "boolean", default: false },
        charts: { type: "string" },
        config: { type: "string", multiple: true, default: [] },
        secret: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    fail(2, `${(err as Error).message}\n${USAGE}`);
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return;
  }
  // npm runs the script from the project's folder; a path given on the command line means what it meant where the
  // user typed it (npm's INIT_CWD).
  const here = io.env.npm_lifecycle_event !== undefined && io.env.INIT_CWD ? io.env.INIT_CWD : run.cwd;
  // Kept relative when it can be (messages name a file as the user typed it, seen from the project's folder).
  const fromHere = (p: string) => {
    const full = path.resolve(here, p);
    const rel = path.relative(run.cwd, full);
    return path.isAbsolute(p) || rel.startsWith("..") ? full : rel || ".";
  };
  if (args.out !== undefined) args.out = fromHere(args.out);
  if (args.constellation !== undefined) args.constellation = fromHere(args.constellation);
  if (args.charts !== undefined) args.charts = fromHere(args.charts);
  const stack = args.stack;
  const stackFile = `Pulumi.${stack}.yaml`;
  const fromFile = readStackFile(run.at(stackFile));
  const config: Record<string, string> = { ...fromFile.config };
  const secretKeys = new Set(fromFile.secretKeys);
  const pairs = (list: string[], flag: string) =>
    list.map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0 || !pair.slice(0, at).includes(":")) fail(2, `--${flag} expects KEY=VALUE with a namespaced key (gocy:domain=example.com), got ${JSON.stringify(pair)}\n${USAGE}`);
      return [pair.slice(0, at), pair.slice(at + 1)] as const;
    });
  for (const [k, v] of pairs(args.config, "config")) {
    config[k] = v;
    secretKeys.delete(k);
  }
  for (const [k, v] of pairs(args.secret, "secret")) {
    config[k] = v;
    secretKeys.add(k);
  }
  if (args.constellation !== undefined) config["gocy:constellation"] = args.constellation;
  // A stack needs its stack file or, at least, its constellation file.
  if (!fromFile.exists && config["gocy:constellation"] === undefined && !existsSync(run.at(path.join("constellations", `${stack}.constellation.yaml`)))) {
    const stacks = readdirSync(run.cwd).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined);
    fail(2, `no stack ${stack}: neither ${stackFile} nor constellations/${stack}.constellation.yaml exists here; the stacks here are: ${stacks.join(", ") || "none"}`);
  }
  // Keys given on the command line are blamed on the command line, keys of the stack file on their line there.
  const fromCli = new Map<string, string>([...pairs(args.config, "config"), ...pairs(args.secret, "secret")].map(([k]) => [k, args.config.some((p) => p.startsWith(`${k}=`)) ? "--config" : "--secret"]));
  const unknown = unknownConfigKeys(Object.keys(config));
  if (unknown.length > 0) {
    fail(2, unknown.map((u) => (fromCli.has(u.key) ? `${fromCli.get(u.key)} ${u.key}: ${u.message}` : `${stackFile}  ${u.key}: ${u.message}`)).join("\n"));
  }

  const validate = (): ValidatedStack =>
    validateStack({
      stack,
      mode: "offline-plan",
      get: (k) => config[k],
      has: (k) => config[k] !== undefined,
      ...(args["raise-versions"] ? { raiseVersions: true } : {}),
      stackFile,
      cwd: run.cwd,
    });
  let validated: ValidatedStack;
  try {
    validated = validate();
    if (args["pin-ids"] && validated.unpinned.length > 0) {
      pinIds(run, stackFile, validated);
      // The run goes on with the IDs now pinned: every cluster's, from the validation that proposed them.
      config["gocy:clusterIds"] = JSON.stringify(Object.fromEntries(validated.clusterIds));
      io.stdout.write(`Pinned ${validated.unpinned.map((n) => `${n}=${validated.clusterIds.get(n)}`).join(", ")} in ${stackFile}\n`);
      validated = validate();
    }
  } catch (err) {
    if (err instanceof InputError) {
      fail(2, err.problems.map((p) => (p.file === stackFile && fromCli.has(p.path) ? `${fromCli.get(p.path)} ${p.path}=${JSON.stringify(config[p.path])}: ${p.message}` : formatProblem(p))).join("\n"));
    }
    throw err;
  }

  // The program validates again under the engine; it must raise what the plan raised.
  if (args["raise-versions"]) config["gocy:raiseVersions"] = "true";
  // Before the recording: a bad --out is one line at once, never a hang after the work.
  const outDir = args.out ?? path.join("out", stack);
  prepareOutDir(run, outDir);
  if (args.render && args.preview) fail(2, "--render needs the values of an up: drop --preview");
  const recording = await record({
    stack,
    config,
    secretKeys: [...secretKeys],
    preview: args.preview,
    clusterIds: Object.fromEntries(validated.clusterIds),
    constellationName: validated.constellation.name,
    cwd: run.cwd,
    // The run's own environment: whether recordings are shared (tests), and what the worker inherits.
    cache: io.env[CACHE_ENV] === "1",
    baseEnv: io.env,
  });
  if (recording.error !== null) fail(1, `the program failed under the recording engine:\n${recording.error}`);


  const doc = planDocument(recording, validated.constellation.file);
  // The last plan of this output folder, read before this one replaces it.
  const previousFile = path.join(outDir, "plan.json");
  let previous: PlanDocument | undefined;
  if (!args["no-compare"] && existsSync(run.at(previousFile))) {
    try {
      const p = JSON.parse(readFileSync(run.at(previousFile), "utf8")) as Partial<PlanDocument>;
      // Only a plan of this stack, in the shape this tool writes, is compared with.
      if (p.stack === stack && Array.isArray(p.resources) && Array.isArray(p.destroy)) previous = p as PlanDocument;
      else io.stderr.write(`${previousFile} is not an earlier plan of stack ${stack}; not comparing with it\n`);
    } catch {
      io.stderr.write(`${previousFile} is not an earlier plan of stack ${stack}; not comparing with it\n`);
    }
  }
  // A cluster gone from the constellation leaves no stale folder: the folders an earlier plan wrote for clusters
  // (each holds its cluster-manifest.yaml) are removed unless the cluster is still there. Nothing else is touched.
  const current = new Set(allClusters(validated.constellation).map((c) => c.name));
  for (const e of readdirSync(run.at(outDir), { withFileTypes: true })) {
    if (e.isDirectory() && !current.has(e.name) && existsSync(run.at(path.join(outDir, e.name, "cluster-manifest.yaml")))) rmSync(run.at(path.join(outDir, e.name)), { recursive: true, force: true });
  }
  // The mermaid constellation.md of earlier plans, superseded by constellation.svg.
  const oldPicture = path.join(outDir, "constellation.md");
  if (existsSync(run.at(oldPicture)) && readFileSync(run.at(oldPicture), "utf8").includes("Generated by `npm run plan`")) rmSync(run.at(oldPicture));
  run.write(path.join(outDir, "plan.json"), renderPlan(doc));
  writeClusterFiles(run, outDir, validated, recording);
  const pictures = await drawPictures({ constellation: validated.constellation, ids: validated.clusterIds, recording });
  for (const [name, svg] of Object.entries(pictures)) run.write(path.join(outDir, name), svg);
  // The summary says what changed since the last plan, or why nothing was compared.
  let changes: ChangesSinceLast;
  if (args["no-compare"]) changes = { notCompared: "not compared (--no-compare)" };
  else if (previous === undefined) changes = { notCompared: `nothing to compare: no earlier plan of this stack in ${outDir}` };
  else if (previous.preview !== doc.preview) changes = { notCompared: `not compared: the earlier plan in ${outDir} was ${previous.preview ? "" : "not "}a preview` };
  else {
    const byUrn = new Map(recording.resources.map((r) => [r.urn, r]));
    const prevByUrn = new Map((previous.resources as RecordedResource[]).map((r) => [r.urn, r]));
    const clusterOfUrn = (urn: string) => clusterOf((byUrn.get(urn) ?? prevByUrn.get(urn))!, new Map([...prevByUrn, ...byUrn]));
    changes = compareWithLast(previous, doc, clusterOfUrn, validated.constellation.barycenter.name);
  }
  io.stdout.write(summarize(validated, recording, { outDir, secretKeysSet: [...secretKeys], configKeys: CONFIG_KEYS, changes }));
  if (args.render) await renderReleases(run, outDir, validated, recording, args.charts ?? path.join("..", "shared", "charts"));
  io.stdout.write(filesWritten(outDir, run.written, allClusters(validated.constellation).map((c) => c.name)));
}

/**
 * `npm run render`: each Helm release rendered by the real chart (helm template, from local chart archives) with
 * the values the recording saw, to <out>/<cluster>/rendered/<release>.yaml. The recording holds no real secret: the
 * engine fakes every secret output (a throwaway mesh CA), and no secret config reaches Helm values.
 */
async function renderReleases(run: Run, outDir: string, v: ValidatedStack, rec: Recording, chartsDir: string): Promise<void> {
  if (!existsSync(run.at(chartsDir))) run.fail(2, `--render: no chart archives at ${chartsDir} (give --charts DIR with <chart>-<version>.tgz files)`);
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const kube = new Map(allClusters(v.constellation).map((c) => [c.name, c.versions.kubernetes]));
  const specs = releasesOf(rec, (c) => kube.get(c)!, (r) => clusterOf(r, byUrn));
  let rendered;
  try {
    rendered = renderAll(await realHelm(), chartsDir, specs, run.cwd);
  } catch (err) {
    run.fail(1, (err as Error).message);
  }
  for (const r of rendered) {
    const dir = path.join(outDir, r.spec.cluster, "rendered");
    mkdirSync(run.at(dir), { recursive: true });
    run.write(path.join(dir, `${r.spec.name}.yaml`), `# ${r.spec.chart} ${r.spec.version} rendered by helm template with the plan's values (Kubernetes ${r.spec.kubeVersion}); every Secret's data shown as [secret].\n${redactedText(r)}`);
  }
  run.io.stdout.write(`Rendered ${rendered.length} releases to ${path.join(outDir, "<cluster>", "rendered")}/ (${rendered.reduce((n, r) => n + r.objects.length, 0)} objects).\n`);
}

/**
 * Creates the output folder one level at a time, after checking where it would go: Node's recursive mkdir spins
 * forever under /proc, and a path through a regular file or an unwritable folder must be one clear line (exit 2).
 */
function prepareOutDir(run: Run, outDir: string): void {
  const fail: (code: number, message: string) => never = (code, message) => run.fail(code, message);
  const full = run.at(outDir);
  if (/^\/(proc|sys)(\/|$)/.test(full)) fail(2, `--out ${outDir}: ${full} is on a kernel pseudo-filesystem; choose a folder on disk`);
  const missing: string[] = [];
  let at = full;
  while (!existsSync(at)) {
    missing.unshift(at);
    at = path.dirname(at);
  }
  if (!statSync(at).isDirectory()) fail(2, `--out ${outDir}: ${at} is a file, not a folder`);
  try {
    accessSync(at, constants.W_OK);
  } catch {
    fail(2, `--out ${outDir}: ${at} is not writable`);
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      fail(2, `--out ${outDir}: cannot create ${dir} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
}

/**
 * Per cluster, what the original produced with `invoke cluster.build-manifests`: the Cluster API manifest, built by
 * the same function the components use, with the addresses the recording saw (placeholders offline).
 */
function writeClusterFiles(run: Run, outDir: string, v: ValidatedStack, rec: Recording): void {
  const vips = (rec.outputs.vips ?? {}) as Record<string, Record<string, unknown>>;
  for (const cluster of allClusters(v.constellation)) {
    const dir = path.join(outDir, cluster.name);
    mkdirSync(run.at(dir), { recursive: true });
    const cp = vips[cluster.name]?.cp;
    const { list } = defineCluster(cluster, v.config.infraProjectId, typeof cp === "string" ? cp : "[unknown]");
    const header = `Generated by \`npm run plan\` from ${v.constellation.file} (stack ${rec.stack}); regenerate, do not edit. Addresses are offline placeholders.`;
    run.write(path.join(dir, "cluster-manifest.yaml"), renderManifest(list, header));
  }
  writeCommandScripts(run, outDir, rec, v.constellation.file);
  writeNetworkFiles(run, outDir, rec, v.constellation.file);
}

/** Each cluster's Helm values and its extra objects (MetalLB, Cilium policies), as the program registers them. */
function writeNetworkFiles(run: Run, outDir: string, rec: Recording, source: string): void {
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const header = (what: string) => `# ${what}: generated by \`npm run plan\` from ${source}; secrets appear as [secret], deploy-time values as the plan saw them.\n`;
  const objects = new Map<string, unknown[]>();
  for (const r of rec.resources) {
    const cluster = clusterOf(r, byUrn);
    const dir = path.join(outDir, cluster === "(constellation)" ? "constellation" : cluster);
    if (r.type === "kubernetes:helm.sh/v3:Release") {
      mkdirSync(run.at(path.join(dir, "helm")), { recursive: true });
      const inputs = redact(r.inputs) as Record<string, unknown>;
      run.write(path.join(dir, "helm", `${String(inputs.name)}.values.yaml`), `${header(`Helm values of ${String(inputs.chart)} ${String(inputs.version)}`)}${stringify(inputs.values ?? {}, { lineWidth: 0 })}`);
    } else if (/^kubernetes:(metallb\.io|cilium\.io)\//.test(r.type)) {
      const list = objects.get(dir) ?? [];
      list.push(redact(r.inputs));
      objects.set(dir, list);
    }
  }
  for (const [dir, list] of objects) {
    mkdirSync(run.at(dir), { recursive: true });
    run.write(path.join(dir, "network-objects.yaml"), `${header("MetalLB and Cilium objects")}${list.map((o) => stringify(o, { lineWidth: 0 })).join("---\n")}`);
  }
}

/** Every command's scripts as they would run, credentials as "[secret]", under out/<stack>/<cluster>/commands/. */
function writeCommandScripts(run: Run, outDir: string, rec: Recording, source: string): void {
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  for (const r of rec.resources.filter((x) => x.type === "command:local:Command")) {
    const cluster = clusterOf(r, byUrn);
    const dir = path.join(outDir, cluster === "(constellation)" ? "constellation" : cluster, "commands");
    mkdirSync(run.at(dir), { recursive: true });
    const inputs = redact(r.inputs) as Record<string, unknown>;
    const env = Object.entries((inputs.environment ?? {}) as Record<string, unknown>).map(([k, val]) => `#   ${k}=${typeof val === "string" ? val : JSON.stringify(val)}`);
    const lines = [
      `# ${r.name}: a local command of ${r.urn}`,
      `# Generated by \`npm run plan\` from ${source}; credentials appear as [secret]. Interpreter: ${JSON.stringify(inputs.interpreter)}.`,
      ...(env.length > 0 ? ["# environment:", ...env] : []),
      ...(inputs.stdin !== undefined ? [`# stdin: ${typeof inputs.stdin === "string" && inputs.stdin.startsWith("apiVersion") ? "the cluster's manifest (cluster-manifest.yaml)" : JSON.stringify(inputs.stdin).slice(0, 200)}`] : []),
      `# frozen once done (inputs but the environment ignored): ${r.options.ignoreChanges.length > 0 ? "yes" : "no"}`,
    ];
    for (const phase of ["create", "update", "delete"] as const) {
      const text = inputs[phase];
      if (typeof text === "string") lines.push("", `### ${phase}`, text.trimEnd());
    }
    run.write(path.join(dir, `${r.name}.sh`), `${lines.join("\n")}\n`);
  }
}

/** Writes the proposed IDs into the stack file's gocy:clusterIds, keeping the file's comments and order. */
function pinIds(run: Run, stackFile: string, v: ValidatedStack): void {
  let text = "config: {}\n";
  try {
    text = readFileSync(run.at(stackFile), "utf8");
  } catch {
    // A new stack file.
  }
  const doc = parseDocument(text);
  if (!doc.has("config")) doc.set("config", doc.createNode({}));
  for (const name of v.unpinned) doc.setIn(["config", "gocy:clusterIds", name], v.clusterIds.get(name));
  writeFileSync(run.at(stackFile), doc.toString());
}

/** The command itself: the process's arguments, streams, folder and environment; exits with the run's status. */
async function main(): Promise<void> {
  const code = await runPlan(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
  process.exit(code);
}

if (require.main === module) void main();
