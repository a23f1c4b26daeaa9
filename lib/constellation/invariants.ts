/**
 * Rules that span fields (docs/constellation-format.md#rules-across-fields). They run on the plain parsed data and guard every access,
 * so that they report alongside shape errors instead of waiting for a clean parse: a user sees all problems at once.
 */
import * as ipaddr from "ipaddr.js";
import { DNS_LABEL, isIpv4Cidr } from "./schema";
import { infra } from "../infra";
import { describeValue } from "./problems";
import { formatPath as fmt, type PathSegment } from "./yaml-source";

export interface RawProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** Point at this key of the mapping at `path` rather than at the value. */
  readonly key?: string;
}

/** Cilium's `cluster.name` is at most 32 characters (Cluster Mesh); it must also be a DNS-1123 label. */
export const MAX_CLUSTER_NAME = 32;
/** Cilium cluster IDs are 1..255 (0 is refused by Cluster Mesh), so a constellation holds at most 255 clusters. */
export const MAX_CLUSTERS = 255;
/** `<cluster>-<group>-<hash8>` must stay a DNS-1123 label (63 characters): CAPI derives machine names from it. */
export const MAX_TEMPLATE_NAME = 63;
/** The key the control plane's objects take in place of a group's: no worker group may take it too. */
export const CONTROL_PLANE_KEY = "control-plane";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** The clusters of a parsed file with their YAML paths: `bary` first, then `satellites[i]`. */
export function rawClusters(data: unknown): { path: PathSegment[]; cluster: Obj }[] {
  const out: { path: PathSegment[]; cluster: Obj }[] = [];
  if (!isObj(data)) return out;
  if (isObj(data.bary)) out.push({ path: ["bary"], cluster: data.bary });
  if (Array.isArray(data.satellites)) {
    data.satellites.forEach((s, i) => {
      if (isObj(s)) out.push({ path: ["satellites", i], cluster: s });
    });
  }
  return out;
}

/** A worker group's stable key: its `name`, or its plan with dots turned into dashes (dots break machine names). */
export function groupKey(group: { name?: string | undefined; plan: string }): string {
  return group.name ?? group.plan.replace(/\./g, "-");
}

export function checkInvariants(data: unknown): RawProblem[] {
  const problems: RawProblem[] = [];
  const clusters = rawClusters(data);

  if (clusters.length > MAX_CLUSTERS) {
    problems.push({
      path: ["satellites"],
      message: `expected at most ${MAX_CLUSTERS} clusters in a constellation (Cilium cluster IDs run 1..255), got ${clusters.length}`,
    });
  }

  // Names: DNS-1123 labels, at most 32 characters, unique.
  const seenNames = new Map<string, PathSegment[]>();
  for (const { path, cluster } of clusters) {
    const name = cluster.name;
    if (typeof name !== "string") continue;
    if (!DNS_LABEL.test(name) || name.length > MAX_CLUSTER_NAME) {
      problems.push({
        path: [...path, "name"],
        message: `expected a DNS-1123 label of at most ${MAX_CLUSTER_NAME} characters (lower-case letters, digits and '-'; Cilium's cluster.name limit), got ${describeValue(name)}`,
      });
    }
    const first = seenNames.get(name);
    if (first) {
      problems.push({
        path: [...path, "name"],
        message: `expected a unique cluster name, got ${describeValue(name)}, already used at ${fmt([...first, "name"])}`,
      });
    } else {
      seenNames.set(name, path);
    }
  }

  checkCidrs(clusters, problems);

  const seenIds = new Map<number, PathSegment[]>();
  for (const { path, cluster } of clusters) {
    const isBary = path[0] === "bary";
    checkVips(path, cluster, isBary, problems);
    checkNodes(path, cluster, problems);
    const id = cluster.cluster_id;
    if (typeof id === "number" && Number.isInteger(id)) {
      const first = seenIds.get(id);
      if (first) {
        problems.push({
          path: [...path, "cluster_id"],
          message: `expected a cluster ID no other cluster has, got ${id}, already pinned at ${fmt([...first, "cluster_id"])}`,
        });
      } else {
        seenIds.set(id, path);
      }
    }
  }
  return problems;
}

