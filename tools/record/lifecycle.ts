/**
 * What the engine and the providers do with a recorded program beyond registering it: which resources a provider
 * awaits (and for how long), what a second `up` would update or replace, and the order `pulumi destroy` deletes in.
 * Each rule is read from the source of the pinned versions and cites it:
 *   - Pulumi engine v3.248.0 (pkg/resource/deploy, pkg/resource/graph, pkg/cmd/pulumi/operations/destroy.go);
 *   - pulumi-kubernetes v4.32.0 source (provider/pkg/await, metadata/overrides.go, provider.go, helm_release.go); the
 *     program pins 4.34.2, which the upstream audit found unchanged on these paths;
 *   - pulumi-command v1.2.1 on pulumi-go-provider v1.3.0 (provider/pkg/provider/local, infer/resource.go).
 */
import { NO_OP_UPDATE } from "../../lib/builders/scripts/common";
import { SECRET_KEY, type Recorded, type RecordedResource, type Recording } from "./types";

// ---------------------------------------------------------------------------------------------------------------
// Await

export interface AwaitInfo {
  /** What the provider waits for before it reports the resource created. */
  readonly until: string;
  /** The provider's default, in seconds, when no timeout is given. */
  readonly defaultTimeoutSeconds: number;
  /** The timeout this registration gives, in seconds (customTimeouts.create, or a Release's `timeout`), or null. */
  readonly timeoutSeconds: number | null;
}

/**
 * pulumi-kubernetes await/awaiters.go: the kinds with a create awaiter. Deployment (Available, new ReplicaSet ready:
 * await/deployment.go), Service (load-balancer address for type LoadBalancer, else its Endpoints settled and none
 * pending: await/service.go), Ingress (load-balancer address, and its backends' Endpoints or a 60 s grace:
 * await/ingress.go), StatefulSet, DaemonSet, Job, Pod, PVC (and PersistentVolume, ReplicationController,
 * ResourceQuota, which the program does not use). Namespace, ConfigMap and Secret (but service-account tokens, 5 s)
 * have none. Default 10 minutes (await/await.go).
 */
const AWAITED_KINDS: Readonly<Record<string, string>> = {
  "kubernetes:apps/v1:Deployment": "Available, every replica of the new ReplicaSet ready",
  "kubernetes:apps/v1:StatefulSet": "every replica ready and updated",
  "kubernetes:apps/v1:DaemonSet": "every scheduled pod ready",
  "kubernetes:batch/v1:Job": "Complete",
  "kubernetes:core/v1:Pod": "Ready",
  "kubernetes:core/v1:Service": "Endpoints settled, none pending (type LoadBalancer: a load-balancer address)",
  "kubernetes:networking.k8s.io/v1:Ingress": "a load-balancer address on the Ingress, its backends' Endpoints",
  "kubernetes:core/v1:PersistentVolumeClaim": "Bound",
};
const K8S_DEFAULT_TIMEOUT = 600;
/** helm_release.go: `defaultTimeoutSeconds = 300`, filled in by Check when `skipAwait` is false. */
const HELM_DEFAULT_TIMEOUT = 300;

function annotations(r: RecordedResource): Record<string, Recorded> {
  const meta = unwrap(r.inputs.metadata);
  const a = meta !== null && typeof meta === "object" && !Array.isArray(meta) ? unwrap((meta as Record<string, Recorded>).annotations) : null;
  return a !== null && typeof a === "object" && !Array.isArray(a) ? (a as Record<string, Recorded>) : {};
}

