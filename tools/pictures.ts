/**
 * The plan's two pictures, drawn by Graphviz (compiled to WebAssembly: no browser, no binary to install):
 *
 * - constellation.svg: clusters by metro with role, cluster ID and VIPs, the kind bootstrap, the barycenter managing
 *   the satellites, the shared anycast address and the Cluster Mesh. The mesh joins every pair of clusters; it is
 *   drawn as one node with one link per side, so the picture grows with the clusters, never with the pairs.
 * - timeline.svg: the modelled bring-up (tools/critical-path.ts) as a lane per cluster, each step of a minute or
 *   more a bar from its modelled start to its end, the critical path highlighted, shorter steps as ticks. Above
 *   MAX_LANES lanes, clusters whose schedules are the same share one lane.
 *
 * Same input, same bytes: every position and label is computed here from the constellation and the recording.
 */
import { instance } from "@viz-js/viz";
import { allClusters, type ClusterSpec, type Constellation } from "../lib/constellation/model";
import { names } from "../lib/builders/names";
import { UNKNOWN, type Recorded, type Recording } from "./record/types";
import { criticalPath, schedule, type Step } from "./critical-path";
import { clusterOf } from "./plan-summary";

/**
 * Graphviz sizes every box by its own table of font widths, and names one font in the SVG. Verdana is about the
 * widest common sans-serif: sized for it, text fits in whichever of the fonts named in the SVG a viewer has.
 */
const FONT = "Verdana";
const FONT_FAMILIES = "Verdana,DejaVu Sans,Arial,Helvetica,sans-serif";
/** Whole-constellation resources (anycast, DNS, mesh CA, mesh checks) have this lane. */
const CONSTELLATION = "(constellation)";

/** HTML-like label text, escaped. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** A quoted DOT string. */
const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** An address as the plan knows it: a preview knows none yet, and a missing one is said, never `null`. */
export function addressText(v: Recorded | undefined, preview: boolean): string {
  if (typeof v === "string" && v !== UNKNOWN) return v;
  return preview ? "(unknown until up)" : "(none)";
}

export interface PictureInput {
  readonly constellation: Constellation;
  readonly ids: ReadonlyMap<string, number>;
  readonly recording: Recording;
}

const nodeCount = (c: ClusterSpec) => `${c.controlPlane.count} + ${c.workers.reduce((n, w) => n + w.count, 0)}`;