function checkCidrs(clusters: { path: PathSegment[]; cluster: Obj }[], problems: RawProblem[]): void {
  interface Block {
    readonly path: PathSegment[];
    readonly cidr: string;
    readonly owner: string;
    readonly range: [ipaddr.IPv4, number];
  }
  const blocks: Block[] = [];
  for (const { path, cluster } of clusters) {
    const owner = typeof cluster.name === "string" ? cluster.name : fmt(path);
    for (const field of ["pod_cidr_blocks", "service_cidr_blocks"] as const) {
      const list = cluster[field];
      if (!Array.isArray(list)) continue;
      list.forEach((cidr, i) => {
        if (typeof cidr === "string" && isIpv4Cidr(cidr)) {
          blocks.push({ path: [...path, field, i], cidr, owner, range: ipaddr.IPv4.parseCIDR(cidr) });
        }
      });
    }
  }
  // Two CIDRs overlap exactly when one contains the other's network address. Report each block once, at the
  // later of the two, naming the first block it overlaps.
  for (let j = 1; j < blocks.length; j++) {
    const b = blocks[j]!;
    for (let i = 0; i < j; i++) {
      const a = blocks[i]!;
      if (a.range[0].match(b.range) || b.range[0].match(a.range)) {
        problems.push({
          path: b.path,
          message:
            `expected CIDRs that overlap no other block in the constellation, got ${describeValue(b.cidr)} of ${b.owner}, ` +
            `which overlaps ${describeValue(a.cidr)} of ${a.owner} at ${fmt(a.path)} (Cluster Mesh routes pod CIDRs between clusters)`,
        });
        break;
      }
    }
  }
}

function checkVips(path: PathSegment[], cluster: Obj, isBary: boolean, problems: RawProblem[]): void {
  const vips = cluster.vips;
  if (!Array.isArray(vips)) return;
  const seen = new Map<string, number>();
  vips.forEach((vip, i) => {
    if (!isObj(vip) || typeof vip.role !== "string") return;
    const role = vip.role;
    if (!["cp", "ingress", "mesh"].includes(role)) return;
    const at: PathSegment[] = [...path, "vips", i];
    const first = seen.get(role);
    if (first !== undefined) {
      problems.push({
        path: [...at, "role"],
        message: `expected one VIP of each role, got a second ${describeValue(role)} (the first is at ${fmt([...path, "vips", first])})`,
      });
      return;
    }
    seen.set(role, i);
    if (isWhole(vip.count) && vip.count !== 1) {
      problems.push({ path: [...at, "count"], message: `expected 1 (one address per role), got ${vip.count}` });
    }
    const type = vip.vipType;
    if (type !== "public_ipv4" && type !== "global_ipv4") return;
    const wanted = role === "ingress" && !isBary ? "global_ipv4" : "public_ipv4";
    if (type !== wanted) {
      const why =
        role === "ingress"
          ? isBary
            ? "the barycenter's ingress is a public address in its metro"
            : "satellites share one Global Anycast address as their ingress"
          : `the ${role} address is reserved in the cluster's metro`;
      problems.push({ path: [...at, "vipType"], message: `expected "${wanted}" (${why}), got ${describeValue(type)}` });
    }
  });
  for (const role of ["cp", "ingress", "mesh"]) {
    if (!seen.has(role)) {
      problems.push({ path: [...path, "vips"], message: `expected a VIP with role "${role}", got none` });
    }
  }
}

