/**
 * The recording worker's TypeScript loader (node --require): `.ts` files are transpiled with esbuild, as tsx does
 * it (the same esbuild, format, target, keepNames and the project's compiler options), and kept in a cache keyed by
 * their text; everything else loads as plain Node.js loads it. tsx's own hooks also inspect every JavaScript file
 * of node_modules and route resolution through a loader thread, which was a quarter of each recording's CPU time.
 * Plain JavaScript because it is what loads TypeScript.
 */
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const Module = require("node:module");

const ROOT = path.resolve(__dirname, "..", "..");
// esbuild as tsx carries it: the same transpiler the tests and the plan run under.
const esbuild = require(require.resolve("esbuild", { paths: [path.dirname(require.resolve("tsx/package.json", { paths: [ROOT] }))] }));
const OPTIONS = {
  loader: "ts",
  format: "cjs",
  target: `node${process.versions.node}`,
  keepNames: true,
  minifyWhitespace: true,
  tsconfigRaw: { compilerOptions: JSON.parse(readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")).compilerOptions },
};
const CACHE = path.join(ROOT, "node_modules", ".cache", "gocy", "ts");
const VERSION = JSON.stringify([esbuild.version, OPTIONS]);

function transpiled(filename) {
  const source = readFileSync(filename, "utf8");
  const key = createHash("sha256").update(VERSION).update("\0").update(filename).update("\0").update(source).digest("hex");
  const cached = path.join(CACHE, `${key}.js`);
  try {
    return readFileSync(cached, "utf8");
  } catch {
    const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(`${cached}.${process.pid}`, code);
    renameSync(`${cached}.${process.pid}`, cached);
    return code;
  }
}

Module._extensions[".ts"] = function loadTs(module, filename) {
  module._compile(transpiled(filename), filename);
};