/** The constellation as a Graphviz graph (dot layout). */
export function constellationDot({ constellation: c, ids, recording: rec }: PictureInput): string {
  const vips = (typeof rec.outputs.vips === "object" && rec.outputs.vips !== null ? rec.outputs.vips : {}) as Record<string, Recorded>;
  const vipOf = (name: string, role: string) => {
    const v = vips[name];
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v[role] : undefined;
  };
  const addr = (v: Recorded | undefined) => addressText(v, rec.preview);
  const anycast = addr(rec.outputs.anycastAddress);
  const clusters = allClusters(c);
  const n = clusters.length;
  const bary = c.barycenter;
  const cell = (s: string, extra = "") => `<td${extra}>${s}</td>`;
  const header = (cols: string[]) => `<tr>${cols.map((h) => cell(`<font point-size="9" color="#555555">${esc(h)}</font>`)).join("")}</tr>`;
  const row = (x: ClusterSpec, ingress: string) =>
    `<tr>${cell(`<b>${esc(x.name)}</b>`, ' align="left"')}${cell(esc(String(ids.get(x.name) ?? "?")))}${cell(esc(addr(vipOf(x.name, "cp"))))}${cell(esc(ingress))}${cell(esc(addr(vipOf(x.name, "mesh"))))}${cell(esc(nodeCount(x)))}</tr>`;
  const table = (title: string, fill: string, rows: string[]) =>
    `<<table border="0" cellborder="1" cellspacing="0" cellpadding="4" bgcolor="white"><tr><td colspan="6" bgcolor="${fill}">${title}</td></tr>${header(["cluster", "ID", "cp VIP", "ingress", "mesh VIP", "cp + workers"])}${rows.join("")}</table>>`;

  const lines = [
    `digraph constellation {`,
    `  graph [rankdir=TB, compound=true, newrank=true, nodesep=0.35, ranksep=0.55, fontname=${q(FONT)}, fontsize=18, labelloc=t, label=${q(`Constellation ${c.name}: ${n} cluster${n === 1 ? "" : "s"}${rec.preview ? " (preview: addresses unknown until up)" : ""}`)}];`,
    `  node [fontname=${q(FONT)}, fontsize=11, shape=plaintext];`,
    `  edge [fontname=${q(FONT)}, fontsize=10, color="#444444"];`,
    `  kind [shape=box, style="rounded,dashed", label=${q(`kind cluster ${names.kindCluster(c.name)}\non this machine, temporary`)}];`,
    `  bary [label=${table(`<b>barycenter</b> (management) · metro ${esc(bary.metro)}`, "#f6d7a7", [row(bary, addr(vipOf(bary.name, "ingress")))])}];`,
  ];
  lines.push(`  kind -> bary [style=dashed, label=${q("1  boots it, then clusterctl move:\nthe barycenter manages itself (2)")}];`);
  const pairs = (n * (n - 1)) / 2;
  lines.push(
    `  mesh [shape=box, style="rounded,filled", fillcolor="#e3f1e0", label=${q(`Cilium Cluster Mesh\nall ${n} clusters, ${pairs} pair${pairs === 1 ? "" : "s"}\nthrough each cluster's mesh VIP`)}];`,
  );
  lines.push(`  mesh -> bary [dir=both, style=dashed, color="#3a7d32", arrowsize=0.6];`);

  if (c.satellites.length > 0) {
    const byMetro = new Map<string, ClusterSpec[]>();
    for (const s of c.satellites) byMetro.set(s.metro, [...(byMetro.get(s.metro) ?? []), s]);
    const metros = [...byMetro.keys()];
    const perRow = Math.max(1, Math.ceil(Math.sqrt(metros.length)));
    const id = (i: number) => `metro_${i}`;
    lines.push(
      `  subgraph cluster_satellites {`,
      `    label=${q(`${c.satellites.length} satellite${c.satellites.length === 1 ? "" : "s"} in ${metros.length} metro${metros.length === 1 ? "" : "s"}, brought up in parallel; each one's ingress is the shared anycast`)}; style="rounded"; color="#888888"; fontsize=12;`,
    );
    metros.forEach((m, i) => {
      const list = byMetro.get(m)!;
      const ingress = (x: ClusterSpec) => {
        const a = addr(vipOf(x.name, "ingress"));
        return a === anycast ? "anycast" : a;
      };
      lines.push(`    ${id(i)} [label=${table(`<b>metro ${esc(m)}</b> · ${list.length} satellite${list.length === 1 ? "" : "s"}`, "#cfe0f3", list.map((x) => row(x, ingress(x))))}];`);
    });
    // Metros wrap into rows of perRow: a hidden link from each to the one below it.
    for (let i = 0; i + perRow < metros.length; i++) lines.push(`    ${id(i)} -> ${id(i + perRow)} [style=invis];`);
    for (let r = 0; r * perRow < metros.length; r++) {
      lines.push(`    { rank=same; ${metros.slice(r * perRow, (r + 1) * perRow).map((_, j) => id(r * perRow + j)).join("; ")} }`);
    }
    lines.push(`  }`);
    const first = id(0);
    const last = id(metros.length - 1);
    lines.push(`  bary -> ${first} [lhead=cluster_satellites, style=bold, label=${q("3  manages every satellite\n(Cluster API)")}];`);
    lines.push(`  mesh -> ${first} [lhead=cluster_satellites, dir=both, style=dashed, color="#3a7d32", arrowsize=0.6];`);
    lines.push(
      `  anycast [shape=ellipse, style=filled, fillcolor="#fbe3e3", label=${q(`anycast ingress ${anycast}\nglobal IPv4, one address for all ${c.satellites.length} satellite${c.satellites.length === 1 ? "" : "s"}`)}];`,
    );
    lines.push(`  ${last} -> anycast [ltail=cluster_satellites, label=${q("each satellite announces it\n(BGP, MetalLB)")}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** Most lanes drawn one per cluster; beyond it, clusters with the same schedule share a lane. */
export const MAX_LANES = 8;
/** A shared lane names its clusters in at most this many lines, else only the first and the last. */
const MAX_NAME_LINES = 8;
const PX_PER_MIN = 14;
const LEFT = 200;
const BAR_H = 16;
const ROW = 21;
const TICKS_H = 12;
const LANE_PAD = 6;
const FONT_PX = 10;
const textWidth = (s: string, px = FONT_PX) => Math.ceil(s.length * px * 0.6) + 6;
const f = (x: number) => x.toFixed(2);

interface Lane {
  readonly clusters: string[];
  /** Steps with the cluster's name taken off the front ("wait-ready"), in registration order. */
  readonly steps: { readonly label: string; readonly step: Step; readonly critical: boolean }[];
}

function lanesOf(input: PictureInput): Lane[] {
  const rec = input.recording;
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const onPath = new Set(criticalPath(rec).path);
  const order = [CONSTELLATION, ...allClusters(input.constellation).map((x) => x.name)];
  const lanes = new Map<string, Lane>(order.map((name) => [name, { clusters: [name], steps: [] }]));
  for (const step of schedule(rec)) {
    const cluster = clusterOf(byUrn.get(step.urn)!, byUrn);
    const lane = lanes.get(cluster) ?? lanes.get(CONSTELLATION)!;
    const label = cluster !== CONSTELLATION && step.name.startsWith(`${cluster}-`) ? step.name.slice(cluster.length + 1) : step.name;
    lane.steps.push({ label, step, critical: onPath.has(step.name) });
  }
  const all = order.map((name) => lanes.get(name)!).filter((l) => l.steps.length > 0 || l.clusters[0] !== CONSTELLATION);
  if (all.length <= MAX_LANES) return all;
  // Too many lanes to read: clusters whose steps are the same (labels and times) share one.
  const merged = new Map<string, Lane>();
  for (const lane of all) {
    const key = lane.steps.map((s) => `${s.label}@${s.step.start}-${s.step.end}`).join(",");
    const same = merged.get(key);
    if (same) {
      same.clusters.push(...lane.clusters);
      if (lane.steps.some((s) => s.critical)) lane.steps.forEach((s, i) => s.critical && Object.assign(same.steps[i]!, { critical: true }));
    } else merged.set(key, { clusters: [...lane.clusters], steps: lane.steps.map((s) => ({ ...s })) });
  }
  return [...merged.values()];
}

/** The lane's title lines: a cluster's name and role, or a shared lane's clusters (all named while they fit). */
function laneTitle(lane: Lane, c: Constellation): string[] {
  const role = (name: string) => (name === c.barycenter.name ? "barycenter" : "satellite");
  const list = lane.clusters;
  if (list.length === 1) return list[0] === CONSTELLATION ? ["whole constellation", "anycast, DNS, mesh CA, checks"] : [list[0]!, role(list[0]!)];
  const lines: string[] = [];
  for (const name of list) {
    const last = lines.length - 1;
    if (last >= 0 && textWidth(`${lines[last]}, ${name},`) <= LEFT - 12) lines[last] = `${lines[last]}, ${name}`;
    else lines.push(name);
  }
  const head = `${list.length} ${role(list[0]!)}s, same schedule:`;
  return lines.length <= MAX_NAME_LINES ? [head, ...lines] : [head, `${list[0]} … ${list[list.length - 1]}`];
}

/** The bring-up timeline as a Graphviz graph with every position given (the nop layout only draws it). */
export function timelineDot(input: PictureInput): string {
  const c = input.constellation;
  const lanes = lanesOf(input);
  const total = Math.max(1, ...lanes.flatMap((l) => l.steps.map((s) => s.step.end)));
  const plotW = Math.ceil(total / 10) * 10 * PX_PER_MIN;
  const x = (min: number) => LEFT + min * PX_PER_MIN;
  let n = 0;
  // Graphviz's y grows upwards; positions are computed top-down and flipped at the end.
  const items: ((height: number) => string)[] = [];
  const box = (cx: number, cy: number, w: number, h: number, attrs: string) =>
    items.push((H) => `  n${n++} [shape=box, fixedsize=true, pos="${f(cx)},${f(H - cy)}", width=${f(w / 72)}, height=${f(h / 72)}, ${attrs}];`);
  const text = (left: number, cy: number, s: string, o: { bold?: boolean; color?: string; px?: number } = {}) => {
    const px = o.px ?? FONT_PX;
    const w = textWidth(s, px) * (o.bold ? 1.1 : 1);
    // Left-justified (a \l line end, a left-aligned cell): the text starts at `left` whatever font the viewer has.
    const label = o.bold
      ? `<<table border="0" cellpadding="0" cellspacing="0" fixedsize="true" width="${Math.round(w)}" height="${px + 4}"><tr><td align="left"><b>${esc(s)}</b></td></tr></table>>`
      : `${q(s).slice(0, -1)}\\l"`;
    box(left + w / 2, cy, w, px + 4, `penwidth=0, fontsize=${px}, fontcolor="${o.color ?? "#000000"}", label=${label}`);
  };

  const path = criticalPath(input.recording);
  const top = 70;
  let y = top;
  const laneBoxes: (() => void)[] = [];
  for (const [li, lane] of lanes.entries()) {
    const long = lane.steps.filter((s) => s.step.end - s.step.start >= 1);
    const short = lane.steps.filter((s) => s.step.end - s.step.start < 1);
    // Bars packed into rows: each takes the first row free over its span and its label's.
    const rowsEnd: number[] = [];
    const placed = long.map((s) => {
      const w = (s.step.end - s.step.start) * PX_PER_MIN;
      const inside = textWidth(s.label) <= w;
      const reach = x(s.step.start) + w + (inside ? 0 : textWidth(s.label) + 2) + 4;
      let r = rowsEnd.findIndex((end) => end <= x(s.step.start));
      if (r < 0) r = rowsEnd.push(0) - 1;
      rowsEnd[r] = reach;
      return { s, w, inside, r };
    });
    const title = laneTitle(lane, c);
    const height = Math.max(rowsEnd.length * ROW + (short.length > 0 ? TICKS_H : 0), title.length * 14) + 2 * LANE_PAD;
    const laneTop = y;
    laneBoxes.push(() => box(LEFT / 2 + plotW / 2, laneTop + height / 2, LEFT + plotW, height, `style=filled, penwidth=0, fillcolor="${li % 2 === 0 ? "#f4f6f9" : "#ffffff"}", label=""`));
    title.forEach((t, i) => text(8, laneTop + LANE_PAD + 7 + i * 14, t, i === 0 ? { bold: true, px: 11 } : { color: "#555555" }));
    for (const p of placed) {
      const cy = laneTop + LANE_PAD + p.r * ROW + BAR_H / 2;
      const fill = p.s.critical ? "#e8743b" : "#6b9bd1";
      const tip = `${p.s.step.name}: ${p.s.step.start} to ${p.s.step.end} min`;
      box(x(p.s.step.start) + p.w / 2, cy, p.w, BAR_H, `style=filled, color=white, fillcolor="${fill}", fontcolor=white, fontsize=${FONT_PX}, tooltip=${q(tip)}, label=${q(p.inside ? p.s.label : "")}`);
      if (!p.inside) text(x(p.s.step.end) + 2, cy, p.s.label);
    }
    const tickY = laneTop + LANE_PAD + rowsEnd.length * ROW + TICKS_H / 2 - 2;
    for (const s of short) {
      const w = Math.max(2, (s.step.end - s.step.start) * PX_PER_MIN);
      box(x(s.step.start) + w / 2, tickY, w, 8, `style=filled, penwidth=0, fillcolor="${s.critical ? "#e8743b" : "#9aa5b1"}", label="", tooltip=${q(`${s.step.name}: ${s.step.start} to ${s.step.end} min`)}`);
    }
    y += height;
  }
  const bottom = y;
  // Grid and axis: a line and a label every 10 minutes.
  const grid: (() => void)[] = [];
  for (let m = 0; m <= plotW / PX_PER_MIN; m += 10) {
    grid.push(() => box(x(m), (top + bottom) / 2, 0.6, bottom - top, `style=filled, penwidth=0, fillcolor="#d5d9de", label=""`));
    text(x(m) - textWidth(`${m} min`) / 2, top - 10, `${m} min`, { color: "#555555" });
  }
  // When the barycenter has adopted its own Cluster API objects, the satellites start.
  const adopted = lanes.find((l) => l.clusters.includes(c.barycenter.name))?.steps.find((s) => /-move$/.test(s.step.name));
  if (adopted) {
    grid.push(() => box(x(adopted.step.end), (top + bottom) / 2, 1.2, bottom - top, `style=filled, penwidth=0, fillcolor="#c0392b", label=""`));
    text(x(adopted.step.end) + 3, top - 26, `${adopted.step.end} min: the barycenter manages itself; the satellites start`, { color: "#c0392b" });
  }
  const legend = `Modelled bring-up (tools/critical-path.ts durations, not a measurement): critical path ${path.minutes} min, orange. Blue: other steps of a minute or more. Ticks: shorter steps (API calls, objects, reservations).`;
  text(8, bottom + 16, legend, { color: "#333333" });
  const title = `Bring-up timeline of constellation ${c.name}: ${allClusters(c).length} clusters, ${path.minutes} min modelled`;
  text(8, 14, title, { bold: true, px: 14 });
  // Drawing order: lane backgrounds, grid, then everything else (later nodes paint over earlier ones).
  const body = items.splice(0);
  laneBoxes.forEach((b) => b());
  grid.forEach((g) => g());
  items.push(...body);
  const H = bottom + 34;
  n = 0;
  return [`digraph timeline {`, `  graph [bgcolor=white, pad=0.1, bb="0,0,${f(LEFT + plotW + 20)},${f(H)}"];`, `  node [fontname=${q(FONT)}, margin=0];`, ...items.map((i) => i(H)), "}", ""].join("\n");
}

export interface Pictures {
  readonly "constellation.svg": string;
  readonly "timeline.svg": string;
}

/** Both pictures as SVG text. Graphviz failing is this tool's bug, reported with the graph's name. */
export async function drawPictures(input: PictureInput): Promise<Pictures> {
  const viz = await instance();
  const draw = (name: string, dot: string, engine: string) => {
    const r = viz.render(dot, { format: "svg", engine });
    if (r.status !== "success") throw new Error(`Graphviz could not draw ${name}: ${r.errors.map((e) => e.message).join("; ")}`);
    return r.output.replaceAll(`font-family="${FONT}"`, `font-family="${FONT_FAMILIES}"`);
  };
  return {
    "constellation.svg": draw("constellation.svg", constellationDot(input), "dot"),
    "timeline.svg": draw("timeline.svg", timelineDot(input), "nop"),
  };
}
