/**
 * Reads a constellation file: YAML with positions → shape (zod) → cross-field invariants → version rules →
 * the normalized model. Every problem of the file is collected and thrown together as one InputError.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";
import { clusterSchema, constellationSchema, nodeGroupSchema, unlistedSchema, vipSchema, type RawCluster, type RawConstellation, type RawNodeGroup } from "./schema";
import { checkInvariants, groupKey, rawClusters, type RawProblem } from "./invariants";
import { DEFAULTS } from "./defaults";
import { infra } from "../infra";
import type { CatalogMiss } from "../infra/target";

/** The target's version keys in the file: its Cluster API provider (top level) and cloud controller (per cluster). */
const PROVIDER_KEY = infra.versions.provider.key;
const CC_KEY = infra.versions.cloudController.key;
import { describeValue, InputError, type Problem } from "./problems";
import { compareVersions, judgeVersion, kubernetesRangeForTalos, parseVersion, VERSION_SET, type VersionField } from "./versions";
import { formatPath, YamlSource, type PathSegment } from "./yaml-source";
import type { ClusterSpec, Constellation, NodeGroup, RaisedVersion } from "./model";

export interface LoadOptions {
  /** Lift versions below the design's minimums to the version set, and say so (`--raise-versions`). */
  readonly raiseVersions?: boolean;
  /** The folder a relative `file` is read from; problems still name `file` as given. @default the working directory */
  readonly cwd?: string;
}

export interface LoadResult {
  readonly constellation: Constellation;
  /** Lines in the problem format that do not stop the run (versions outside a published support matrix). */
  readonly warnings: readonly string[];
  readonly raised: readonly RaisedVersion[];
}

