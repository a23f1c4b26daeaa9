import { test } from "node:test";
import assert from "node:assert/strict";
import { SENTINELS, TYPE, byName, byType, recordExample } from "./helpers";
import { planDocument, renderPlan } from "../tools/plan-json";
import type { Recording } from "../tools/record/types";
import { stubBin } from "./support/stubs";

const CAPP_TAG = (c: string) => `cluster-api-provider-packet:cluster-id:${c}`;
let update: Promise<Recording> | undefined;
const updateRun = () => (update ??= recordExample());

test("the plan for jupiter holds exactly its reservations: 3 for jupiter, 2 per satellite, 1 global", async () => {
  const rec = await updateRun();
  assert.equal(rec.error, null);
  const reservations = byType(rec, TYPE.reservation);
  assert.deepEqual(reservations.map((r) => r.name).sort(), [
    "callisto-vip-cp",
    "callisto-vip-mesh",
    "ganymede-vip-cp",
    "ganymede-vip-mesh",
    "jupiter-anycast-ingress",
    "jupiter-vip-cp",
    "jupiter-vip-ingress",
    "jupiter-vip-mesh",
  ]);
  const global = byName(rec, "jupiter-anycast-ingress", TYPE.reservation);
  assert.equal(global.inputs.type, "global_ipv4");
  assert.equal(global.inputs.metro, undefined);
  for (const r of reservations.filter((x) => x !== global)) {
    assert.equal(r.inputs.type, "public_ipv4");
    assert.equal(r.inputs.quantity, 1);
  }
  assert.equal(byName(rec, "ganymede-vip-cp", TYPE.reservation).inputs.metro, "md");
  assert.equal(byName(rec, "callisto-vip-mesh", TYPE.reservation).inputs.metro, "fr");
  assert.equal(byName(rec, "jupiter-vip-ingress", TYPE.reservation).inputs.description, "gocy constellation jupiter, cluster jupiter, role ingress");
});

test("only the global reservation is protected, and its component is not", async () => {
  const rec = await updateRun();
  assert.deepEqual(rec.resources.filter((r) => r.options.protect).map((r) => r.name), ["jupiter-anycast-ingress"]);
  const global = byName(rec, "jupiter-anycast-ingress", TYPE.reservation);
  assert.equal(global.parent, "urn:pulumi:jupiter::gocy::gocy:index:AnycastIngress::jupiter");
});

test("both satellites' ingress resolve to the one anycast address", async () => {
  const rec = await updateRun();
  const vips = rec.outputs.vips as Record<string, Record<string, string>>;
  assert.equal(vips.ganymede!.ingress, rec.outputs.anycastAddress);
  assert.equal(vips.callisto!.ingress, rec.outputs.anycastAddress);
  assert.notEqual(vips.jupiter!.ingress, rec.outputs.anycastAddress);
  assert.deepEqual(rec.outputs.clusterIds, { jupiter: 1, ganymede: 2, callisto: 3 });
});

test("every reservation has a tag command; the cp ones carry CAPP's tag, all carry constellation, cluster and role", async () => {
  const rec = await updateRun();
  for (const r of byType(rec, TYPE.reservation)) {
    const tags = byName(rec, `${r.name}-tags`, TYPE.command);
    assert.deepEqual(tags.dependencies, [r.urn], `${tags.name} depends on its reservation only`);
    const env = tags.inputs.environment as Record<string, unknown>;
    const list = JSON.parse(env.GOCY_TAGS as string) as string[];
    const cluster = r.name.replace(/-vip-.*$/, "");
    if (r.name.endsWith("-vip-cp")) assert.equal(list[0], CAPP_TAG(cluster));
    else assert.ok(!list.some((t) => t.startsWith("cluster-api-provider-packet:")), `${r.name} must not carry CAPP's tag`);
    assert.ok(list.includes("gocy:constellation:jupiter"));
    assert.ok(list.some((t) => t.startsWith("gocy:cluster:")) && list.some((t) => t.startsWith("gocy:role:")));
    // The token arrives as a secret environment value only, never in the script or another input.
    assert.deepEqual(env.METAL_AUTH_TOKEN, { "[secret]": SENTINELS["equinix-metal:authToken"] });
    assert.equal(tags.inputs.delete, undefined, "tags go with the reservation: no delete");
  }
});

test("every reservation depends on nothing but the Equinix provider and the billing check, the protected one on the provider alone", async () => {
  const rec = await updateRun();
  const provider = byType(rec, TYPE.equinixProvider);
  assert.equal(provider.length, 1);
  const check = byName(rec, "jupiter-billing-check", TYPE.command);
  // The billing check is created at once (a no-op) and depends on the protected reservation only: no cycle, and the
  // barycenter's network layer still has every mesh address before the move.
  assert.deepEqual(check.dependencies, [byName(rec, "jupiter-anycast-ingress", TYPE.reservation).urn]);
  for (const r of byType(rec, TYPE.reservation)) {
    assert.equal(r.provider, provider[0]!.urn);
    assert.deepEqual(r.dependencies, r.options.protect ? [] : [check.urn], r.name);
  }
});

