/**
 * Preflight of a real `pulumi up`: every tool the lifecycle commands call is on PATH with a version that works,
 * checked before anything is created, all problems listed together with how to install each. `pulumi preview` and
 * the offline plan need none of them.
 */
import { spawnSync } from "node:child_process";
import { compareVersions, parseVersion } from "./constellation/versions";
import { KIND_MIN_VERSION } from "./builders/scripts/bring-up";
import type { Constellation } from "./constellation/model";
import { allClusters } from "./constellation/model";

export interface PreflightResult {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

type Run = (cmd: string, args: readonly string[]) => { ok: boolean; missing: boolean; out: string };

const runWith =
  (env: NodeJS.ProcessEnv): Run =>
  (cmd, args) => {
    // clusterctl would otherwise ask GitHub for its newest release on every run.
    const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 20_000, env: { ...env, CLUSTERCTL_DISABLE_VERSIONCHECK: "true" } });
    const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT" || r.status === 127;
    const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
    const note = timedOut ? ` (no answer within 20s)` : "";
    return { ok: r.status === 0, missing, out: `${r.stdout ?? ""}${r.stderr ?? ""}${note}` };
  };

const VERSION_IN = /v?(\d+)\.(\d+)\.(\d+)/;
const versionIn = (text: string) => {
  const m = VERSION_IN.exec(text);
  return m ? parseVersion(`v${m[1]}.${m[2]}.${m[3]}`) : undefined;
};

export function preflight(constellation: Constellation, meshVerify: boolean, env: NodeJS.ProcessEnv = process.env, run: Run = runWith(env)): PreflightResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const capi = constellation.versions.capi;
  const need = (tool: string, why: string, install: string) => problems.push(`preflight  ${tool}: ${why}; install: ${install}`);

  for (const [tool, install] of [
    ["bash", "your system's package manager"],
    ["curl", "your system's package manager"],
  ] as const) {
    const r = run(tool, ["--version"]);
    if (!r.ok) need(tool, r.missing ? "not found on PATH" : `does not run: ${r.out.trim().slice(0, 120)}`, install);
  }

  const docker = run("docker", ["version", "--format", "{{.Server.Version}}"]);
  if (!docker.ok) need("docker", "not found, or its daemon does not answer (kind runs the bootstrap cluster in it)", "https://docs.docker.com/engine/install/");

  const kind = run("kind", ["version"]);
  const kindV = kind.ok ? versionIn(kind.out) : undefined;
  if (!kind.ok) need("kind", kind.missing ? "not found on PATH" : `does not run: ${kind.out.trim().slice(0, 120)}`, `https://kind.sigs.k8s.io/docs/user/quick-start/#installation (${KIND_MIN_VERSION} or newer)`);
  else if (!kindV || compareVersions(kindV, parseVersion(KIND_MIN_VERSION)!) < 0) {
    need("kind", `expected ${KIND_MIN_VERSION} or newer (its node image is pinned), got ${kind.out.trim().split("\n")[0]}`, `https://kind.sigs.k8s.io/docs/user/quick-start/#installation`);
  }

  const clusterctl = run("clusterctl", ["version", "-o", "short"]);
  const ccV = clusterctl.ok ? versionIn(clusterctl.out) : undefined;
  const capiV = parseVersion(capi)!;
  const ccInstall = `https://github.com/kubernetes-sigs/cluster-api/releases/tag/${capi} (clusterctl-<os>-<arch>)`;
  if (!clusterctl.ok) need("clusterctl", clusterctl.missing ? `not found on PATH (expected v${capiV.major}.${capiV.minor}.x)` : `does not run: ${clusterctl.out.trim().slice(0, 120)}`, ccInstall);
  else if (!ccV || ccV.major !== capiV.major || ccV.minor !== capiV.minor) {
    need("clusterctl", `expected v${capiV.major}.${capiV.minor}.x to match capi ${capi} (clusterctl v1.11+ refuses v1beta1 management clusters), got ${clusterctl.out.trim().split("\n")[0]}`, ccInstall);
  }

  const kubectl = run("kubectl", ["version", "--client", "-o", "json"]);
  let kubectlV: ReturnType<typeof parseVersion>;
  try {
    kubectlV = kubectl.ok ? parseVersion((JSON.parse(kubectl.out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion?.replace(/[-+].*$/, "") ?? "") : undefined;
  } catch {
    kubectlV = versionIn(kubectl.out);
  }
  const minors = allClusters(constellation).map((c) => parseVersion(c.versions.kubernetes)!.minor);
  const [lo, hi] = [Math.max(...minors) - 1, Math.min(...minors) + 1];
  const kcInstall = `https://kubernetes.io/docs/tasks/tools/ (v1.${lo} to v1.${hi})`;
  if (!kubectl.ok) need("kubectl", kubectl.missing ? "not found on PATH" : `does not run: ${kubectl.out.trim().slice(0, 120)}`, kcInstall);
  else if (!kubectlV || kubectlV.minor < lo || kubectlV.minor > hi) {
    need("kubectl", `expected v1.${lo} to v1.${hi} (within one minor of every cluster's Kubernetes), got ${kubectlV ? `v${kubectlV.major}.${kubectlV.minor}.${kubectlV.patch}` : kubectl.out.trim().slice(0, 80)}`, kcInstall);
  }

  if (meshVerify) {
    const cilium = run("cilium", ["version", "--client"]);
    if (!cilium.ok) need("cilium", cilium.missing ? "not found on PATH (it verifies the Cluster Mesh; gocy:meshVerify false skips that)" : `does not run: ${cilium.out.trim().slice(0, 120)}`, "https://github.com/cilium/cilium-cli/releases");
  }
  if (!env.GITHUB_TOKEN) {
    warnings.push("preflight  GITHUB_TOKEN is not set: clusterctl downloads provider releases from GitHub and is rate-limited without it (export GITHUB_TOKEN in the shell that runs pulumi; it is never stored)");
  }
  return { problems, warnings };
}