/** Loads and validates the file at `file`. Throws InputError with every problem found. */
export function loadConstellation(file: string, options: LoadOptions = {}): LoadResult {
  let text: string;
  try {
    text = readFileSync(options.cwd === undefined ? file : path.resolve(options.cwd, file), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? "unknown error"})`;
    throw new InputError([{ file, path: "", message: `expected a constellation file, but this one ${why}` }]);
  }
  return parseConstellation(file, text, options);
}

/** Validates constellation text read from `file`. Throws InputError with every problem found. */
export function parseConstellation(file: string, text: string, options: LoadOptions = {}): LoadResult {
  if (text.trim() === "" || text.split("\n").every((l) => l.trim() === "" || l.trim().startsWith("#"))) {
    throw new InputError([{ file, path: "", message: "expected a constellation (a YAML mapping with name, bary and satellites), got an empty file" }]);
  }
  const parsed = YamlSource.parse(file, text);
  if ("errors" in parsed) {
    throw new InputError(parsed.errors.map((e) => ({ file, line: e.line, col: e.col, path: "", message: `expected YAML, got a syntax error: ${e.message}` })));
  }
  const src = parsed;
  if (typeof src.data !== "object" || src.data === null || Array.isArray(src.data)) {
    throw new InputError([{ file, line: 1, col: 1, path: "", message: `expected a YAML mapping with name, bary and satellites, got ${describeValue(src.data)}` }]);
  }

  const problems: Problem[] = [];
  const at = (path: readonly PathSegment[], message: string, key?: string): Problem => {
    const pos = key === undefined ? src.position(path) : src.keyPosition(path, key);
    return { file, line: pos.line, col: pos.col, path: formatPath(key === undefined ? path : [...path, key]), message };
  };

  const result = constellationSchema.safeParse(src.data);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...issueProblems(issue, src, at));
  }
  const catalog = catalogProblems(src.data);
  const refused = new Set(catalog.map((p) => formatPath(p.path)));
  for (const p of catalog) problems.push(at(p.path, p.message));
  for (const p of checkInvariants(src.data)) {
    // An unknown plan is said once: its missing install disk follows from it.
    if (p.key === undefined && refused.has(formatPath(p.path))) continue;
    problems.push(at(p.path, p.message, p.key));
  }

  const warnings: string[] = [];
  const raised: RaisedVersion[] = [];
  const raise = options.raiseVersions === true;
  const versionFields = (fields: VersionField[], base: PathSegment[], obj: Record<string, unknown>) => {
    for (const field of fields) {
      const text = obj[field];
      if (typeof text !== "string" || !/^v\d+\.\d+(\.\d+)?$/.test(text)) continue;
      const path = [...base, field];
      const verdict = judgeVersion(field, text);
      switch (verdict.kind) {
        case "ok":
          break;
        case "below":
        case "not-patch":
          if (raise) {
            raised.push({ path: formatPath(path), ...src.position(path), field, from: text, to: VERSION_SET[field]! });
          } else if (verdict.kind === "below") {
            problems.push(at(path, `expected ${verdict.minimum} or newer (${verdict.why}), got ${describeValue(text)}; --raise-versions (gocy:raiseVersions) lifts it to ${VERSION_SET[field]}`));
          } else {
            problems.push(at(path, `expected a full patch version like ${describeValue(VERSION_SET[field])}, got ${describeValue(text)}`));
          }
          break;
        case "off-line":
          problems.push(at(path, `expected a ${verdict.line} release (${verdict.why}), got ${describeValue(text)}`));
          break;
        case "above-supported": {
          const p = at(path, `${describeValue(text)} is newer than the published support matrix (up to ${verdict.supportedUpTo}: ${verdict.why}); it may work, untested here`);
          warnings.push(`${p.file}:${p.line}:${p.col}  ${p.path}: ${p.message}`);
          break;
        }
        default:
          verdict satisfies never;
      }
    }
  };
  versionFields(["capi", "cabpt", "cacppt", infra.versions.provider.key], [], src.data as Record<string, unknown>);
  for (const { path, cluster } of rawClusters(src.data)) versionFields([infra.versions.cloudController.key, "talos", "kubernetes"], path, cluster);

  if (problems.length > 0 || !result.success) throw new InputError(problems);
  const constellation = buildModel(file, src, result.data, raised);
  for (const cluster of [constellation.barycenter, ...constellation.satellites]) {
    const range = kubernetesRangeForTalos(cluster.versions.talos);
    const k = parseVersion(cluster.versions.kubernetes);
    if (!range || !k) continue;
    const minor = `v${k.major}.${k.minor}`;
    if (compareVersions(k, parseVersion(range.min)!) < 0 || compareVersions(parseVersion(minor)!, parseVersion(range.max)!) > 0) {
      const path = [...pathOf(cluster.yamlPath), "kubernetes"];
      problems.push(at(path, `expected Kubernetes ${range.min}.x to ${range.max}.x, the releases Talos ${cluster.versions.talos} runs, got ${describeValue(cluster.versions.kubernetes)}${src.valueAt(path) === undefined ? " (the default)" : ""}`));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { constellation, warnings, raised };
}

/**
 * Every metro and plan of the file that the infrastructure target's final lists lack and `unlisted` does not name, with what
 * was expected and the nearest listed code. Guards every access, like the invariants, to report alongside them.
 */
function catalogProblems(data: unknown): RawProblem[] {
  const allowed = (key: "metros" | "plans"): readonly unknown[] => {
    const unlisted = (data as { unlisted?: unknown }).unlisted;
    if (typeof unlisted !== "object" || unlisted === null) return [];
    const list = (unlisted as Record<string, unknown>)[key];
    return Array.isArray(list) ? list : [];
  };
  const metros = allowed("metros");
  const plans = allowed("plans");
  const problems: RawProblem[] = [];
  const refuse = (path: PathSegment[], code: string, miss: CatalogMiss, escape: string) => {
    const hint = miss.suggestion === undefined ? "" : ` (did you mean ${describeValue(miss.suggestion)}?)`;
    problems.push({ path, message: `expected ${miss.expected}, got ${describeValue(code)}${hint}; a code ${infra.displayName} accepts that this list lacks goes under ${escape}` });
  };
  for (const { path, cluster } of rawClusters(data)) {
    const metro = cluster.metro;
    if (typeof metro === "string" && metro !== "" && !metros.includes(metro)) {
      const miss = infra.catalog.checkMetro(metro);
      if (miss) refuse([...path, "metro"], metro, miss, "unlisted.metros");
    }
    for (const field of ["control_nodes", "worker_nodes"] as const) {
      const groups = cluster[field];
      if (!Array.isArray(groups)) continue;
      groups.forEach((g: unknown, i) => {
        const plan = typeof g === "object" && g !== null ? (g as Record<string, unknown>).plan : undefined;
        if (typeof plan !== "string" || plan === "" || plans.includes(plan)) return;
        const miss = infra.catalog.checkPlan(plan);
        if (miss) refuse([...path, field, i, "plan"], plan, miss, "unlisted.plans");
      });
    }
  }
  return problems;
}

/** Known keys at each level of the file, for "did you mean". */
function knownKeys(path: readonly PathSegment[]): string[] {
  const last = path[path.length - 2];
  if (path.length === 0) return Object.keys(constellationSchema.shape);
  if (path.length === 1 && path[0] === "unlisted") return Object.keys(unlistedSchema.shape);
  if (path[path.length - 1] === "bary" || (path.length === 2 && path[0] === "satellites")) return Object.keys(clusterSchema.shape);
  if (last === "vips") return Object.keys(vipSchema.shape);
  if (last === "control_nodes" || last === "worker_nodes") return Object.keys(nodeGroupSchema.shape);
  return [];
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
};

function issueProblems(
  issue: z.core.$ZodIssue,
  src: YamlSource,
  at: (path: readonly PathSegment[], message: string, key?: string) => Problem,
): Problem[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s === "string" || typeof s === "number");
  const got = describeValue(src.valueAt(path));
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const known = knownKeys(path);
        const near = known.length > 0 ? closest(key, known) : undefined;
        const hint = near !== undefined && distance(key, near) <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${near}"?)` : "";
        return at(path, `unknown key${hint}; expected one of ${known.map((k) => `"${k}"`).join(", ")}`, key);
      });
    case "invalid_type":
      return [at(path, `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${got}`)];
    case "invalid_value":
      return [at(path, `expected ${oneOf(issue.values.map((v) => JSON.stringify(v)))}, got ${got}`)];
    default:
      return [at(path, `${issue.message}, got ${got}`)];
  }
}

