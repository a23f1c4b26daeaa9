/**
 * The safety net of a destroy: the billing check is deleted after everything that can leave machines or addresses
 * billing, and its delete fails, naming each leftover and the call that removes it, while anything does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { byName, recordExample, SENTINELS, TYPE } from "../helpers";
import { destroyOrder } from "../../tools/record/lifecycle";
import { equinixCurl, stubBin } from "../support/stubs";
import { runRecorded } from "../support/scripts";
import type { Recording } from "../../tools/record/types";

let example: Promise<Recording> | undefined;
const run = () => (example ??= recordExample());
const TOKEN = SENTINELS["equinix-metal:authToken"];

test("pulumi destroy deletes the billing check after every reservation, Cluster and teardown of the constellation", async () => {
  const rec = await run();
  const check = byName(rec, "jupiter-billing-check", TYPE.command);
  const steps = destroyOrder(rec);
  const wave = new Map(steps.map((s) => [s.urn, s.wave]));
  const billable = rec.resources.filter(
    (r) =>
      (r.type === TYPE.reservation && !r.options.protect) ||
      r.type === "kubernetes:cluster.x-k8s.io/v1beta1:Cluster" ||
      (r.type === TYPE.command && typeof r.inputs.delete === "string" && /devices|kind delete|clusterctl move/.test(String(r.inputs.delete)) && r.urn !== check.urn),
  );
  assert.ok(billable.length >= 12, `${billable.length} resources that can leave something billing`);
  for (const r of billable) assert.ok(wave.get(r.urn)! < wave.get(check.urn)!, `${r.name} (wave ${wave.get(r.urn)}) before the billing check (wave ${wave.get(check.urn)})`);
  assert.equal(steps.find((s) => s.urn === check.urn)!.action, "delete");
  // It depends on the protected address, never the reverse: --exclude-protected still runs the check.
  const anycast = byName(rec, "jupiter-anycast-ingress", TYPE.reservation);
  assert.ok(check.dependencies.includes(anycast.urn));
  assert.deepEqual(anycast.dependencies, []);
  const excluded = destroyOrder(rec, { excludeProtected: true });
  assert.equal(excluded.find((s) => s.urn === check.urn)!.action, "delete");
});

test("the check's delete fails while devices or reservations of the constellation remain, and passes once none does", async () => {
  const rec = await run();
  const check = byName(rec, "jupiter-billing-check", TYPE.command);
  const anycastId = (check.inputs.environment as Record<string, unknown>).GOCY_KEEP_RESERVATION as string;
  const left = stubBin();
  left.behave(
    "curl",
    equinixCurl(
      [
        { id: "d1", hostname: "ganymede-m3-small-x86-abc", tags: ["capp:cluster-id:ganymede"] },
        { id: "d2", hostname: "other", tags: ["capp:cluster-id:titan"] },
        { id: "d3", hostname: "callisto-going", tags: ["capp:cluster-id:callisto"], state: "deprovisioning" },
      ],
      [
        { id: anycastId, address: "192.0.2.0", tags: ["gocy:constellation:jupiter", "gocy:role:ingress"] },
        { id: "r7", address: "198.51.100.7", tags: ["cluster-api-provider-packet:cluster-id:callisto"] },
        { id: "r8", address: "198.51.100.8", tags: ["gocy:constellation:saturn"] },
      ],
    ),
  );
  const r = runRecorded(check, "delete", { PATH: left.path });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^gocy: jupiter: Pulumi's state is empty of it, but these still bill in project 00000000-0000-0000-0000-000000000000:$/m);
  assert.match(r.stderr, /^gocy: jupiter: device d3 \(callisto-going, capp:cluster-id:callisto\) is deprovisioning: going away$/m);
  assert.match(r.stderr, /^ {2}device d1 \(ganymede-m3-small-x86-abc, capp:cluster-id:ganymede, \?\): curl -X DELETE -H "X-Auth-Token: \$METAL_AUTH_TOKEN" 'https:\/\/api\.equinix\.com\/metal\/v1\/devices\/d1\?force_delete=true'$/m);
  assert.match(r.stderr, /^ {2}IP reservation r7 \(198\.51\.100\.7\/\?, cluster-api-provider-packet:cluster-id:callisto\): curl -X DELETE/m);
  assert.doesNotMatch(r.stderr, /d2|r8|192\.0\.2\.0/, "other constellations' devices and the protected address are not listed");
  assert.match(r.stderr, /^gocy: jupiter: 1 devices and 1 IP reservations are left; /m);
  assert.match(r.stderr, /^gocy: next: fix the cause and run pulumi destroy again/m);
  assert.ok(!r.stderr.includes(TOKEN) && !left.calls().some((c) => !c.startsWith("stdin:") && c.includes(TOKEN)), "no secret in an output or argument");
  const clean = stubBin();
  clean.behave("curl", equinixCurl([{ id: "d2", tags: ["capp:cluster-id:titan"] }], [{ id: anycastId, tags: ["gocy:constellation:jupiter"] }]));
  const ok = runRecorded(check, "delete", { PATH: clean.path });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, "gocy: jupiter: no device or IP reservation of the constellation is left\n");
  // An API that cannot be asked never reads as "nothing left".
  const down = stubBin();
  down.behave("curl", `echo "curl: (6) Could not resolve host" >&2; exit 6`);
  const failed = runRecorded(check, "delete", { PATH: down.path });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /may still be billing/);
});
