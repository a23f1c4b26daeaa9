/**
 * The scripts under faults a real run meets: a kind cluster left broken by an interrupted create, a move that failed
 * after taking the Cluster from kind, a DNS key that is not JSON, unbounded waits. Each failure is a `gocy:` line that
 * names the cluster and the next step, and never a secret.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { byName, recordExample, SENTINELS, TYPE } from "../helpers";
import { equinixCurl, stubBin } from "../support/stubs";
import { runRecorded } from "../support/scripts";
import type { Recording } from "../../tools/record/types";

let example: Promise<Recording> | undefined;
const run = () => (example ??= recordExample());
const TOKEN = SENTINELS["equinix-metal:authToken"];

test("a kind cluster that exists but does not answer is not counted as created: the message says to delete it", async () => {
  const kind = byName(await run(), "jupiter-kind", TYPE.command);
  const stubs = stubBin();
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo gocy-jupiter; exit 0; }
[[ "$1 $2" == "get kubeconfig" ]] && { echo "apiVersion: v1"; exit 0; }`);
  stubs.behave("kubectl", `[[ "$*" == *"get --raw /readyz"* ]] && { echo "The connection to the server 127.0.0.1:41234 was refused" >&2; exit 1; }`);
  const r = runRecorded(kind, "create", { PATH: stubs.path });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    "gocy: kind cluster gocy-jupiter exists but does not answer (an interrupted kind create leaves it so): The connection to the server 127.0.0.1:41234 was refused\n" +
      "gocy: next: delete it (kind delete cluster --name gocy-jupiter) and run pulumi up again\n",
  );
  assert.ok(!stubs.calls().some((c) => c.startsWith("kind create")));
  // A kind cluster that answers is kept, and a re-run after deleting the broken one creates it.
  const fine = stubBin();
  fine.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo gocy-jupiter; exit 0; }
[[ "$1 $2" == "get kubeconfig" ]] && { echo "apiVersion: v1"; exit 0; }`);
  fine.behave("kubectl", `exit 0`);
  const ok = runRecorded(kind, "create", { PATH: fine.path });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /kind cluster gocy-jupiter already exists and answers/);
});

test("destroy after a move that failed once it took the Cluster from kind: the apply's delete deletes the devices left", async () => {
  const apply = byName(await run(), "jupiter-capi-apply", TYPE.command);
  const stubs = stubBin();
  // kind answers and holds no Cluster (the move removed it); the move is not in Pulumi's state, so its teardown never
  // ran, and the barycenter's devices still bill.
  stubs.behave("kind", `[[ "$1 $2" == "get clusters" ]] && { echo gocy-jupiter; exit 0; }
[[ "$1 $2" == "get kubeconfig" ]] && { echo "apiVersion: v1"; exit 0; }`);
  stubs.behave("kubectl", `[[ "$1 $2" == "get cluster" ]] && exit 0`);
  stubs.behave("curl", equinixCurl([{ id: "d1", hostname: "jupiter-cp-x", tags: ["capp:cluster-id:jupiter"] }, { id: "d2", tags: ["capp:cluster-id:jupiter"] }]));
  const r = runRecorded(apply, "delete", { PATH: stubs.path });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^gocy: jupiter: kind no longer holds its Cluster, but devices tagged capp:cluster-id:jupiter still exist: a move that failed after taking the Cluster from kind \(so its teardown is not in Pulumi's state\) left them; deleting them$/m);
  assert.deepEqual(stubs.calls().filter((c) => c.includes("--request DELETE")).map((c) => /devices\/(\w+)\?/.exec(c)![1]), ["d1", "d2"]);
  // The same with kind itself gone.
  const gone = stubBin();
  gone.behave("kind", `[[ "$1 $2" == "get clusters" ]] && exit 0`);
  gone.behave("curl", equinixCurl([{ id: "d3", tags: ["capp:cluster-id:jupiter"] }]));
  const g = runRecorded(apply, "delete", { PATH: gone.path });
  assert.equal(g.code, 0, g.stderr);
  assert.ok(gone.calls().some((c) => /--request DELETE .*\/devices\/d3\?force_delete=true$/.test(c)));
  assert.ok(![r.stderr, r.stdout, g.stderr, g.stdout].join("").includes(TOKEN));
});

test("a DNS key that is not JSON: the cleanup fails with a fixed message, never the key", async () => {
  const cleanup = byName(await run(), "ganymede-dns-cleanup", TYPE.command);
  const secret = 'SENTINEL-not-json-key-{"private_key":"-----BEGIN PRIVATE KEY-----MIIE';
  const r = runRecorded(cleanup, "delete", { GOCY_GCP_KEY: secret, PATH: process.env.PATH ?? "/usr/bin:/bin" });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    "gocy: gocy-jupiter-ganymede: the DNS service account key (GOCY_GCP_KEY) is not valid JSON\n" +
      "gocy: next: the records owned by gocy-jupiter-ganymede stay in zone example-com until this succeeds: fix the cause and run pulumi destroy again\n",
  );
  assert.ok(!r.stdout.includes("SENTINEL") && !r.stderr.includes("SENTINEL"));
});

test("every wait in every script is bounded by the wait timeout or less", async () => {
  for (const minutes of ["60", "2"]) {
    const rec = await recordExample({ overrides: { "gocy:waitTimeoutMinutes": minutes } });
    const bound = Number(minutes) * 60;
    let waits = 0;
    for (const r of rec.resources.filter((x) => x.type === TYPE.command)) {
      for (const phase of ["create", "update", "delete"] as const) {
        const text = r.inputs[phase];
        if (typeof text !== "string") continue;
        for (const line of text.split("\n")) {
          // kubectl wait, kubectl delete (which waits unless told not to), kind's --wait, clusterctl's provider wait,
          // cilium's status wait.
          const waiting =
            /\bkubectl (\S+ )*wait\b/.test(line) ||
            (/\bkubectl (\S+ )*delete\b/.test(line) && !/--wait=false/.test(line)) ||
            /--wait-providers|--wait-duration|kind create cluster/.test(line);
          if (!waiting) continue;
          waits++;
          const limits = [...line.matchAll(/(?:--timeout[= ]|--wait-provider-timeout |--wait-duration |--wait )"?(\$\{left\}s|\d+)(s|m)?/g)];
          assert.ok(limits.length > 0, `${r.name} ${phase}: an unbounded wait: ${line.trim()}`);
          for (const m of limits) {
            if (m[1] === "${left}s") continue; // what is left of a deadline of the wait timeout
            const seconds = Number(m[1]) * (m[2] === "m" ? 60 : 1);
            assert.ok(seconds <= bound, `${r.name} ${phase}: ${seconds}s exceeds the wait timeout ${bound}s: ${line.trim()}`);
          }
        }
      }
    }
    assert.ok(waits >= 15, `${waits} waits`);
  }
});