function checkNodes(path: PathSegment[], cluster: Obj, problems: RawProblem[]): void {
  const clusterName = typeof cluster.name === "string" ? cluster.name : "";
  const clusterDisk = typeof cluster.install_disk === "string";
  const control = cluster.control_nodes;
  if (Array.isArray(control)) {
    if (control.length !== 1) {
      problems.push({
        path: [...path, "control_nodes"],
        message: `expected exactly one group (a Talos control plane has one machine template), got ${control.length}`,
      });
    }
    const g = control[0];
    if (isObj(g) && isWhole(g.count) && g.count % 2 === 0) {
      problems.push({
        path: [...path, "control_nodes", 0, "count"],
        message: `expected an odd number of control-plane nodes (etcd needs a majority to keep quorum), got ${g.count}`,
      });
    }
    if (isObj(g) && g.name !== undefined) {
      problems.push({
        path: [...path, "control_nodes", 0],
        key: "name",
        message: "expected no name on the control-plane group (its objects are named <cluster>-control-plane)",
      });
    }
    if (isObj(g)) checkDisk([...path, "control_nodes", 0], g, clusterDisk, problems);
  }
  const workers = cluster.worker_nodes;
  if (!Array.isArray(workers)) return;
  let total = 0;
  let countsKnown = true;
  const keys = new Map<string, number>();
  workers.forEach((g, i) => {
    if (!isObj(g)) return;
    const at: PathSegment[] = [...path, "worker_nodes", i];
    if (isWhole(g.count)) total += g.count;
    else countsKnown = false;
    checkDisk(at, g, clusterDisk, problems);
    if (typeof g.plan !== "string" || (g.name !== undefined && typeof g.name !== "string")) return;
    const key = groupKey({ name: g.name as string | undefined, plan: g.plan });
    const first = keys.get(key);
    if (first !== undefined) {
      problems.push(
        g.name === undefined
          ? {
              path: [...at, "plan"],
              message: `expected a name on each group whose plan repeats, got a second unnamed group of plan ${describeValue(g.plan)} (the first is worker_nodes[${first}]); names keep a group's MachineDeployment when another is added`,
            }
          : { path: [...at, "name"], message: `expected a unique worker group name, got ${describeValue(g.name)} (also worker_nodes[${first}])` },
      );
      return;
    }
    keys.set(key, i);
    if (key === CONTROL_PLANE_KEY) {
      problems.push({
        path: [...at, g.name === undefined ? "plan" : "name"],
        message: `expected a worker group key other than "${CONTROL_PLANE_KEY}" (the control plane's machine template is named <cluster>-${CONTROL_PLANE_KEY}-machines)`,
      });
    }
    const templateName = `${clusterName}-${key}-12345678`;
    if (clusterName !== "" && templateName.length > MAX_TEMPLATE_NAME) {
      problems.push({
        path: [...at, g.name === undefined ? "plan" : "name"],
        message: `expected a group key of at most ${MAX_TEMPLATE_NAME - clusterName.length - 10} characters (template names <cluster>-<group>-<hash> stay within 63), got ${describeValue(key)}`,
      });
    }
  });
  if (countsKnown && total === 0) {
    problems.push({
      path: [...path, "worker_nodes"],
      message:
        "expected at least one worker node, got none (Talos taints control-plane nodes and excludes them from external load balancers, so nothing could schedule and MetalLB would announce nothing)",
    });
  }
}

function checkDisk(at: PathSegment[], group: Obj, clusterDisk: boolean, problems: RawProblem[]): void {
  if (group.install_disk !== undefined || clusterDisk || typeof group.plan !== "string" || group.plan === "") return;
  if (infra.catalog.installDisk(group.plan) === undefined) {
    problems.push({
      path: [...at, "plan"],
      message: `expected a plan with a known install disk (${infra.catalog.knownInstallDiskPlans.join(", ")}) or an install_disk on the group or cluster, got ${describeValue(group.plan)}; Talos on ${infra.displayName} refuses to install without a disk`,
    });
  }
}
