import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { publicTalosconfig } from "../../lib/builders/talos/talosconfig";

test("a talosconfig keeps its public endpoints and hostnames and loses the RFC 1918 ones", () => {
  const text = "context: jupiter\ncontexts:\n  jupiter:\n    endpoints: [10.0.0.5, 147.75.1.2, 172.16.3.4, 172.32.0.1, 192.168.9.9, cp.example.com]\n    ca: abc\n";
  const out = parse(publicTalosconfig(text)) as { contexts: { jupiter: { endpoints: string[]; ca: string } } };
  assert.deepEqual(out.contexts.jupiter.endpoints, ["147.75.1.2", "172.32.0.1", "cp.example.com"]);
  assert.equal(out.contexts.jupiter.ca, "abc");
});

test("text that is not a talosconfig passes through unchanged", () => {
  assert.equal(publicTalosconfig(""), "");
  assert.equal(publicTalosconfig("just text"), "just text");
});
