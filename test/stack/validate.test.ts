import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { validateStack } from "../../lib/stack/validate";
import { InputError } from "../../lib/constellation/problems";
import type { RunMode } from "../../lib/stack/config";
import { PROJECT_ROOT, exampleConfig } from "../helpers";

process.chdir(PROJECT_ROOT);

function validate(config: Record<string, string | undefined>, mode: RunMode, stackFile = "Pulumi.jupiter.yaml") {
  const c = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return validateStack({ stack: "jupiter", mode, get: (k) => c[k], has: (k) => c[k] !== undefined, stackFile });
}

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.message;
  }
  assert.fail("expected the input to be refused");
}

test("the example stack validates for the offline plan, with its placeholders listed as still needed", () => {
  const v = validate(exampleConfig(), "offline-plan");
  assert.deepEqual(Object.fromEntries(v.clusterIds), { jupiter: 1, ganymede: 2, callisto: 3 });
  assert.deepEqual(v.unpinned, []);
  assert.deepEqual(
    v.stillNeeded.map((l) => l.split(":")[0] + ":" + l.split(":")[1]),
    ["gocy:metalProjectId", "gcp:project", "gocy:domain", "gocy:dnsZone", "gocy:adminEmail"],
  );
});

test("a real up refuses placeholders and missing keys, naming the file, line and the command that fixes each", () => {
  const text = problems(() => validate(exampleConfig({ "gocy:subdomain": undefined as unknown as string }), "up"));
  assert.equal(
    text,
    [
      'Pulumi.jupiter.yaml:6:3  gocy:metalProjectId: still the placeholder "00000000-0000-0000-0000-000000000000"; a real pulumi up needs it: pulumi config set gocy:metalProjectId <value>',
      'Pulumi.jupiter.yaml:7:3  gcp:project: still the placeholder "my-gcp-project"; a real pulumi up needs it: pulumi config set gcp:project <value>',
      'Pulumi.jupiter.yaml:8:3  gocy:domain: still the placeholder "example.com"; a real pulumi up needs it: pulumi config set gocy:domain <value>',
      'Pulumi.jupiter.yaml:9:3  gocy:dnsZone: still the placeholder "example-com"; a real pulumi up needs it: pulumi config set gocy:dnsZone <value>',
      'Pulumi.jupiter.yaml:11:3  gocy:adminEmail: still the placeholder "admin@example.com"; a real pulumi up needs it: pulumi config set gocy:adminEmail <value>',
      "Pulumi.jupiter.yaml  gocy:subdomain: not set; a real pulumi up needs it: pulumi config set gocy:subdomain <value>",
    ].join("\n"),
  );
});

test("wrong types in stack config are refused in every mode, with the file's line", () => {
  const config = exampleConfig({ "gocy:clusterIds": '{"jupiter":0}', "gocy:raiseVersions": "yes", "gocy:adminEmail": "nobody" });
  for (const mode of ["offline-plan", "preview", "up"] as const) {
    const text = problems(() => validate(config, mode));
    assert.match(text, /^Pulumi\.jupiter\.yaml:11:3  gocy:adminEmail: expected an e-mail address, got "nobody"$/m);
    assert.match(text, /^Pulumi\.jupiter\.yaml:13:3  gocy:clusterIds: expected IDs from 1 to 255 \(Cluster Mesh refuses 0\), got 0 for "jupiter"$/m);
    assert.match(text, /^Pulumi\.jupiter\.yaml  gocy:raiseVersions: expected true or false, got "yes"$/m);
  }
});

test("unpinned clusters are proposed the lowest free ID: the plan and a preview warn, a real up refuses with the pinning commands", () => {
  const config = exampleConfig({ "gocy:clusterIds": '{"jupiter":1,"callisto":2}' });
  for (const mode of ["offline-plan", "preview"] as const) {
    const v = validate(config, mode);
    assert.deepEqual(Object.fromEntries(v.clusterIds), { jupiter: 1, callisto: 2, ganymede: 3 });
    assert.deepEqual(v.pinCommands, ["pulumi config set --stack jupiter --path 'gocy:clusterIds.ganymede' 3"]);
    assert.ok(v.warnings.some((w) => w.includes("unpinned cluster IDs, proposed ganymede=3")));
  }
  const text = problems(() => validate(exampleConfig({ "gocy:clusterIds": '{"jupiter":1,"callisto":2}', "gocy:metalProjectId": "5f2b3c1d-0000-4000-8000-000000000001", "gcp:project": "real-project", "gocy:domain": "real.dev", "gocy:dnsZone": "real-dev", "gocy:adminEmail": "ops@real.dev" }), "up"));
  assert.equal(
    text,
    "Pulumi.jupiter.yaml  gocy:clusterIds: expected every cluster's Cilium ID to be pinned before a real pulumi up (an ID must never change), got unpinned ganymede=3; pin them with:\n  pulumi config set --stack jupiter --path 'gocy:clusterIds.ganymede' 3",
  );
});

