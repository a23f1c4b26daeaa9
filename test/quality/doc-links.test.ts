/**
 * Code comments and the documentation point at sections of docs/*.md by anchor (`docs/architecture.md#the-move`).
 * Every such pointer, and every relative Markdown link between the documents, must reach an existing file and
 * heading: a renamed heading would otherwise leave comments pointing nowhere.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../helpers";

/** A heading's anchor as GitHub derives it: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name === "out" || name.startsWith(".")) return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, ext) : ext.test(name) ? [full] : [];
  });
}

test("the heading anchors follow GitHub's rule", () => {
  assert.equal(anchorOf("deletedWith and creation order"), "deletedwith-and-creation-order");
  assert.equal(anchorOf("DNS, TLS, ingress and the whoami demo"), "dns-tls-ingress-and-the-whoami-demo");
});

test("every docs/<file>.md#<anchor> cited in code, configuration or docs names an existing section", () => {
  const broken: string[] = [];
  let cited = 0;
  for (const file of files(PROJECT_ROOT, /\.(ts|ya?ml|md|cjs)$/)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/docs\/([a-z0-9-]+\.md)#([a-z0-9-]+)/g)) {
      cited++;
      const target = path.join(PROJECT_ROOT, "docs", m[1]!);
      if (!existsSync(target)) broken.push(`${path.relative(PROJECT_ROOT, file)}: ${m[0]} (no such file)`);
      else if (!anchors(target).has(m[2]!)) broken.push(`${path.relative(PROJECT_ROOT, file)}: ${m[0]} (no such heading)`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(cited >= 30, `expected the code's pointers into docs/, found ${cited}`);
});

test("every relative link in README.md and docs/ reaches a file, and its anchor a heading", () => {
  const broken: string[] = [];
  for (const file of [path.join(PROJECT_ROOT, "README.md"), ...files(path.join(PROJECT_ROOT, "docs"), /\.md$/)]) {
    const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1]!;
      if (/^[a-z]+:/.test(link)) continue;
      const [target, anchor] = link.split("#") as [string, string | undefined];
      const resolved = target === "" ? file : path.resolve(path.dirname(file), target);
      if (!existsSync(resolved)) broken.push(`${path.relative(PROJECT_ROOT, file)}: ${link} (no such file)`);
      else if (anchor !== undefined && !anchors(resolved).has(anchor)) broken.push(`${path.relative(PROJECT_ROOT, file)}: ${link} (no such heading)`);
    }
  }
  assert.deepEqual(broken, []);
});
