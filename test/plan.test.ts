import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { PROJECT_ROOT, SENTINELS, SHARED, requireShared } from "./helpers";

function plan(args: string[], cwd = PROJECT_ROOT) {
  const env = { ...process.env };
  delete env.GOCY_OFFLINE_PLAN;
  const tsx = pathToFileURL(require.resolve("tsx", { paths: [PROJECT_ROOT] })).href;
  const r = spawnSync(process.execPath, ["--import", tsx, path.join(PROJECT_ROOT, "tools", "plan.ts"), ...args], { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => mkdtempSync(path.join(tmpdir(), "gocy-plan-"));

test("npm run plan prints the plan for jupiter and writes plan.json, with no secret in plain text", () => {
  const out = tmp();
  const token = SENTINELS["equinix-metal:authToken"];
  const r = plan(["--out", out, "--secret", `equinix-metal:authToken=${token}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^GOCY plan: stack jupiter, constellation jupiter \(constellations\/jupiter\.constellation\.yaml\)$/m);
  assert.match(r.stdout, /^jupiter {2}barycenter {2}metro pa {2}cluster ID 1 /m);
  assert.match(r.stdout, /^ganymede {2}satellite {2}metro md {2}cluster ID 2 /m);
  assert.match(r.stdout, /^ {2}VIPs: cp 192\.0\.2\.2 {2}ingress 192\.0\.2\.0 \(shared anycast\) {2}mesh 203\.0\.113\.2$/m);
  assert.match(r.stdout, /^A real pulumi up still needs:$/m);
  assert.match(r.stdout, /gocy:metalProjectId: still the placeholder/);
  const doc = JSON.parse(readFileSync(path.join(out, "plan.json"), "utf8"));
  assert.equal(doc.stack, "jupiter");
  assert.ok(doc.resources.length > 20);
  for (const r0 of doc.resources) assert.deepEqual(Object.keys(r0), ["custom", "dependencies", "inputs", "name", "options", "parent", "provider", "type", "urn"]);
  for (const f of readdirSync(out)) assert.ok(!readFileSync(path.join(out, f), "utf8").includes(token), `${f} holds the token`);
  assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token));
});

test("an invalid constellation exits 2 with the problem lines on stderr, no stack trace, nothing written", () => {
  const out = path.join(tmp(), "plan");
  const r = plan(["--out", out, "--constellation", "test/fixtures/bad/overlap-across.constellation.yaml"]);
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr.trim(),
    'test/fixtures/bad/overlap-across.constellation.yaml:65:5  satellites[1].pod_cidr_blocks[0]: expected CIDRs that overlap no other block in the constellation, got "172.17.0.0/16" of callisto, which overlaps "172.17.0.0/17" of ganymede at satellites[0].pod_cidr_blocks[0] (Cluster Mesh routes pod CIDRs between clusters)',
  );
  assert.equal(existsSync(out), false);
});

test("invalid stack config and unknown flags exit 2 too", () => {
  const a = plan(["--out", tmp(), "--config", "gocy:adminEmail=not-an-address"]);
  assert.equal(a.code, 2);
  assert.equal(a.stderr.trim(), 'Pulumi.jupiter.yaml:11:3  gocy:adminEmail: expected an e-mail address, got "not-an-address"');
  const b = plan(["--nope"]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /^Unknown option '--nope'/);
  assert.match(b.stderr, /usage: npm run plan --/);
});

test("the original's files plan with --raise-versions, which says what it raised", (t) => {
  if (!requireShared(t)) return;
  for (const f of ["jupiter.constellation.yaml", "demo.v0.1.constellation.yaml", "jupiter.later-format.constellation.yaml"]) {
    const file = path.join(SHARED, "seed", "constellations", f);
    const refused = plan(["--out", tmp(), "--constellation", file, "--config", "gocy:clusterIds={}"]);
    assert.equal(refused.code, 2, f);
    const r = plan(["--out", tmp(), "--constellation", file, "--raise-versions", "--config", "gocy:clusterIds={}"]);
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
    assert.match(r.stdout, /capi: raised from v1\.4\.\d to v1\.10\.10 \(--raise-versions\)/);
    assert.match(r.stdout, /unpinned cluster IDs, proposed/);
  }
});

test("--pin-ids writes the proposed IDs into the stack file, keeping its comments", () => {
  const dir = tmp();
  const stackFile = path.join(dir, "Pulumi.demo.yaml");
  writeFileSync(stackFile, "# my stack\nconfig:\n  gocy:subdomain: demo # keep me\n");
  const constellation = path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml");
  const r = plan(["--stack", "demo", "--constellation", constellation, "--out", path.join(dir, "out"), "--pin-ids"], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Pinned jupiter=1, ganymede=2, callisto=3 in Pulumi\.demo\.yaml$/m);
  const text = readFileSync(stackFile, "utf8");
  assert.match(text, /# my stack/);
  assert.match(text, /# keep me/);
  assert.deepEqual((parse(text) as { config: Record<string, unknown> }).config["gocy:clusterIds"], { jupiter: 1, ganymede: 2, callisto: 3 });
  assert.doesNotMatch(r.stdout, /unpinned cluster IDs/);
});
