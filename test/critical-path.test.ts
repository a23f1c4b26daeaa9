import { test } from "node:test";
import assert from "node:assert/strict";
import { stepMinutes } from "../tools/critical-path";
import { phaseOf } from "../tools/plan-summary";
import type { RecordedResource } from "../tools/record/types";

const RELEASE = "kubernetes:helm.sh/v3:Release";

test("a cluster name with dashes is read against the clusters: eu-west's Cilium is charged as Cilium", () => {
  assert.equal(stepMinutes("eu-west-cilium", RELEASE, ["jupiter", "eu-west"]), 3);
  assert.equal(stepMinutes("eu-west-wait-ready", "command:local:Command", ["jupiter", "eu-west"]), 15);
  // Read against the wrong clusters, the chart is not recognised: the list is what decides.
  assert.equal(stepMinutes("eu-west-cilium", RELEASE, ["eu"]), 0.1);
});

test("the phase of a dashed cluster's command comes from its name kind", () => {
  const r = { type: "command:local:Command", name: "eu-west-wait-initialized", custom: true } as RecordedResource;
  assert.equal(phaseOf(r, ["jupiter", "eu-west"]), "first control plane up");
});