test("the token appears nowhere in plain text: not in plan.json, not in any non-secret input, not in a log", async () => {
  const rec = await updateRun();
  const plan = renderPlan(planDocument(rec, "constellations/jupiter.constellation.yaml"));
  for (const sentinel of Object.values(SENTINELS)) {
    assert.ok(!plan.includes(sentinel), "plan.json holds a secret in plain text");
    assert.ok(!JSON.stringify(rec.logs).includes(sentinel));
  }
  // In the recording, the sentinel may only sit directly under a secret marker.
  const stripped = JSON.stringify(rec.resources).replace(/\{"\[secret\]":"[^"]*"\}/g, '"[secret]"');
  assert.ok(!stripped.includes(SENTINELS["equinix-metal:authToken"]));
  assert.match(plan, /"METAL_AUTH_TOKEN": "\[secret\]"/);
});

test("two plan runs of the same stack produce byte-identical plan.json", async () => {
  const [a, b] = await Promise.all([recordExample(), recordExample()]);
  assert.equal(renderPlan(planDocument(a, "x")), renderPlan(planDocument(b, "x")));
});

test("the preview-mode run succeeds and registers the same resources, with ids and addresses unknown", async () => {
  const [rec, preview] = await Promise.all([updateRun(), recordExample({ preview: true })]);
  assert.equal(preview.error, null);
  assert.deepEqual(preview.resources.map((r) => r.urn).sort(), rec.resources.map((r) => r.urn).sort());
  const tags = byName(preview, "jupiter-vip-cp-tags", TYPE.command);
  assert.equal((tags.inputs.environment as Record<string, unknown>).GOCY_IP_ID, "[unknown]");
  assert.equal(preview.outputs.anycastAddress, "[unknown]");
});

test("a real update with an unpinned cluster is refused with the pinning command and registers nothing", async () => {
  const overrides = {
    "gocy:clusterIds": '{"jupiter":1,"ganymede":2}',
    "gocy:metalProjectId": "5f2b3c1d-0000-4000-8000-000000000001",
    "gcp:project": "real-project",
    "gocy:domain": "real.dev",
    "gocy:dnsZone": "real-dev",
    "gocy:adminEmail": "ops@real.dev",
  };
  const refused = await recordExample({ offlineSignal: false, overrides });
  assert.match(refused.error ?? "", /gocy:clusterIds: expected every cluster's Cilium ID to be pinned before a real pulumi up .* got unpinned callisto=3; pin them with:\n  pulumi config set --stack jupiter --path 'gocy:clusterIds.callisto' 3/);
  assert.ok(!(refused.error ?? "").includes("    at "), "no stack trace for a user mistake");
  assert.deepEqual(refused.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"), [], "nothing but the stack was registered");

  const [offline, preview] = await Promise.all([
    recordExample({ overrides }),
    recordExample({ offlineSignal: false, preview: true, overrides }),
  ]);
  for (const rec of [offline, preview]) {
    assert.equal(rec.error, null);
    assert.ok(rec.logs.some((l) => l.severity === "warning" && l.message.includes("'gocy:clusterIds.callisto' 3")));
  }
});

test("the update-mode run without the offline-plan signal works once the stack is complete and the tools are there", async () => {
  const rec = await recordExample({
    offlineSignal: false,
    env: { PATH: stubBin().path, GITHUB_TOKEN: "x" },
    overrides: {
      "gocy:metalProjectId": "5f2b3c1d-0000-4000-8000-000000000001",
      "gcp:project": "real-project",
      "gocy:domain": "real.dev",
      "gocy:dnsZone": "real-dev",
      "gocy:adminEmail": "ops@real.dev",
    },
  });
  assert.equal(rec.error, null);
  assert.equal(byType(rec, TYPE.reservation).length, 8);
});

test("a bad constellation under Pulumi is a RunError with every problem line, and nothing is registered", async () => {
  const rec = await recordExample({ overrides: { "gocy:constellation": "test/fixtures/bad/wrong-types.constellation.yaml" } });
  assert.equal(
    rec.error,
    [
      "invalid constellation or stack configuration:",
      "test/fixtures/bad/wrong-types.constellation.yaml:35:10  satellites[0].metro: expected a string, got 5",
      'test/fixtures/bad/wrong-types.constellation.yaml:64:20  satellites[1].pod_cidr_blocks: expected a list, got "172.18.0.0/17"',
    ].join("\n"),
  );
  assert.deepEqual(rec.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"), []);
});

test("the whole registration finishes within a fixed watchdog", async () => {
  const rec = await recordExample({ watchdogMs: 20_000 });
  assert.equal(rec.error, null);
  assert.ok(rec.elapsedMs < 20_000);
});
