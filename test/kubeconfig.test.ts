import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT } from "./helpers";

const SOURCE = stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "ganymede", cluster: { server: "https://192.0.2.2:6443", "certificate-authority-data": "Q0E=" } }],
  users: [{ name: "ganymede-admin", user: { "client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ" } }],
  contexts: [{ name: "ganymede-admin@ganymede", context: { cluster: "ganymede", user: "ganymede-admin" } }],
  "current-context": "ganymede-admin@ganymede",
});

test("npm run kubeconfig merges one cluster as admin@<cluster> without touching other contexts", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-kcfg-"));
  const pulumi = path.join(dir, "pulumi");
  writeFileSync(path.join(dir, "out.json"), JSON.stringify({ ganymede: SOURCE, jupiter: SOURCE.replace(/ganymede/g, "jupiter") }));
  writeFileSync(pulumi, `#!/usr/bin/env bash\necho "$@" >"${dir}/args"\ncat "${dir}/out.json"\n`);
  chmodSync(pulumi, 0o755);
  const kubeconfig = path.join(dir, "config");
  writeFileSync(kubeconfig, stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: "other", cluster: { server: "https://other" } }], users: [{ name: "me", user: { token: "t" } }], contexts: [{ name: "other", context: { cluster: "other", user: "me" } }], "current-context": "other" }));
  const tsx = pathToFileURL(require.resolve("tsx", { paths: [PROJECT_ROOT] })).href;
  const run = () => spawnSync(process.execPath, ["--import", tsx, path.join(PROJECT_ROOT, "tools", "kubeconfig.ts"), "ganymede", "--stack", "jupiter"], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, KUBECONFIG: kubeconfig }, encoding: "utf8" });
  const r = run();
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(path.join(dir, "args"), "utf8").trim(), "stack output kubeconfigs --show-secrets --json --stack jupiter");
  const merged = parse(readFileSync(kubeconfig, "utf8"));
  assert.equal(merged["current-context"], "admin@ganymede");
  assert.deepEqual(merged.contexts.map((c: { name: string }) => c.name), ["other", "admin@ganymede"]);
  assert.deepEqual(merged.clusters.map((c: { name: string }) => c.name), ["other", "ganymede"]);
  assert.deepEqual(merged.users.find((u: { name: string }) => u.name === "me").user, { token: "t" }, "other users untouched");
  assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
  assert.ok(!r.stdout.includes("Q0VSVA=="), "the credential is not printed");
  assert.equal(run().status, 0, "merging again replaces, never duplicates");
  assert.equal(parse(readFileSync(kubeconfig, "utf8")).contexts.length, 2);
  const missing = spawnSync(process.execPath, ["--import", tsx, path.join(PROJECT_ROOT, "tools", "kubeconfig.ts"), "europa"], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, KUBECONFIG: kubeconfig }, encoding: "utf8" });
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr.trim(), 'no kubeconfig for cluster "europa"; the stack has: ganymede, jupiter');
});

test("npm run kubeconfig says which context it made current, --no-switch keeps the current one, --help prints usage", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-kcfg-"));
  writeFileSync(path.join(dir, "out.json"), JSON.stringify({ ganymede: SOURCE }));
  writeFileSync(path.join(dir, "pulumi"), `#!/usr/bin/env bash\ncat "${dir}/out.json"\n`);
  chmodSync(path.join(dir, "pulumi"), 0o755);
  const kubeconfig = path.join(dir, "config");
  writeFileSync(kubeconfig, stringify({ apiVersion: "v1", kind: "Config", clusters: [], users: [], contexts: [{ name: "other", context: {} }], "current-context": "other" }));
  const tsx = pathToFileURL(require.resolve("tsx", { paths: [PROJECT_ROOT] })).href;
  const run = (...args: string[]) => spawnSync(process.execPath, ["--import", tsx, path.join(PROJECT_ROOT, "tools", "kubeconfig.ts"), ...args], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, KUBECONFIG: kubeconfig }, encoding: "utf8" });
  const kept = run("ganymede", "--no-switch");
  assert.equal(kept.status, 0, kept.stderr);
  assert.equal(kept.stdout, `merged ganymede into ${kubeconfig} as context admin@ganymede; the current context stays other (kubectl config use-context admin@ganymede to switch)\n`);
  assert.equal(parse(readFileSync(kubeconfig, "utf8"))["current-context"], "other");
  const switched = run("ganymede");
  assert.equal(switched.stdout, `merged ganymede into ${kubeconfig} as context admin@ganymede, now the current context (it was other; kubectl config use-context other to go back, or merge with --no-switch)\n`);
  const help = run("--help");
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: npm run kubeconfig -- <cluster> \[--stack NAME\] \[--kubeconfig FILE\] \[--no-switch\]$/m);
  const bad = run("--bogus");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^Unknown option '--bogus'/);
});

test("npm run kubeconfig without the Pulumi CLI says so in one line and how to get it", () => {
  const empty = mkdtempSync(path.join(tmpdir(), "gocy-nopulumi-"));
  const tsx = pathToFileURL(require.resolve("tsx", { paths: [PROJECT_ROOT] })).href;
  // Only node's own folder on PATH: no pulumi.
  const r = spawnSync(process.execPath, ["--import", tsx, path.join(PROJECT_ROOT, "tools", "kubeconfig.ts"), "ganymede"], { env: { ...process.env, PATH: `${empty}:${path.dirname(process.execPath)}` }, encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "the Pulumi CLI is needed to read the stack's outputs, and there is no pulumi on PATH: install it (https://www.pulumi.com/docs/install/)\n");
});