test("removing a pinned satellite from the middle renumbers nobody, and its ID stays reserved", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-ids-"));
  const file = path.join(dir, "two.constellation.yaml");
  const text = require("node:fs").readFileSync("constellations/jupiter.constellation.yaml", "utf8") as string;
  const start = text.indexOf("- name: ganymede");
  const end = text.indexOf("- name: callisto");
  writeFileSync(file, text.slice(0, start) + text.slice(end));
  const v = validate(exampleConfig({ "gocy:constellation": file }), "offline-plan");
  assert.deepEqual(Object.fromEntries(v.clusterIds), { jupiter: 1, callisto: 3 });
  writeFileSync(file, text.slice(0, start) + text.slice(end) + text.slice(start, end).replace(/ganymede/g, "europa").replace(/172\.17\./g, "172.19."));
  const w = validate(exampleConfig({ "gocy:constellation": file }), "offline-plan");
  assert.equal(w.clusterIds.get("europa"), 4, "the removed ganymede's ID 2 is still pinned in the stack, so it is not reused");
});

test("a cluster pinned twice with different IDs, or two clusters on one ID, are refused", () => {
  const fixture = "test/fixtures/good/pinned-jupiter-5.constellation.yaml";
  assert.equal(
    problems(() => validate(exampleConfig({ "gocy:constellation": fixture }), "offline-plan")),
    `${fixture}:10:15  bary.cluster_id: expected one ID per cluster, got 5 here and 1 in Pulumi.jupiter.yaml (gocy:clusterIds.jupiter); keep the one the running cluster has and remove the other`,
  );
  assert.equal(
    problems(() => validate(exampleConfig({ "gocy:clusterIds": '{"jupiter":1,"ganymede":1,"callisto":3}' }), "offline-plan")),
    "Pulumi.jupiter.yaml  gocy:clusterIds.ganymede: expected a cluster ID no other cluster has, got 1, which jupiter already has",
  );
});

/** One bad stack value per rule, each with its full report; nothing is registered (validation runs first). */
const BAD_CONFIG: Record<string, [string, string]> = {
  "gocy:metalProjectId": ["not-a-uuid", 'Pulumi.jupiter.yaml:6:3  gocy:metalProjectId: expected an Equinix Metal project UUID, got "not-a-uuid"'],
  "gcp:project": ["X", 'Pulumi.jupiter.yaml:7:3  gcp:project: expected a Google Cloud project ID (6 to 30 lower-case letters, digits and \'-\'), got "X"'],
  "gocy:domain": ["no_dots", 'Pulumi.jupiter.yaml:8:3  gocy:domain: expected a DNS domain like "example.com", got "no_dots"'],
  "gocy:dnsZone": ["Zone!", 'Pulumi.jupiter.yaml:9:3  gocy:dnsZone: expected a Cloud DNS managed-zone name (lower-case letters, digits and \'-\'), got "Zone!"'],
  "gocy:subdomain": ["a.b", 'Pulumi.jupiter.yaml:10:3  gocy:subdomain: expected a DNS-1123 label, got "a.b"'],
  "gocy:letsEncrypt": ["prod", 'Pulumi.jupiter.yaml  gocy:letsEncrypt: expected "production" or "staging", got "prod"'],
  "gocy:waitTimeoutMinutes": ["0", 'Pulumi.jupiter.yaml  gocy:waitTimeoutMinutes: expected a whole number of minutes from 1 to 9999, got "0"'],
  "gocy:meshVerify": ["yes", 'Pulumi.jupiter.yaml  gocy:meshVerify: expected true or false, got "yes"'],
  "gocy:keepBootstrapCluster": ["1", 'Pulumi.jupiter.yaml  gocy:keepBootstrapCluster: expected true or false, got "1"'],
  "gocy:clusterIds": ["[1,2]", 'Pulumi.jupiter.yaml:13:3  gocy:clusterIds: expected a mapping of cluster name to ID, got "[1,2]"'],
};

for (const [key, [value, expected]] of Object.entries(BAD_CONFIG)) {
  test(`refuses ${key} = ${JSON.stringify(value)} with its full report`, () => {
    assert.equal(problems(() => validate(exampleConfig({ [key]: value }), "offline-plan")), expected);
  });
}
