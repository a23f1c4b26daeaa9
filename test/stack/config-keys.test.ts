/**
 * CONFIG_KEYS is the one source of the stack configuration: Pulumi.yaml's `config:` block and the key table of
 * docs/configuration.md must say what it says, and the program's defaults must be the ones Pulumi.yaml declares.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CONFIG_KEYS, readStackConfig, type ConfigKey } from "../../lib/stack/config";
import { CONFIGURATION_DOC, PROJECT_FILE, configTable, declarable, documentedTable, projectConfigDrift } from "../../tools/config-docs";

const projectConfig = () => (parse(readFileSync(PROJECT_FILE, "utf8")) as { config?: Record<string, unknown> }).config;

test("Pulumi.yaml declares every gocy key exactly as CONFIG_KEYS describes it: type, description, default, secret", () => {
  assert.deepEqual(projectConfigDrift(projectConfig()), []);
});

test("a drifted Pulumi.yaml is reported key by key, naming the field and both values", () => {
  const drifted = structuredClone(projectConfig()) as Record<string, Record<string, unknown>>;
  drifted["gocy:waitTimeoutMinutes"]!.default = 30;
  drifted["gocy:meshVerify"]!.description = "Something else.";
  drifted["gocy:letsEncrypt"]!.secret = true;
  delete drifted["gocy:keepBootstrapCluster"];
  drifted["gocy:retired"] = { type: "string", default: "" };
  drifted["gcp:project"] = { type: "string", default: "" };
  assert.deepEqual(projectConfigDrift(drifted), [
    "gcp:project: declared in Pulumi.yaml, but a project may declare only its own namespace (gocy:)",
    "gocy:waitTimeoutMinutes: default is 30 in Pulumi.yaml, 60 in CONFIG_KEYS",
    "gocy:letsEncrypt: secret is true in Pulumi.yaml, false in CONFIG_KEYS",
    'gocy:meshVerify: description is "Something else." in Pulumi.yaml, "Verify every Cluster Mesh connection with the cilium CLI during pulumi up (false: no cilium CLI needed)." in CONFIG_KEYS',
    "gocy:keepBootstrapCluster: in CONFIG_KEYS but not declared in Pulumi.yaml",
    "gocy:retired: declared in Pulumi.yaml but not in CONFIG_KEYS (the program never reads it)",
  ]);
});

test("docs/configuration.md's key table is the one generated from CONFIG_KEYS (node --import tsx tools/config-docs.ts)", () => {
  const table = documentedTable(readFileSync(CONFIGURATION_DOC, "utf8"));
  assert.ok(table !== undefined, "docs/configuration.md lost its config-keys markers");
  const want = configTable().split("\n");
  const got = table.split("\n");
  for (const [i, line] of want.entries()) assert.equal(got[i], line, `row ${i + 1} of the table differs from CONFIG_KEYS`);
  assert.equal(got.length, want.length, "the table has rows CONFIG_KEYS does not");
});

test("every key's default has its declared type and passes the key's own check", () => {
  for (const k of CONFIG_KEYS) {
    if (!declarable(k)) {
      assert.equal(k.default, undefined, `${k.key}: a key of another namespace cannot have a project default`);
      continue;
    }
    const kind = { string: "string", integer: "number", boolean: "boolean", object: "object" }[k.type];
    assert.equal(typeof k.default, kind, `${k.key}: default ${JSON.stringify(k.default)} is not a ${k.type}`);
    if (k.type === "integer") assert.ok(Number.isInteger(k.default), `${k.key}: default is not an integer`);
    // Required keys default to "" (unset); every other default is a value the key accepts.
    if (k.default !== "" && k.check) assert.equal(k.check(asPulumiHandsIt(k.default)!), undefined, `${k.key}: its own default fails its check`);
  }
});

/** A project default as the Pulumi CLI hands it to the program: strings as they are, anything else as JSON. */
function asPulumiHandsIt(value: ConfigKey["default"]): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

test("the program's defaults are Pulumi.yaml's: a stack that sets nothing reads the same with or without them", () => {
  const declared = projectConfig() ?? {};
  const fromProject = new Map(
    CONFIG_KEYS.filter((k) => declared[k.key] !== undefined).map((k) => [k.key, asPulumiHandsIt((declared[k.key] as { default: ConfigKey["default"] }).default)!]),
  );
  const read = (values: Map<string, string>) =>
    readStackConfig("nowhere", (key) => values.get(key), (key) => values.has(key), "offline-plan", "Pulumi.nowhere.yaml").config;
  const bare = read(new Map());
  assert.deepEqual(read(fromProject), bare);
  assert.equal(bare.waitTimeoutSeconds, 60 * 60);
  assert.equal(bare.meshVerify, true);
  assert.equal(bare.letsEncrypt, "production");
  assert.equal(bare.raiseVersions, false);
  assert.equal(bare.keepBootstrapCluster, false);
  assert.equal(bare.constellationFile, "constellations/nowhere.constellation.yaml");
  assert.deepEqual(bare.clusterIds, {});
});