function oneOf(items: string[]): string {
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function pathOf(yamlPath: string): PathSegment[] {
  const m = /^satellites\[(\d+)\]$/.exec(yamlPath);
  return m ? ["satellites", Number(m[1])] : [yamlPath];
}

function buildModel(file: string, src: YamlSource, raw: RawConstellation, raised: readonly RaisedVersion[]): Constellation {
  const lifted = new Map(raised.map((r) => [r.path, r.to]));
  const v = (path: string, value: string | undefined, fallback: string) => lifted.get(path) ?? value ?? fallback;
  const cluster = (c: RawCluster, yamlPath: string, role: ClusterSpec["role"]): ClusterSpec => {
    const group = (g: RawNodeGroup, key: string): NodeGroup => ({
      key,
      count: g.count,
      plan: g.plan,
      architecture: infra.catalog.architectureOf(g.plan),
      // Invariants guarantee one of these exists.
      installDisk: g.install_disk ?? c.install_disk ?? infra.catalog.installDisk(g.plan)!,
    });
    const vips = { cp: "public_ipv4", ingress: "public_ipv4", mesh: "public_ipv4" } as Record<"cp" | "ingress" | "mesh", "public_ipv4" | "global_ipv4">;
    for (const vip of c.vips) vips[vip.role] = vip.vipType;
    return {
      name: c.name,
      role,
      yamlPath,
      metro: c.metro,
      versions: {
        cloudController: v(`${yamlPath}.${CC_KEY}`, (c as Record<string, unknown>)[CC_KEY] as string | undefined, VERSION_SET[CC_KEY]!),
        talos: v(`${yamlPath}.talos`, c.talos, DEFAULTS.talos),
        kubernetes: v(`${yamlPath}.kubernetes`, c.kubernetes, DEFAULTS.kubernetes),
      },
      domainPrefix: c.domain_prefix,
      podCidrs: c.pod_cidr_blocks,
      serviceCidrs: c.service_cidr_blocks,
      vips,
      controlPlane: group(c.control_nodes[0]!, "control-plane"),
      workers: c.worker_nodes.map((g) => group(g, groupKey(g))),
      pinnedId: c.cluster_id,
      pinnedIdAt: c.cluster_id === undefined ? undefined : src.position([...pathOf(yamlPath), "cluster_id"]),
      kubespan: c.kubespan ?? DEFAULTS.kubespan,
      firewall: c.firewall ?? DEFAULTS.firewall,
      schematic: c.schematic,
    };
  };
  return {
    file,
    name: raw.name,
    formatVersion: raw.version,
    versions: {
      capi: v("capi", raw.capi, VERSION_SET.capi),
      cabpt: v("cabpt", raw.cabpt, VERSION_SET.cabpt),
      cacppt: v("cacppt", raw.cacppt, VERSION_SET.cacppt),
      infrastructure: v(PROVIDER_KEY, (raw as Record<string, unknown>)[PROVIDER_KEY] as string | undefined, VERSION_SET[PROVIDER_KEY]!),
    },
    ingress: raw.ingress ?? DEFAULTS.ingress,
    barycenter: cluster(raw.bary, "bary", "barycenter"),
    satellites: raw.satellites.map((s, i) => cluster(s, `satellites[${i}]`, "satellite")),
  };
}