/** Go duration strings as the engine parses them (time.ParseDuration): "3600s", "60m", "1h30m", "90.5s". */
export function durationSeconds(text: string | undefined): number | null {
  if (!text || !/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return null;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total;
}

/** The await the provider applies to a registered resource on create, or null when it returns at once. */
export function awaitOf(r: RecordedResource): AwaitInfo | null {
  if (!r.custom) return null;
  if (r.type === "kubernetes:helm.sh/v3:Release") {
    // helm_release.go: Helm's wait flag is `!skipAwait`; its timeout is the Release's `timeout` (customTimeouts unused).
    if (unwrap(r.inputs.skipAwait) === true) return null;
    const t = unwrap(r.inputs.timeout);
    return { until: "every object of the release ready (helm --wait)", defaultTimeoutSeconds: HELM_DEFAULT_TIMEOUT, timeoutSeconds: typeof t === "number" && t > 0 ? t : null };
  }
  // metadata/overrides.go: `pulumi.com/skipAwait: "true"` returns at once on create and update, before anything else;
  // `pulumi.com/waitFor` replaces the built-in awaiter, for any kind.
  if (unwrap(annotations(r)["pulumi.com/skipAwait"]) === "true") return null;
  const waitFor = unwrap(annotations(r)["pulumi.com/waitFor"]);
  const until = typeof waitFor === "string" ? `pulumi.com/waitFor: ${waitFor}` : AWAITED_KINDS[r.type];
  if (until === undefined) return null;
  // metadata/overrides.go: customTimeouts first, then the `pulumi.com/timeoutSeconds` annotation, then the default.
  const custom = durationSeconds(r.options.customTimeouts?.create);
  const annotated = Number(unwrap(annotations(r)["pulumi.com/timeoutSeconds"]));
  return { until, defaultTimeoutSeconds: K8S_DEFAULT_TIMEOUT, timeoutSeconds: custom ?? (Number.isFinite(annotated) && annotated > 0 ? annotated : null) };
}

// ---------------------------------------------------------------------------------------------------------------
// Values

function unwrap(v: Recorded | undefined): Recorded | undefined {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && SECRET_KEY in v && Object.keys(v).length === 1) return unwrap(v[SECRET_KEY]);
  return v;
}

function equalRecorded(a: Recorded | undefined, b: Recorded | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Removes a dotted path (`environment.GOCY_KUBECONFIG`, `create`) from a copy of the inputs; `*` removes all. */
function withoutPath(inputs: Record<string, Recorded>, path: string): Record<string, Recorded> {
  if (path === "*") return {};
  const [head, ...rest] = path.split(".");
  if (!(head! in inputs)) return inputs;
  const copy = { ...inputs };
  if (rest.length === 0) delete copy[head!];
  else {
    const inner = unwrap(copy[head!]);
    if (inner !== null && typeof inner === "object" && !Array.isArray(inner)) copy[head!] = withoutPath(inner as Record<string, Recorded>, rest.join("."));
  }
  return copy;
}

/** Top-level input keys whose values differ, after the new registration's ignoreChanges (step_generator.go
 * processIgnoreChanges: an ignored path keeps its old value; `*` keeps every old input). */
export function changedKeys(before: RecordedResource, after: RecordedResource): string[] {
  let a = before.inputs as Record<string, Recorded>;
  let b = after.inputs as Record<string, Recorded>;
  for (const p of after.options.ignoreChanges) {
    a = withoutPath(a, p);
    b = withoutPath(b, p);
  }
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !equalRecorded(a[k], b[k])).sort();
}

// ---------------------------------------------------------------------------------------------------------------
// Update: a second `up` after one input changed

export type ChangeKind = "add" | "update" | "replace" | "delete";

export interface PlannedChange {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  readonly kind: ChangeKind;
  readonly keys: readonly string[];
  /** Commands: which script the change runs ("create", "update", "no-op update", "nothing"). */
  readonly runs?: string;
}

/** Inputs whose change makes the provider replace the resource, by type. */
function replaceKeys(type: string): readonly string[] | "all" {
  if (type === "command:local:Command") return ["triggers"]; // pulumi-command common/inputs.go: replaceOnChanges
  if (type === "pulumi:providers:kubernetes") return ["clusterIdentifier"]; // provider.go DiffConfig (see below)
  if (type === "equinix-metal:index/reservedIpBlock:ReservedIpBlock") return ["projectId", "type", "metro", "facility", "quantity", "description"];
  if (type.startsWith("tls:") || type === "gcp:serviceaccount/key:Key") return "all";
  if (type === "gcp:dns/recordSet:RecordSet") return ["project", "managedZone", "name", "type"];
  if (type === "gcp:serviceaccount/account:Account") return ["project", "accountId"];
  if (type === "kubernetes:helm.sh/v3:Release") return ["name", "namespace"];
  if (type.startsWith("kubernetes:")) return ["metadata"]; // metadata.name/namespace: refined below
  return [];
}

function replaces(before: RecordedResource, after: RecordedResource, keys: readonly string[]): boolean {
  const rk = replaceKeys(after.type);
  if (rk === "all") return keys.length > 0;
  if (after.type.startsWith("kubernetes:") && after.type !== "kubernetes:helm.sh/v3:Release" && !after.type.startsWith("pulumi:")) {
    // provider.go Diff: a new name or namespace replaces the object; other metadata updates it. (A new apiVersion or
    // kind is a new type token, so a new URN: a delete and a create. The per-kind immutable fields of
    // forceNewProperties are not modelled: no test changes one.)
    const meta = (r: RecordedResource) => unwrap(r.inputs.metadata) as Record<string, Recorded> | undefined;
    return !equalRecorded(meta(before)?.name, meta(after)?.name) || !equalRecorded(meta(before)?.namespace, meta(after)?.namespace);
  }
  return keys.some((k) => rk.includes(k));
}

