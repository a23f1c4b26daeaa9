/**
 * Secret scan: sentinel values for every secret config value and fake secret outputs (the DNS key, the kubeconfigs,
 * the CA key); none may appear in plain text in plan.json, in out/, in a recorded non-secret input, in a command's
 * arguments, or in anything the program logs. Secrets are narrow: the rest of a value set stays readable.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT, SENTINELS, byName, recordExample } from "../helpers";
import { redact } from "../../tools/plan-json";
import { FAKE_CA_KEY_PEM } from "../../tools/record/fake-ca";
import { CACHE_ENV } from "../../tools/record/engine";

const b64 = (s: string) => Buffer.from(s).toString("base64");
/** The mesh CA key as the recording engine fakes it (PEM body), and as Cilium's values carry it (base64 of the PEM). */
const caPem = FAKE_CA_KEY_PEM;
/** The key's body line: what a leak of the PEM would show. */
const caBody = FAKE_CA_KEY_PEM.split("\n")[1]!;
/** Every sentinel: secret config values and the fake secret outputs the recording engine produces. */
const ALL = [
  ...Object.values(SENTINELS),
  "SENTINEL-gcp-sa-key",
  "SENTINEL-kubeconfig-token",
  b64("SENTINEL-capi-client-key-ganymede"),
  caBody,
  b64(caPem).slice(0, 60),
];

/** The recording as JSON with every secret-marked value replaced, structurally (the plan's own redaction). */
function outsideSecrets(value: unknown): string {
  return JSON.stringify(redact(value));
}

test("no sentinel in plan.json, out/ or anything the plan prints", () => {
  const out = mkdtempSync(path.join(tmpdir(), "gocy-secrets-"));
  const tsx = pathToFileURL(require.resolve("tsx", { paths: [PROJECT_ROOT] })).href;
  const secrets = Object.entries(SENTINELS).flatMap(([k, v]) => ["--secret", `${k}=${v}`]);
  const r = spawnSync(process.execPath, ["--import", tsx, path.join(PROJECT_ROOT, "tools", "plan.ts"), "--out", out, ...secrets], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, [CACHE_ENV]: "1" } });
  assert.equal(r.status, 0, r.stderr);
  const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? (e as any).path, e.name));
  assert.ok(files.length > 30);
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    for (const s of ALL) assert.ok(!text.includes(s), `${path.relative(out, f)} holds ${s}`);
  }
  for (const s of ALL) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `the plan printed ${s}`);
});

test("no sentinel in a recorded non-secret input, a command's script, a stack output or a log", async () => {
  for (const preview of [false, true]) {
    const rec = await recordExample({ preview });
    if (!preview) for (const s of ALL.slice(2)) assert.ok(JSON.stringify(rec).includes(s), `the scan looks for what is really there: ${s}`);
    const plain = outsideSecrets(rec.resources.map((r) => r.inputs));
    for (const s of ALL) {
      assert.ok(!plain.includes(s), `${s} sits in a plain input (preview ${preview})`);
      assert.ok(!JSON.stringify(rec.logs).includes(s), `${s} was logged`);
      assert.ok(!outsideSecrets(rec.outputs).includes(s), `${s} in a plain stack output`);
    }
    for (const r of rec.resources.filter((x) => x.type === "command:local:Command")) {
      for (const phase of ["create", "update", "delete"]) for (const s of ALL) assert.ok(!String(r.inputs[phase] ?? "").includes(s), `${r.name} ${phase} script`);
    }
  }
});

test("stack outputs holding a kubeconfig, talosconfig, key or token are secret; the rest are plain", async () => {
  const rec = await recordExample();
  const o = redact(rec.outputs) as Record<string, unknown>;
  assert.equal(o.kubeconfigs, "[secret]");
  assert.equal(o.talosconfigs, "[secret]");
  for (const k of ["vips", "anycastAddress", "clusterIds", "mesh", "whoamiUrl"]) assert.notEqual(o[k], "[secret]", `${k} stays readable`);
});

test("secrets are narrow: only the secret leaves of Cilium's values, a command's environment and a provider are secret", async () => {
  const rec = await recordExample();
  const cilium = redact(byName(rec, "ganymede-cilium").inputs.values) as any;
  assert.equal(cilium.tls.ca.key, "[secret]");
  assert.notEqual(cilium.tls.ca.cert, "[secret]");
  assert.equal(cilium.cluster.name, "ganymede");
  const env = redact(byName(rec, "jupiter-move").inputs.environment) as Record<string, string>;
  assert.deepEqual(Object.keys(env).sort(), ["GOCY_KUBECONFIG", "GOCY_PROJECT_ID", "METAL_AUTH_TOKEN"]);
  assert.equal(env.METAL_AUTH_TOKEN, "[secret]");
  assert.equal(env.GOCY_KUBECONFIG, "[secret]");
  assert.equal(env.GOCY_PROJECT_ID, "00000000-0000-0000-0000-000000000000");
  assert.equal((redact(byName(rec, "jupiter-move").inputs) as any).create.includes("clusterctl move"), true, "the script stays readable");
});
