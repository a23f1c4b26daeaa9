/**
 * The program's Image Factory schematics: the ID computed offline as Image Factory computes it, every machine template
 * and installer on the schematic of its architecture, and the registration that precedes every CAPI object.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { byName, recordExample, TYPE } from "../helpers";
import { platformSchematic, schematicFor, schematicId } from "../../lib/builders/talos/schematic";
import { closure } from "../support/graph";
import { stubBin } from "../support/stubs";
import { runRecorded } from "../support/scripts";

test("schematic IDs are Image Factory's: the empty schematic, and the equinixMetal one Sidero's own tests use", () => {
  // factory.talos.dev's well-known default (no customisation) is the hash of the empty schematic.
  assert.equal(schematicId("customization: {}\n"), "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba");
  const amd64 = platformSchematic("amd64");
  assert.equal(amd64.yaml, "customization:\n    extraKernelArgs:\n        - talos.platform=equinixMetal\n        - console=ttyS1,115200n8\n");
  // The ID of this exact schematic as the factory stores it (used in siderolabs/talos PR 8527).
  assert.equal(amd64.id, "a6ef1cf923b0b123f88968fb611f4b4d5e53dd8f77be11ba010a38c4bab7f505");
  const arm64 = platformSchematic("arm64");
  assert.deepEqual(parse(arm64.yaml), { customization: { extraKernelArgs: ["talos.platform=equinixMetal", "console=ttyAMA0,115200"] } });
  assert.equal(schematicFor({ schematic: undefined }, { architecture: "arm64" }), arm64.id);
  assert.equal(schematicFor({ schematic: "b".repeat(64) }, { architecture: "arm64" }), "b".repeat(64));
});

test("every device boots and installs the equinixMetal schematic, registered before any CAPI object exists", async () => {
  const rec = await recordExample();
  assert.equal(rec.error, null, rec.error ?? "");
  const amd64 = platformSchematic("amd64");
  const registration = byName(rec, "jupiter-talos-schematic-amd64", TYPE.command);
  assert.equal(registration.inputs.stdin, amd64.yaml);
  assert.deepEqual(registration.inputs.environment, { GOCY_SCHEMATIC_ID: amd64.id });
  const templates = rec.resources.filter((r) => r.type.endsWith(":PacketMachineTemplate"));
  assert.ok(templates.length >= 6);
  for (const t of templates) {
    const spec = (t.inputs.spec as any).template.spec;
    assert.equal(spec.ipxeURL, `https://pxe.factory.talos.dev/pxe/${amd64.id}/v1.12.11/equinixMetal-amd64`, t.name);
    assert.ok(closure(rec, t.urn).has(registration.urn), `${t.name} after the registration`);
  }
  for (const c of rec.resources.filter((r) => r.type.endsWith(":TalosControlPlane") || r.type.endsWith(":TalosConfigTemplate"))) {
    const spec = c.inputs.spec as any;
    const patches: string[] = c.type.endsWith(":TalosControlPlane") ? spec.controlPlaneConfig.controlplane.strategicPatches : spec.template.spec.strategicPatches;
    assert.equal(parse(patches[0]!).machine.install.image, `factory.talos.dev/installer/${amd64.id}:v1.12.11`, c.name);
  }
  // The barycenter's objects reach kind through the apply command: after the registration too.
  assert.ok(closure(rec, byName(rec, "jupiter-capi-apply").urn).has(registration.urn));
});

test("the registration posts the schematic and fails when the factory answers another ID", async () => {
  const rec = await recordExample();
  const registration = byName(rec, "jupiter-talos-schematic-amd64", TYPE.command);
  const id = platformSchematic("amd64").id;
  const ok = stubBin();
  ok.behave("curl", `echo '{"id":"${id}","schematic":"customization: ..."}'; exit 0`);
  const r = runRecorded(registration, "create", { PATH: ok.path });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `Image Factory holds schematic ${id}\n`);
  const call = ok.calls().join("\n");
  assert.match(call, /^curl .* -X POST -H Content-Type: application\/yaml --data-binary @- https:\/\/factory\.talos\.dev\/schematics$/m);
  assert.match(call, /^stdin: {9}- talos\.platform=equinixMetal$/m);
  const other = stubBin();
  other.behave("curl", `echo '{"id": "${"0".repeat(64)}"}'; exit 0`);
  const bad = runRecorded(registration, "create", { PATH: other.path });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^gocy: Image Factory answered another schematic ID than the program computed \(a6ef1cf9/m);
  const down = stubBin();
  down.behave("curl", `echo "curl: (22) The requested URL returned error: 500" >&2; exit 22`);
  const failed = runRecorded(registration, "create", { PATH: down.path });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^gocy: Image Factory did not store the schematic a6ef1cf9\w+: curl: \(22\)/m);
});

test("an arm64 worker group boots and installs the arm64 schematic, and both architectures are registered", async () => {
  const rec = await recordExample({ overrides: { "gocy:constellation": "test/fixtures/good/arm64-workers.constellation.yaml" } });
  assert.equal(rec.error, null, rec.error ?? "");
  const arm64 = platformSchematic("arm64");
  const registrations = rec.resources.filter((r) => r.name.startsWith("jupiter-talos-schematic-")).map((r) => r.name);
  assert.deepEqual(registrations, ["jupiter-talos-schematic-amd64", "jupiter-talos-schematic-arm64"]);
  const template = rec.resources.find((r) => r.type.endsWith(":PacketMachineTemplate") && (r.inputs.spec as any).template.spec.machineType === "c3.large.arm64");
  assert.ok(template);
  assert.equal((template.inputs.spec as any).template.spec.ipxeURL, `https://pxe.factory.talos.dev/pxe/${arm64.id}/v1.12.11/equinixMetal-arm64`);
  const config = rec.resources.find((r) => r.type.endsWith(":TalosConfigTemplate") && r.name === template.name.replace(/-machines$/, "-config"));
  assert.ok(config, `the config template beside ${template.name}`);
  assert.equal(parse((config.inputs.spec as any).template.spec.strategicPatches[0]).machine.install.image, `factory.talos.dev/installer/${arm64.id}:v1.12.11`);
});