/**
 * What a second `up` would do, resource by resource, given the recording of the first and of the second
 * evaluation. pulumi-command: only `triggers` replaces; any other change is an update that runs `update` if set,
 * else `create`, and stores that run's stdout (local/commandController.go Update, commandOutputs.go). The Kubernetes
 * provider's DiffConfig never replaces a provider whose `clusterIdentifier` is set and unchanged, even when its
 * kubeconfig is unknown (provider.go DiffConfig); a replaced provider replaces everything on it.
 */
export function planUpdate(before: Recording, after: Recording): PlannedChange[] {
  const old = new Map(before.resources.filter((r) => r.custom).map((r) => [r.urn, r]));
  const now = new Map(after.resources.filter((r) => r.custom).map((r) => [r.urn, r]));
  const changes = new Map<string, PlannedChange>();
  const replacedProviders = new Set<string>();
  for (const r of after.resources.filter((x) => x.custom)) {
    const prev = old.get(r.urn);
    if (!prev) {
      changes.set(r.urn, { urn: r.urn, name: r.name, type: r.type, kind: "add", keys: [] });
      continue;
    }
    const keys = changedKeys(prev, r);
    const providerReplaced = r.provider !== null && replacedProviders.has(r.provider);
    if (keys.length === 0 && !providerReplaced) continue;
    const kind: ChangeKind = providerReplaced || replaces(prev, r, keys) ? "replace" : "update";
    if (kind === "replace" && r.type.startsWith("pulumi:providers:")) replacedProviders.add(r.urn);
    changes.set(r.urn, { urn: r.urn, name: r.name, type: r.type, kind, keys, ...(r.type.startsWith("command:") ? { runs: commandRun(r, kind) } : {}) });
  }
  for (const r of before.resources.filter((x) => x.custom)) {
    if (!now.has(r.urn)) changes.set(r.urn, { urn: r.urn, name: r.name, type: r.type, kind: "delete", keys: [] });
  }
  return [...changes.values()].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

function commandRun(r: RecordedResource, kind: ChangeKind): string {
  if (kind === "replace") return "create";
  const update = unwrap(r.inputs.update);
  if (typeof update === "string") return update === NO_OP_UPDATE ? "no-op update" : "update";
  return typeof unwrap(r.inputs.create) === "string" ? "create" : "nothing";
}

/** Commands whose stdout another resource or the stack's outputs take (each fake stdout is unique: see fakes.ts). */
export function consumedStdout(rec: Recording, stdoutOf: (r: RecordedResource) => string): RecordedResource[] {
  const everything = JSON.stringify([rec.resources.map((r) => r.inputs), rec.reads.map((r) => r.inputs), rec.outputs]);
  return rec.resources.filter((r) => r.type === "command:local:Command").filter((r) => {
    const out = stdoutOf(r);
    return out !== "" && everything.includes(JSON.stringify(out).slice(1, -1));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Destroy

export type DestroyAction = "delete" | "skipped: deletedWith" | "retained" | "protected" | "kept: --exclude-protected" | "kept: a dependent's delete failed";

export interface DestroyStep {
  readonly urn: string;
  /** 0-based wave: every step of a wave runs in parallel, after every step of the waves before it. */
  readonly wave: number;
  readonly action: DestroyAction;
  /** A component: no provider call either way. */
  readonly component: boolean;
}

/** An option a resource does not set is inherited from its parent (source_eval.go, inheritance of protect,
 * retainOnDelete and deletedWith from the parent's goal). */
function inherited<T>(r: RecordedResource, byUrn: Map<string, RecordedResource>, get: (r: RecordedResource) => T | null | false): T | null | false {
  let at: RecordedResource | undefined = r;
  while (at) {
    const v = get(at);
    if (v) return v;
    at = at.parent ? byUrn.get(at.parent) : undefined;
  }
  return null;
}

/**
 * graph/dependency_graph.go DependenciesOf: the provider, the parent, dependsOn and property dependencies and
 * deletedWith (resource_state.go GetAllDependencies), and for a component dependency its children registered
 * before the resource.
 */
function dependenciesOf(r: RecordedResource, byUrn: Map<string, RecordedResource>, order: Map<string, number>, children: Map<string, string[]> | null): Set<string> {
  const deps = new Set<string>();
  const add = (u: string | null) => {
    if (u && byUrn.has(u)) deps.add(u);
  };
  add(r.provider);
  add(r.parent);
  for (const d of r.dependencies) {
    add(d);
    const dep = byUrn.get(d);
    if (dep && !dep.custom && children !== null) {
      const stack = [...(children.get(d) ?? [])];
      while (stack.length > 0) {
        const c = stack.pop()!;
        if ((order.get(c) ?? Infinity) < (order.get(r.urn) ?? 0)) add(c);
        stack.push(...(children.get(c) ?? []));
      }
    }
  }
  // The engine stores a deletedWith inherited from the parent (source_eval.go) and orders by it.
  const inheritedDeletedWith = inherited(r, byUrn, (x) => x.options.deletedWith);
  if (inheritedDeletedWith) add(inheritedDeletedWith);
  deps.delete(r.urn);
  return deps;
}

/**
 * The order `pulumi destroy` deletes in: step_generator.go ScheduleDeletes takes, round by round, the condemned
 * resources none of whose dependencies is still condemned, then reverses the rounds, so dependents go first; each
 * round runs in parallel (deployment_executor.go). Per resource, step.go DeleteStep.Apply: a protected resource
 * fails the destroy; `retainOnDelete` drops it from state without a provider call; a resource whose `deletedWith`
 * target is deleted in the same operation is dropped without a provider call.
 * With `--exclude-protected` (destroy.go getProtectedExcludes), every protected resource and everything it depends
 * on, transitively (provider, dependencies, parents), stay.
 * `failing`: deletes that fail; deployment_executor.go then drops, from every later wave, each step that is a
 * transitive dependency of a failed one, so what a failed delete needs stays for the re-run.
 */
export function destroyOrder(rec: Recording, opts: { readonly excludeProtected?: boolean; readonly failing?: readonly string[] } = {}): DestroyStep[] {
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const order = new Map(rec.resources.map((r, i) => [r.urn, i]));
  const children = new Map<string, string[]>();
  for (const r of rec.resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);
  const deps = new Map(rec.resources.map((r) => [r.urn, dependenciesOf(r, byUrn, order, children)]));
  const protectedUrns = new Set(rec.resources.filter((r) => inherited(r, byUrn, (x) => x.options.protect)).map((r) => r.urn));

  const kept = new Set<string>();
  if (opts.excludeProtected) {
    // graph.TransitiveDependenciesOf: provider, dependencies, deletedWith and parents, without the component expansion.
    const plainDeps = new Map(rec.resources.map((r) => [r.urn, dependenciesOf(r, byUrn, order, null)]));
    const stack = [...protectedUrns];
    while (stack.length > 0) {
      const u = stack.pop()!;
      if (kept.has(u)) continue;
      kept.add(u);
      stack.push(...(plainDeps.get(u) ?? []));
    }
  }
  const condemned = new Set(rec.resources.map((r) => r.urn).filter((u) => !kept.has(u)));
  const rounds: string[][] = [];
  const remaining = new Set(condemned);
  while (remaining.size > 0) {
    const round = [...remaining].filter((u) => ![...deps.get(u)!].some((d) => d !== u && remaining.has(d)));
    if (round.length === 0) throw new Error(`destroy order: a dependency cycle among ${[...remaining].join(", ")}`);
    for (const u of round) remaining.delete(u);
    rounds.push(round.sort((a, b) => order.get(a)! - order.get(b)!));
  }
  rounds.reverse();
  const blocked = new Set<string>();
  const stack = [...(opts.failing ?? [])].flatMap((u) => [...(deps.get(u) ?? [])]);
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (blocked.has(u)) continue;
    blocked.add(u);
    stack.push(...(deps.get(u) ?? []));
  }
  const steps: DestroyStep[] = [];
  rounds.forEach((round, wave) => {
    for (const urn of round) {
      const r = byUrn.get(urn)!;
      const deletedWith = inherited(r, byUrn, (x) => x.options.deletedWith);
      const action: DestroyAction = blocked.has(urn)
        ? "kept: a dependent's delete failed"
        : protectedUrns.has(urn)
          ? "protected"
          : inherited(r, byUrn, (x) => x.options.retainOnDelete)
            ? "retained"
            : deletedWith && condemned.has(deletedWith)
              ? "skipped: deletedWith"
              : "delete";
      steps.push({ urn, wave, action, component: !r.custom });
    }
  });
  for (const urn of kept) steps.push({ urn, wave: -1, action: "kept: --exclude-protected", component: !byUrn.get(urn)!.custom });
  return steps;
}

