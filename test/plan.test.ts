import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { PROJECT_ROOT, SENTINELS, SHARED, requireShared } from "./helpers";
import { CACHE_ENV } from "../tools/record/engine";
import { runPlan } from "../tools/plan";

/** The plans here record the same stacks many times over: identical recordings are shared (engine.ts `cache`). */
const SHARE_RECORDINGS = { [CACHE_ENV]: "1" };

/**
 * The plan command run in this process (`runPlan`, what the script does with the process's own streams, folder and
 * environment): no tsx and program load per run. The script itself is run as a child where its wrapper is the
 * point (exit statuses, the stdout/stderr split, npm's INIT_CWD): see `planScript`.
 */
async function plan(args: string[], cwd = PROJECT_ROOT) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...SHARE_RECORDINGS };
  delete env.GOCY_OFFLINE_PLAN;
  // As `node tools/plan.ts` in `cwd`, whatever folder `npm test` was started from (the INIT_CWD case has its own test).
  delete env.INIT_CWD;
  delete env.npm_lifecycle_event;
  let stdout = "";
  let stderr = "";
  const code = await runPlan(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, cwd, env });
  return { code, stdout, stderr };
}

/** `node tools/plan.ts …` as a child process, the way npm runs it. */
function planScript(args: string[], env: NodeJS.ProcessEnv = {}) {
  const tsx = pathToFileURL(require.resolve("tsx", { paths: [PROJECT_ROOT] })).href;
  const r = spawnSync(process.execPath, ["--import", tsx, path.join(PROJECT_ROOT, "tools", "plan.ts"), ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...SHARE_RECORDINGS, ...env }, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => mkdtempSync(path.join(tmpdir(), "gocy-plan-"));

test("npm run plan prints the plan for jupiter and writes plan.json, with no secret in plain text", async () => {
  const out = tmp();
  const token = SENTINELS["equinix-metal:authToken"];
  const r = await plan(["--out", out, "--secret", `equinix-metal:authToken=${token}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^GOCY plan: stack jupiter, constellation jupiter \(constellations\/jupiter\.constellation\.yaml\)$/m);
  // The summary comes first, right under the title, with the constellation's numbers.
  assert.equal(
    r.stdout.split("\n\n")[1],
    [
      "Summary",
      "  clusters      3: barycenter jupiter in pa, 2 satellites (ganymede in md, callisto in fr)",
      "  machines      9 devices (9 × m3.small.x86), each billed by the hour",
      "  addresses     7 public IPv4 and 1 global anycast IPv4, billed while reserved",
      "  resources     155 in the stack (the stack itself included)",
      `  since last    nothing to compare: no earlier plan of this stack in ${out}`,
      "  still needed  7 things before a real pulumi up (listed at the end)",
      "  warnings      none",
    ].join("\n"),
  );
  // Every line reads in a terminal of 100 columns (∥ and × are one column each).
  const wide = r.stdout.split("\n").filter((l) => [...l].length > 100);
  assert.deepEqual(wide, []);
  assert.match(r.stdout, /^jupiter {2}barycenter {2}metro pa {2}cluster ID 1$/m);
  assert.match(r.stdout, /^ganymede {2}satellite {2}metro md {2}cluster ID 2$/m);
  // Long lists wrap with the separator ending the line and the next item indented under the first.
  assert.match(r.stdout, /^ {3}8\. jupiter-cert-manager-probe ∥ jupiter-deny-equinix-metadata ∥ jupiter-external-dns ∥\n {6}jupiter-letsencrypt-production ∥ /m);
  assert.match(r.stdout, /^ {4}wave 19: jupiter-clusterctl-init-kind, jupiter-vip-cp-tags, jupiter-vip-ingress-tags,\n {13}jupiter-vip-mesh-tags$/m);
  assert.match(r.stdout, /^ {2}gocy:metalProjectId: still the placeholder "00000000-0000-0000-0000-000000000000"\n {6}pulumi config set gocy:metalProjectId <value>$/m);
  assert.match(r.stdout, /^ {2}VIPs: cp 192\.0\.2\.2 {2}ingress 192\.0\.2\.0 \(shared anycast\) {2}mesh 203\.0\.113\.2$/m);
  assert.match(r.stdout, /^A real pulumi up still needs:$/m);
  assert.match(r.stdout, /gocy:metalProjectId: still the placeholder/);
  const doc = JSON.parse(readFileSync(path.join(out, "plan.json"), "utf8"));
  assert.equal(doc.stack, "jupiter");
  assert.ok(doc.resources.length > 20);
  for (const r0 of doc.resources) assert.deepEqual(Object.keys(r0), ["custom", "dependencies", "inputs", "name", "options", "parent", "provider", "type", "urn"]);
  const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as any).path, e.name));
  const rel = files.map((f) => path.relative(out, f));
  for (const f of ["callisto/cluster-manifest.yaml", "ganymede/cluster-manifest.yaml", "jupiter/cluster-manifest.yaml", "plan.json", "jupiter/commands/jupiter-capi-apply.sh", "jupiter/commands/jupiter-admin-credential.sh"]) {
    assert.ok(rel.includes(f), `out/ holds ${f}`);
  }
  assert.match(readFileSync(path.join(out, "jupiter", "commands", "jupiter-capi-apply.sh"), "utf8"), /^#   METAL_AUTH_TOKEN=\[secret\]$/m);
  for (const f of files) assert.ok(!readFileSync(f, "utf8").includes(token), `${f} holds the token`);
  assert.match(readFileSync(path.join(out, "ganymede", "cluster-manifest.yaml"), "utf8"), /^# Generated by `npm run plan` from constellations\/jupiter\.constellation\.yaml/);
  assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token));
});

test("an invalid constellation exits 2 with the problem lines on stderr, no stack trace, nothing written", async () => {
  const out = path.join(tmp(), "plan");
  const r = await plan(["--out", out, "--constellation", "test/fixtures/bad/overlap-across.constellation.yaml"]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr.trim(),
    'test/fixtures/bad/overlap-across.constellation.yaml:65:5  satellites[1].pod_cidr_blocks[0]: expected CIDRs that overlap no other block in the constellation, got "172.17.0.0/16" of callisto, which overlaps "172.17.0.0/17" of ganymede at satellites[0].pod_cidr_blocks[0] (Cluster Mesh routes pod CIDRs between clusters)',
  );
  assert.equal(existsSync(out), false);
});

test("invalid stack config and unknown flags exit 2 too", async () => {
  const a = await plan(["--out", tmp(), "--config", "gocy:adminEmail=not-an-address"]);
  assert.equal(a.code, 2);
  // Given on the command line, blamed on the command line (not on the stack file's line of the key).
  assert.equal(a.stderr.trim(), '--config gocy:adminEmail="not-an-address": expected an e-mail address, got "not-an-address"');
  // The script itself, as a child: its exit status is the run's, and the problem goes to stderr alone.
  const b = planScript(["--nope"]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /^Unknown option '--nope'/);
  assert.match(b.stderr, /usage: npm run plan --/);
  assert.equal(b.stdout, "");
});

test("the original's files plan with --raise-versions, which says what it raised", async (t) => {
  if (!requireShared(t)) return;
  for (const f of ["jupiter.constellation.yaml", "demo.v0.1.constellation.yaml", "jupiter.later-format.constellation.yaml"]) {
    const file = path.join(SHARED, "seed", "constellations", f);
    const refused = await plan(["--out", tmp(), "--constellation", file, "--config", "gocy:clusterIds={}"]);
    assert.equal(refused.code, 2, f);
    const r = await plan(["--out", tmp(), "--constellation", file, "--raise-versions", "--config", "gocy:clusterIds={}"]);
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
    // Once each, with file and line (the plan and the program under it both raise; the line is said once).
    // A warning wider than 100 columns continues on lines indented 6: joined back before matching.
    const raised = r.stdout.replace(/\n {6}/g, " ").split("\n").filter((l) => l.includes("capi: raised from"));
    assert.equal(raised.length, 1, raised.join("\n"));
    assert.match(raised[0]!, /^ {2}\S+\.constellation\.yaml:\d+:\d+ {2}capi: raised from v1\.4\.\d to v1\.10\.10 \(--raise-versions, gocy:raiseVersions\)$/);
    assert.match(r.stdout, /unpinned cluster IDs, proposed/);
  }
});

test("--pin-ids writes the proposed IDs into the stack file, keeping its comments", async () => {
  const dir = tmp();
  const stackFile = path.join(dir, "Pulumi.demo.yaml");
  writeFileSync(stackFile, "# my stack\nconfig:\n  gocy:subdomain: demo # keep me\n");
  const constellation = path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml");
  const r = await plan(["--stack", "demo", "--constellation", constellation, "--out", path.join(dir, "out"), "--pin-ids"], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Pinned jupiter=1, ganymede=2, callisto=3 in Pulumi\.demo\.yaml$/m);
  const text = readFileSync(stackFile, "utf8");
  assert.match(text, /# my stack/);
  assert.match(text, /# keep me/);
  assert.deepEqual((parse(text) as { config: Record<string, unknown> }).config["gocy:clusterIds"], { jupiter: 1, ganymede: 2, callisto: 3 });
  assert.doesNotMatch(r.stdout, /unpinned cluster IDs/);
});

test("a bad --out is one line and exit 2 at once: under /proc (Node's recursive mkdir would spin), through a file, unwritable", async () => {
  const { chmodSync } = await import("node:fs");
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-out-"));
  writeFileSync(path.join(dir, "file"), "x");
  const planTo = (out: string) => plan(["--out", out]);
  const proc = await planTo("/proc/x");
  assert.equal(proc.code, 2);
  assert.equal(proc.stderr, "--out /proc/x: /proc/x is on a kernel pseudo-filesystem; choose a folder on disk\n");
  const file = await planTo(path.join(dir, "file", "plan"));
  assert.equal(file.code, 2);
  assert.equal(file.stderr, `--out ${path.join(dir, "file", "plan")}: ${path.join(dir, "file")} is a file, not a folder\n`);
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o500);
    assert.equal((await planTo(path.join(dir, "x"))).code, 2);
  }
});

test("a second plan into the same folder prints what changed since the last one; --no-compare does not", async () => {
  const out = tmp();
  assert.equal((await plan(["--out", out])).code, 0);
  const again = await plan(["--out", out]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^ {2}since last {4}0 to add, 0 to change, 0 to replace, 0 to delete$/m);
  // Nothing changed, so no list of changes follows.
  assert.doesNotMatch(again.stdout, /Changes since the last plan/);
  assert.match(again.stdout, /^Machines \(every device billed hourly\) and reserved addresses \(billed while reserved\):$/m);
  const quiet = await plan(["--out", out, "--no-compare"]);
  assert.doesNotMatch(quiet.stdout, /Changes since the last plan/);
  assert.match(quiet.stdout, /^ {2}since last {4}not compared \(--no-compare\)$/m);
});

test("a newcomer's mistakes, each one line with the fix: an unknown stack, an unknown key, a bad value on the command line", async () => {
  const out = tmp();
  const noStack = await plan(["--stack", "jupyter", "--out", out]);
  assert.equal(noStack.code, 2);
  assert.equal(noStack.stderr, "no stack jupyter: neither Pulumi.jupyter.yaml nor constellations/jupyter.constellation.yaml exists here; the stacks here are: jupiter\n");
  const typo = await plan(["--config", "gocy:domian=example.org", "--out", out]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /^--config gocy:domian: unknown configuration key \(did you mean "gocy:domain"\?\); the gocy keys are gocy:metalProjectId, gocy:domain, /);
  const bad = await plan(["--config", "gocy:waitTimeoutMinutes=abc", "--out", out]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, '--config gocy:waitTimeoutMinutes="abc": expected a whole number of minutes from 1 to 9999, got "abc"\n');
  const missing = await plan(["--constellation", "nosuch.yaml", "--out", out]);
  assert.equal(missing.stderr, "nosuch.yaml  expected a constellation file, but this one does not exist\n");
  const preview = await plan(["--preview", "--out", out]);
  assert.equal(preview.code, 0, preview.stderr);
  assert.match(preview.stdout, /^ {2}VIPs: cp \(unknown until up\) {2}ingress \(unknown until up\) {2}mesh \(unknown until up\)$/m);
  assert.doesNotMatch(preview.stdout, /null/);
});

test("the program refuses an unknown gocy: key in a real preview, naming the near one", async () => {
  const { recordExample } = await import("./helpers");
  const rec = await recordExample({ preview: true, offlineSignal: false, overrides: { "gocy:adminEmial": "a@example.com" } });
  assert.match(rec.error ?? "", /^invalid stack configuration:\ngocy:adminEmial: unknown configuration key \(did you mean "gocy:adminEmail"\?\)/);
  assert.equal(rec.resources.filter((r) => r.custom).length, 0);
});

test("a removed cluster leaves no stale folder; nothing the plan did not write is touched", async () => {
  const out = tmp();
  assert.equal((await plan(["--out", out])).code, 0);
  const { mkdirSync } = require("node:fs") as typeof import("node:fs");
  mkdirSync(path.join(out, "europa"));
  writeFileSync(path.join(out, "europa", "cluster-manifest.yaml"), "stale");
  writeFileSync(path.join(out, "notes.txt"), "mine");
  mkdirSync(path.join(out, "mine"));
  const again = await plan(["--out", out]);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(!existsSync(path.join(out, "europa")), "the stale cluster folder is gone");
  assert.equal(readFileSync(path.join(out, "notes.txt"), "utf8"), "mine");
  assert.ok(existsSync(path.join(out, "mine")));
  // A plan.json of another stack or shape is not compared with, and nothing crashes.
  writeFileSync(path.join(out, "plan.json"), '{"format_version":"1.2"}');
  const other = await plan(["--out", out]);
  assert.equal(other.code, 0, other.stderr);
  assert.match(other.stderr, /plan\.json is not an earlier plan of stack jupiter; not comparing with it/);
  assert.doesNotMatch(other.stdout, /Changes since the last plan/);
  assert.match(other.stdout, /^ {2}since last {4}nothing to compare: no earlier plan of this stack in /m);
  // --render with --preview is refused before any work.
  const refused = await plan(["--out", out, "--render", "--preview"]);
  assert.equal(refused.code, 2);
  assert.equal(refused.stderr, "--render needs the values of an up: drop --preview\n");
});

test("paths on the command line mean what they meant where npm was run (INIT_CWD)", async () => {
  const dir = tmp();
  // The script as npm runs it, as a child: a whole plan that exits 0, its plan on stdout and nothing on stderr.
  const r = planScript(["--out", "rel"], { INIT_CWD: dir, npm_lifecycle_event: "plan" });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(path.join(dir, "rel", "plan.json")), "written under the folder npm ran from");
  assert.ok(!existsSync(path.join(PROJECT_ROOT, "rel")));
  assert.match(r.stdout, /^GOCY plan: stack jupiter, /m);
  assert.ok(r.stdout.includes(` files to ${path.join(dir, "rel")}/ (`), r.stdout.slice(-400));
  assert.equal(r.stderr, "");
});

test("two plans run at once in one process keep apart: each its own output, its own files, its own list", async () => {
  const [a, b] = [tmp(), tmp()];
  const [ra, rb] = await Promise.all([plan(["--out", a, "--no-compare"]), plan(["--out", b, "--preview", "--no-compare"])]);
  for (const [r, out, other] of [[ra, a, b], [rb, b, a]] as const) {
    assert.equal(r.code, 0, r.stderr);
    const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.match(r.stdout, new RegExp(`^Wrote ${files.length} files to ${out}/ `, "m"));
    assert.ok(!r.stdout.includes(other), `the plan into ${out} names ${other}`);
  }
  assert.match(rb.stdout, /^ {2}VIPs: cp \(unknown until up\)/m);
  assert.doesNotMatch(ra.stdout, /unknown until up/);
});
