/**
 * The example constellation's URNs, in a golden file: every rename of a resource (which Pulumi would treat as a
 * delete and a create) shows up in review. Rewrite with GOCY_UPDATE_GOLDEN=1 only when a rename is intended.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT, recordExample } from "./helpers";

const GOLDEN = path.join(PROJECT_ROOT, "test", "golden", "jupiter.urns.txt");

test("the example's URNs match the golden list", async () => {
  const rec = await recordExample();
  assert.equal(rec.error, null);
  const urns = `${rec.resources.map((r) => r.urn).sort().join("\n")}\n`;
  if (process.env.GOCY_UPDATE_GOLDEN === "1") writeFileSync(GOLDEN, urns);
  assert.equal(urns, readFileSync(GOLDEN, "utf8"));
});
