/**
 * Renders every Helm release a recording holds with the real chart: `helm template` with exactly the release name,
 * namespace, chart version and values the program passes, and the cluster's Kubernetes version. The charts come
 * from local archives (`<chart>-<version>.tgz`, as ../shared/charts holds them): nothing is downloaded. Secret
 * values are the recording engine's fakes (sentinels, and a throwaway CA), never real ones.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { SECRET_KEY, UNKNOWN, type Recorded, type RecordedResource, type Recording } from "../record/types";

export interface ReleaseSpec {
  /** The resource's logical name (`<cluster>-<chart>`). */
  readonly resource: string;
  readonly cluster: string;
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  readonly values: unknown;
  readonly kubeVersion: string;
}

export interface K8sDoc {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [key: string]: unknown;
}

export interface Rendered {
  readonly spec: ReleaseSpec;
  readonly text: string;
  readonly objects: readonly K8sDoc[];
}

/** Recorded values as the chart receives them: secrets unwrapped (fakes), unknowns refused. */
export function plainValues(v: Recorded, at = "values"): unknown {
  if (v === UNKNOWN) throw new Error(`${at} is unknown: render a recording of an up, not a preview`);
  if (Array.isArray(v)) return v.map((x, i) => plainValues(x, `${at}[${i}]`));
  if (v !== null && typeof v === "object") {
    if (SECRET_KEY in v && Object.keys(v).length === 1) return plainValues(v[SECRET_KEY]!, at);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainValues(x, `${at}.${k}`)]));
  }
  return v;
}

export function releasesOf(rec: Recording, kubeVersionOf: (cluster: string) => string, clusterOf: (r: RecordedResource) => string): ReleaseSpec[] {
  return rec.resources
    .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
    .map((r) => {
      const cluster = clusterOf(r);
      return {
        resource: r.name,
        cluster,
        name: String(r.inputs.name),
        chart: String(r.inputs.chart),
        version: String(r.inputs.version),
        namespace: String(r.inputs.namespace),
        values: plainValues(r.inputs.values ?? {}),
        kubeVersion: kubeVersionOf(cluster),
      };
    });
}

/** The archive of a pinned chart: `<chart>-<version>.tgz` in `chartsDir`. */
export function chartArchive(chartsDir: string, chart: string, version: string): string {
  return path.join(chartsDir, `${chart}-${version}.tgz`);
}

const CACHE = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "gocy", "renders");

/**
 * `helm template` of one release; throws with Helm's own message when the chart refuses the values. The output of
 * the same helm binary, chart archive bytes, arguments and values is reused from a cache (rendering is pure).
 */
export function renderRelease(helm: string, chartsDir: string, spec: ReleaseSpec, cwd?: string): Rendered {
  // Named as given in messages; read from `cwd` when a relative folder was given for another folder than the process's.
  const named = chartArchive(chartsDir, spec.chart, spec.version);
  const archive = cwd === undefined ? named : path.resolve(cwd, named);
  if (!existsSync(archive)) throw new Error(`${spec.resource}: no chart archive ${named}`);
  const key = createHash("sha256")
    .update(JSON.stringify([helm, statSync(helm).size, spec.name, spec.namespace, spec.kubeVersion, spec.values]))
    .update(readFileSync(archive))
    .digest("hex");
  const cached = path.join(CACHE, `${key}.yaml`);
  if (existsSync(cached)) return parse(spec, readFileSync(cached, "utf8"));
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-render-"));
  try {
    const values = path.join(dir, "values.json");
    writeFileSync(values, JSON.stringify(spec.values));
    const args = ["template", spec.name, archive, "--namespace", spec.namespace, "--kube-version", spec.kubeVersion, "--values", values, "--include-crds"];
    const res = spawnSync(helm, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { PATH: "/usr/bin:/bin", HOME: dir, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir } });
    if (res.status !== 0) throw new Error(`${spec.resource}: helm template ${spec.chart} ${spec.version} refused the program's values:\n${res.stderr.trim()}`);
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(`${cached}.${process.pid}`, res.stdout);
    renameSync(`${cached}.${process.pid}`, cached);
    return parse(spec, res.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The rendered manifests as a person may read them: every Secret's `data` and `stringData` values replaced by
 * "[secret]" (the charts put keys in them: Cilium's CA key, the certificates it signs), everything else as rendered.
 */
export function redactedText(r: Rendered): string {
  return parseAllDocuments(r.text)
    .map((d) => {
      const o = d.toJS() as K8sDoc | null;
      if (o === null || typeof o !== "object") return null;
      if (o.kind === "Secret") {
        for (const field of ["data", "stringData"] as const) {
          const m = (o as Record<string, unknown>)[field];
          if (m && typeof m === "object") for (const k of Object.keys(m)) (m as Record<string, unknown>)[k] = "[secret]";
        }
      }
      return stringify(o, { lineWidth: 0 });
    })
    .filter((t): t is string => t !== null)
    .join("---\n");
}

function parse(spec: ReleaseSpec, text: string): Rendered {
  const objects = parseAllDocuments(text)
    .map((d) => d.toJS() as K8sDoc | null)
    .filter((o): o is K8sDoc => o !== null && typeof o === "object" && typeof o.kind === "string");
  return { spec, text, objects };
}

/** Renders each distinct release once (same chart, version, name, namespace, values and Kubernetes version). */
export function renderAll(helm: string, chartsDir: string, specs: readonly ReleaseSpec[], cwd?: string): Rendered[] {
  const seen = new Map<string, Rendered>();
  return specs.map((spec) => {
    const key = JSON.stringify([spec.chart, spec.version, spec.name, spec.namespace, spec.values, spec.kubeVersion]);
    const hit = seen.get(key);
    if (hit) return { ...hit, spec };
    const out = renderRelease(helm, chartsDir, spec, cwd);
    seen.set(key, out);
    return out;
  });
}
