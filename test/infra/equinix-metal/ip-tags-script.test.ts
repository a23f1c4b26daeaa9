/**
 * The tagging script against a stub curl on PATH that records its arguments and standard input and answers as the
 * Equinix API would: order of calls, the exclusive-tag guard, failures, and the token kept out of every argument
 * and error.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { equinixIpTagsScript } from "../../../lib/infra/equinix-metal/ip-tags-script";

const TOKEN = "SENTINEL-token-in-stdin-only";

/** A curl stand-in: logs each call's arguments and stdin, writes $STUB_BODY_<METHOD> to --output, prints the status. */
const STUB_CURL = `#!/usr/bin/env bash
out=""; method=GET; args=("$@")
for ((i=0; i<\${#args[@]}; i++)); do
  case "\${args[$i]}" in --output) out="\${args[$((i+1))]}";; --request) method="\${args[$((i+1))]}";; esac
done
{ printf '%s\\n' "CALL $*"; printf 'STDIN %s\\n' "$(cat)"; } >>"$STUB_LOG"
empty='{}'; var="STUB_BODY_$method"; printf '%s' "\${!var:-$empty}" >"$out"
var="STUB_STATUS_$method"; printf '%s' "\${!var:-200}"
`;

function run(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-curl-"));
  writeFileSync(path.join(dir, "curl"), STUB_CURL);
  chmodSync(path.join(dir, "curl"), 0o755);
  const log = path.join(dir, "calls.log");
  writeFileSync(log, "");
  const r = spawnSync("/bin/bash", ["-c", equinixIpTagsScript], {
    env: { PATH: `${dir}:${process.env.PATH}`, STUB_LOG: log, METAL_AUTH_TOKEN: TOKEN, GOCY_IP_ID: "ip-1", GOCY_PROJECT_ID: "proj-1", GOCY_TAGS: '["a:b","c"]', ...env },
    encoding: "utf8",
  });
  const calls = readFileSync(log, "utf8").split("\n").filter((l) => l.startsWith("CALL "));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls, log: readFileSync(log, "utf8") };
}

test("tags with one PATCH of the whole set; the token travels on stdin, never in an argument", () => {
  const r = run({});
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.calls.length, 1);
  assert.match(r.calls[0]!, /--request PATCH --header @- .* --data \{"tags":\["a:b","c"\]\} https:\/\/api\.equinix\.com\/metal\/v1\/ips\/ip-1$/);
  assert.ok(!r.calls.join("\n").includes(TOKEN), "token in curl's arguments");
  assert.match(r.log, new RegExp(`STDIN X-Auth-Token: ${TOKEN}`));
  assert.equal(r.stdout.trim(), 'tagged IP reservation ip-1: ["a:b","c"]');
});

test("running it again sends the same request: it converges", () => {
  const normalize = (calls: string[]) => calls.map((c) => c.replace(/--output \S+/, "--output <tmp>"));
  assert.deepEqual(normalize(run({}).calls), normalize(run({}).calls));
});

test("refuses when another reservation already carries CAPP's exclusive tag, and tags nothing", () => {
  const list = JSON.stringify({ ip_addresses: [
    { id: "ip-1", address: "192.0.2.1", type: "public_ipv4", tags: ["cluster-api-provider-packet:cluster-id:jupiter"] },
    { id: "ip-old", address: "198.51.100.7", type: "public_ipv4", tags: ["cluster-api-provider-packet:cluster-id:jupiter"] },
    { id: "ip-x", address: "203.0.113.9", type: "public_ipv4", tags: ["other"] },
  ] });
  const r = run({ GOCY_EXCLUSIVE_TAG: "cluster-api-provider-packet:cluster-id:jupiter", STUB_BODY_GET: list });
  assert.equal(r.code, 1);
  assert.equal(r.calls.length, 1);
  assert.match(r.calls[0]!, /--request GET .*\/projects\/proj-1\/ips\?per_page=1000$/);
  assert.match(r.stderr, /other IP reservations already carry cluster-api-provider-packet:cluster-id:jupiter: ip-old \(198\.51\.100\.7, public_ipv4\)\. CAPP would take the first/);
  const clean = run({ GOCY_EXCLUSIVE_TAG: "cluster-api-provider-packet:cluster-id:jupiter", STUB_BODY_GET: JSON.stringify({ ip_addresses: [] }) });
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(clean.calls.length, 2);
});

test("an API failure fails the command with the status and the API's answer, never the token", () => {
  const r = run({ STUB_STATUS_PATCH: "401", STUB_BODY_PATCH: '{"errors":["Invalid authentication token"]}' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Equinix Metal API answered HTTP 401 when tagging IP reservation ip-1: \{"errors":\["Invalid authentication token"\]\}/);
  assert.ok(!r.stderr.includes(TOKEN) && !r.stdout.includes(TOKEN));
});
