import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EXAMPLE_IDS, PROJECT_ROOT, exampleConfig, recordExample, recordGenerated } from "./helpers";
import { elements, parseXml, type XmlElement } from "./support/xml";
import { drawPictures, type PictureInput } from "../tools/pictures";
import { patternOf } from "../tools/files-written";
import { generateConstellation, generatedIds, satelliteName } from "../tools/generate-constellation";
import { validateStack } from "../lib/stack/validate";
import { runPlan } from "../tools/plan";
import { CACHE_ENV } from "../tools/record/engine";
import type { Recorded, RecordedRead, RecordedResource, Recording } from "../tools/record/types";

/** The validated constellation of a generated one (the same text recordGenerated records). */
function generated(satellites: number): Pick<PictureInput, "constellation" | "ids"> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "gocy-pictures-")), "gen.constellation.yaml");
  writeFileSync(file, generateConstellation("gen", satellites));
  const config = exampleConfig({ "gocy:constellation": file, "gocy:clusterIds": JSON.stringify(generatedIds("gen", satellites)) });
  const v = validateStack({ stack: "gen", mode: "offline-plan", get: (k) => config[k], has: (k) => config[k] !== undefined, stackFile: "Pulumi.gen.yaml" });
  return { constellation: v.constellation, ids: v.clusterIds };
}

/** A valid SVG document: parsed strictly, an <svg> root sized by width, height and viewBox. */
function svgRoot(text: string): XmlElement {
  const root = parseXml(text);
  assert.equal(root.name, "svg");
  assert.match(root.attrs.width ?? "", /^\d+(\.\d+)?pt$/);
  assert.match(root.attrs.height ?? "", /^\d+(\.\d+)?pt$/);
  assert.match(root.attrs.viewBox ?? "", /^[\d.-]+ [\d.-]+ [\d.]+ [\d.]+$/);
  return root;
}
const texts = (root: XmlElement) => elements(root).filter((e) => e.name === "text").map((e) => e.text);
const edges = (root: XmlElement) => elements(root).filter((e) => e.name === "g" && e.attrs.class === "edge");

test("the XML check is strict: it refuses what is not well-formed", () => {
  const good = parseXml('<?xml version="1.0"?><!-- c --><svg a="1"><g>x &amp; y&#45;z</g><path d="M0"/></svg>\n');
  assert.equal(good.children.length, 2);
  assert.equal(good.children[0]!.text, "x & y-z");
  for (const bad of ["<svg><g></svg>", "<svg a=1/>", "<svg>a & b</svg>", "<svg/><svg/>", '<svg a="1" a="2"/>', "<svg>", '<svg a="<"/>', "<svg></g>", "text<svg/>"]) {
    assert.throws(() => parseXml(bad), /not well-formed XML/, bad);
  }
});

test("npm run plan writes both pictures for the example and names every file it wrote", async () => {
  const out = mkdtempSync(path.join(tmpdir(), "gocy-plan-"));
  // The plan command in this process (tools/plan.ts runPlan), sharing the recording of identical plans.
  const r = { stdout: "", stderr: "" };
  const code = await runPlan(["--out", out, "--no-compare"], { stdout: { write: (t: string) => (r.stdout += t) }, stderr: { write: (t: string) => (r.stderr += t) }, cwd: PROJECT_ROOT, env: { ...process.env, [CACHE_ENV]: "1" } });
  assert.equal(code, 0, r.stderr);
  const picture = svgRoot(readFileSync(path.join(out, "constellation.svg"), "utf8"));
  for (const name of Object.keys(EXAMPLE_IDS)) assert.ok(texts(picture).includes(name), name);
  svgRoot(readFileSync(path.join(out, "timeline.svg"), "utf8"));
  const block = r.stdout.slice(r.stdout.indexOf(`Wrote `));
  const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(out, path.join(e.parentPath, e.name)));
  assert.equal(block.split("\n")[0], `Wrote ${files.length} files to ${out}/ (<cluster> is each of jupiter, ganymede, callisto):`);
  const listed = block.split("\n").slice(1).filter((l) => l !== "").map((l) => l.trim().split(/\s{2,}/)[0]);
  for (const kind of ["plan.json", "constellation.svg", "timeline.svg", "<cluster>/cluster-manifest.yaml", "<cluster>/network-objects.yaml", "<cluster>/helm/*.values.yaml", "<cluster>/commands/*.sh"]) {
    assert.ok(listed.includes(kind), `${kind} listed:\n${block}`);
  }
  const clusters = new Set(Object.keys(EXAMPLE_IDS));
  for (const f of files) assert.ok(listed.includes(patternOf(f, clusters)), `${f} is named in the list:\n${block}`);
  for (const line of block.split("\n")) assert.ok(line.length <= 100, `wider than 100 columns: ${line}`);
});

