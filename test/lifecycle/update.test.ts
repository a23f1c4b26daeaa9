/**
 * A second `up` after one input changed (tools/record/lifecycle.ts planUpdate): what the engine would update or
 * replace, that no frozen command runs again, that no command whose stdout another resource takes is ever updated
 * (its update would store a different stdout), and that `clusterctl upgrade` runs on a provider version change only.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT, recordExample } from "../helpers";
import { consumedStdout, planUpdate, type PlannedChange } from "../../tools/record/lifecycle";
import { fakeOutputs, fakeStdout } from "../../tools/record/fakes";
import { FROZEN_IGNORE } from "../../components/support/commands";
import type { RecordedResource, Recording } from "../../tools/record/types";

let baseline: Promise<Recording> | undefined;
const first = () => (baseline ??= recordExample());

/** The example constellation with one edit, as a file the stack points at. */
function editedConstellation(edit: (text: string) => string): Record<string, string> {
  const source = readFileSync(path.join(PROJECT_ROOT, "constellations", "jupiter.constellation.yaml"), "utf8");
  const edited = edit(source);
  assert.notEqual(edited, source, "the edit changed the file");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "gocy-update-")), "jupiter.constellation.yaml");
  writeFileSync(file, edited);
  return { "gocy:constellation": file };
}

const stdoutOf = (r: RecordedResource) => {
  const out = fakeOutputs(r.type, r.name, {}, { clusterIds: {}, constellation: "jupiter" }).stdout;
  return typeof out === "string" ? out : fakeStdout(r.name);
};
const isFrozen = (r: RecordedResource) => FROZEN_IGNORE.every((k) => r.options.ignoreChanges.includes(k)) || r.options.ignoreChanges.includes("*");

async function secondUp(overrides: Record<string, string>): Promise<{ changes: PlannedChange[]; before: Recording; after: Recording }> {
  const before = await first();
  const after = await recordExample({ overrides });
  assert.equal(after.error, null, after.error ?? "");
  return { changes: planUpdate(before, after), before, after };
}

/** The rules every second `up` keeps, whatever changed. */
function assertSafe(before: Recording, changes: readonly PlannedChange[]): void {
  const byUrn = new Map(before.resources.map((r) => [r.urn, r]));
  const consumed = new Set(consumedStdout(before, stdoutOf).map((r) => r.urn));
  for (const c of changes.filter((x) => x.type === "command:local:Command")) {
    const r = byUrn.get(c.urn);
    if (!r) continue;
    assert.ok(!consumed.has(c.urn), `${c.name}'s stdout is taken by other resources, yet it would ${c.kind} (${c.keys.join(", ")})`);
    if (isFrozen(r)) assert.equal(c.runs, "no-op update", `frozen ${c.name} would ${c.kind} and run ${c.runs} (${c.keys.join(", ")})`);
  }
}

const summary = (changes: readonly PlannedChange[]) => changes.map((c) => `${c.kind} ${c.name}${c.runs ? ` (${c.runs})` : ""}`).sort();

test("the credential is the one command whose stdout others take, and it ignores every input", async () => {
  const rec = await first();
  const consumed = consumedStdout(rec, stdoutOf);
  assert.deepEqual(consumed.map((r) => r.name), ["jupiter-admin-credential"]);
  assert.deepEqual(consumed[0]!.options.ignoreChanges, ["*"]);
});

test("nothing changed: a second up changes nothing", async () => {
  const { changes } = await secondUp({});
  assert.deepEqual(summary(changes), []);
});

test("a rotated Equinix token: credentials are stored by updates, nothing re-runs, nothing is replaced", async () => {
  const { changes, before } = await secondUp({ "equinix-metal:authToken": "SENTINEL-equinix-token-rotated-0b9d" });
  assertSafe(before, changes);
  assert.ok(changes.length > 0);
  assert.deepEqual(changes.filter((c) => c.kind === "replace" || c.kind === "add" || c.kind === "delete").map((c) => c.name), []);
  const upgrade = changes.find((c) => c.name === "jupiter-clusterctl-upgrade");
  assert.equal(upgrade?.runs, "no-op update", "the upgrade stores the new token and upgrades nothing");
  assert.equal(changes.find((c) => c.name === "jupiter-admin-credential"), undefined);
});

test("a longer wait timeout re-runs no frozen command", async () => {
  const { changes, before } = await secondUp({ "gocy:waitTimeoutMinutes": "90" });
  assertSafe(before, changes);
  assert.deepEqual(changes.filter((c) => c.kind !== "update").map((c) => c.name), []);
});

test("a satellite's worker count: exactly its MachineDeployment is updated", async () => {
  const { changes, before } = await secondUp(
    editedConstellation((t) => t.replace(/(- name: ganymede[\s\S]*?worker_nodes:\n  - count: )2/, "$13")),
  );
  assertSafe(before, changes);
  assert.deepEqual(summary(changes), ["update ganymede-m3-small-x86"]);
  assert.deepEqual(changes[0]!.keys, ["spec"]);
});

test("a provider version bump replaces the upgrade command, which runs clusterctl upgrade; nothing frozen re-runs", async () => {
  const { changes, before } = await secondUp(editedConstellation((t) => t.replace("cabpt: v0.6.12", "cabpt: v0.6.13")));
  assertSafe(before, changes);
  const upgrade = changes.find((c) => c.name === "jupiter-clusterctl-upgrade");
  assert.equal(upgrade?.kind, "replace");
  assert.deepEqual(upgrade?.keys.includes("triggers"), true);
  assert.equal(upgrade?.runs, "create");
});

test("the upgrade command's create upgrades only providers whose installed version differs", async () => {
  const { byName } = await import("../helpers");
  const { stubBin } = await import("../support/stubs");
  const { runRecorded } = await import("../support/scripts");
  const upgrade = byName(await first(), "jupiter-clusterctl-upgrade");
  const inventory = (cabpt: string) =>
    `[[ "$*" == *providers.clusterctl.cluster.x-k8s.io* ]] && { printf 'CoreProvider/cluster-api=v1.10.10 InfrastructureProvider/packet=v0.9.0 BootstrapProvider/talos=${cabpt} ControlPlaneProvider/talos=v0.5.12 '; exit 0; }`;
  const same = stubBin();
  same.behave("kubectl", inventory("v0.6.12"));
  const r = runRecorded(upgrade, "create", { PATH: same.path });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^jupiter: providers already at cluster-api v1\.10\.10, talos v0\.6\.12\/v0\.5\.12, packet v0\.9\.0$/m);
  assert.ok(!same.calls().some((c) => c.startsWith("clusterctl")), "nothing upgraded");
  const older = stubBin();
  older.behave("kubectl", inventory("v0.6.11"));
  const u = runRecorded(upgrade, "create", { PATH: older.path });
  assert.equal(u.code, 0, u.stderr);
  assert.ok(older.calls().some((c) => /^clusterctl upgrade apply --core cluster-api:v1\.10\.10 --bootstrap talos:v0\.6\.12 /.test(c)), older.calls().join("\n"));
  // The token reaches clusterctl through the environment only.
  assert.ok(!older.calls().some((c) => c.includes("SENTINEL")));
});