test("a preview shows unknown addresses as unknown until up, never null or undefined", async () => {
  const rec = await recordExample({ preview: true });
  const pictures = await drawPictures({ ...example(), recording: rec });
  const shown = texts(svgRoot(pictures["constellation.svg"])).join("\n");
  assert.match(shown, /\(unknown until up\)/);
  assert.doesNotMatch(shown, /null|undefined|\[unknown\]/);
});

/** The example's validated constellation. */
function example(): Pick<PictureInput, "constellation" | "ids"> {
  const config = exampleConfig();
  const v = validateStack({ stack: "jupiter", mode: "offline-plan", get: (k) => config[k], has: (k) => config[k] !== undefined, stackFile: path.join(PROJECT_ROOT, "Pulumi.jupiter.yaml") });
  return { constellation: v.constellation, ids: v.clusterIds };
}

test("at 20 clusters every cluster is named, each with its ID and VIPs, and the same input draws the same bytes", async () => {
  const recording = await recordGenerated(19);
  assert.equal(recording.error, null);
  const input = { ...generated(19), recording };
  const [a, b] = [await drawPictures(input), await drawPictures(input)];
  assert.deepEqual(a, b);
  const shown = texts(svgRoot(a["constellation.svg"]));
  const vips = recording.outputs.vips as Record<string, Record<string, Recorded>>;
  for (const [name, id] of input.ids) {
    assert.ok(shown.includes(name), name);
    const row = shown.slice(shown.indexOf(name), shown.indexOf(name) + 6);
    assert.deepEqual(row.slice(1, 3), [String(id), vips[name]!.cp], `${name}'s row: ${row.join(" | ")}`);
  }
  assert.ok(shown.some((t) => t.includes("all 20 clusters, 190 pairs")));
  const timeline = texts(svgRoot(a["timeline.svg"]));
  assert.ok(timeline.includes("19 satellites, same schedule:"), timeline.join("|"));
  assert.ok(timeline.includes("wait-initialized") && timeline.includes("move"));
});

/**
 * 254 clusters without recording them (minutes under the engine): the recording of 2 satellites with the second
 * one's resources and addresses (and reads) copied for each further satellite, as the program registers every satellite alike.
 */
function widen(rec: Recording, satellites: number): Recording {
  const from = satelliteName(2);
  // sat-2 as a whole name or a name's prefix (sat-2-wait-ready), never inside another one.
  const word = `(?<![\\w-])${from}(?![\\w]|-\\d)`;
  const copy = <T>(x: T, to: string): T => JSON.parse(JSON.stringify(x).replace(new RegExp(word, "g"), to)) as T;
  const mine = rec.resources.filter((r) => new RegExp(word).test(r.urn));
  const mineRead = rec.reads.filter((r) => new RegExp(word).test(r.urn));
  const resources: RecordedResource[] = [...rec.resources];
  const reads: RecordedRead[] = [...rec.reads];
  const vips = { ...(rec.outputs.vips as Record<string, Recorded>) };
  for (let i = 3; i <= satellites; i++) {
    resources.push(...mine.map((r) => copy(r, satelliteName(i))));
    reads.push(...mineRead.map((r) => copy(r, satelliteName(i))));
    vips[satelliteName(i)] = vips[from]!;
  }
  return { ...rec, resources, reads, outputs: { ...rec.outputs, vips } };
}

test("at 254 clusters the mesh is one node, not 32131 links, and both pictures stay small", async () => {
  const recording = widen(await recordGenerated(2), 253);
  assert.equal(recording.resources.filter((r) => r.type === "gocy:index:SatelliteCluster").length, 253);
  const input = { ...generated(253), recording };
  const started = Date.now();
  const pictures = await drawPictures(input);
  const ms = Date.now() - started;
  const picture = svgRoot(pictures["constellation.svg"]);
  // kind, mesh (to the barycenter, to the satellites), manages, anycast; whatever the number of clusters.
  assert.equal(edges(picture).length, 5);
  const shown = texts(picture);
  assert.ok(shown.some((t) => t.includes("all 254 clusters, 32131 pairs")));
  for (const name of input.ids.keys()) assert.ok(shown.includes(name), name);
  const timeline = texts(svgRoot(pictures["timeline.svg"]));
  assert.ok(timeline.includes("253 satellites, same schedule:"), timeline.slice(0, 20).join("|"));
  assert.ok(timeline.includes("sat-1 … sat-253"));
  assert.ok(pictures["constellation.svg"].length < 1_000_000 && pictures["timeline.svg"].length < 400_000, "under 1 MB and 400 kB");
  assert.ok(ms < 20_000, `drawn in ${ms} ms`);
});
