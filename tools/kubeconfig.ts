/**
 * `npm run kubeconfig -- <cluster> [--stack NAME] [--kubeconfig FILE]`: takes one cluster's kubeconfig from the
 * stack's secret output `kubeconfigs` (through the Pulumi CLI) and merges it into your kubeconfig as context
 * `admin@<cluster>`, made current. Other contexts, clusters and users are left as they are; the file stays 0600.
 * The credential goes from `pulumi` to the file without passing through an argument or the terminal.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";

interface Named<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}
interface KubeConfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Named<unknown>[];
  users?: Named<unknown>[];
  contexts?: Named<unknown>[];
  "current-context"?: string;
  [key: string]: unknown;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Merges `source` (one cluster's kubeconfig) into `target` under the names admin@<cluster>. Pure. */
export function mergeKubeconfig(target: KubeConfig, source: KubeConfig, cluster: string): KubeConfig {
  const srcContext = source.contexts?.find((c) => c.name === source["current-context"]) ?? source.contexts?.[0];
  const ctx = (srcContext?.context ?? {}) as { cluster?: string; user?: string };
  const srcCluster = source.clusters?.find((c) => c.name === ctx.cluster) ?? source.clusters?.[0];
  const srcUser = source.users?.find((u) => u.name === ctx.user) ?? source.users?.[0];
  if (!srcCluster || !srcUser) throw new Error(`the kubeconfig of ${cluster} has no cluster or user`);
  const name = `admin@${cluster}`;
  const put = <T extends Named<unknown>>(list: T[] | undefined, entry: T) => [...(list ?? []).filter((e) => e.name !== entry.name), entry];
  return {
    ...target,
    apiVersion: target.apiVersion ?? "v1",
    kind: target.kind ?? "Config",
    clusters: put(target.clusters, { name: cluster, cluster: srcCluster.cluster }),
    users: put(target.users, { name, user: srcUser.user }),
    contexts: put(target.contexts, { name, context: { cluster, user: name } }),
    "current-context": name,
  };
}

function main(): void {
  const usage = `usage: npm run kubeconfig -- <cluster> [--stack NAME] [--kubeconfig FILE] [--no-switch]
  <cluster>          the cluster whose admin kubeconfig to merge (a key of the stack output kubeconfigs)
  --stack NAME       the Pulumi stack to read; default the selected one
  --kubeconfig FILE  the kubeconfig to merge into; default $KUBECONFIG's first file, else ~/.kube/config
  --no-switch        add the context admin@<cluster> without making it the current one`;
  let parsed;
  try {
    parsed = parseArgs({
      options: { stack: { type: "string" }, kubeconfig: { type: "string" }, "no-switch": { type: "boolean", default: false }, help: { type: "boolean", default: false } },
      allowPositionals: true,
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const cluster = positionals[0];
  if (!cluster || positionals.length !== 1) fail(usage);
  const args = ["stack", "output", "kubeconfigs", "--show-secrets", "--json", ...(values.stack ? ["--stack", values.stack] : [])];
  const r = spawnSync("pulumi", args, { encoding: "utf8" });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    fail(
      missing
        ? "the Pulumi CLI is needed to read the stack's outputs, and there is no pulumi on PATH: install it (https://www.pulumi.com/docs/install/)"
        : `the Pulumi CLI is needed to read the stack's outputs, and running it failed: ${r.error.message}`,
    );
  }
  if (r.status !== 0) fail(`pulumi stack output failed: ${r.stderr.trim()}`);
  const all = JSON.parse(r.stdout) as Record<string, string>;
  const text = all[cluster];
  if (!text) fail(`no kubeconfig for cluster ${JSON.stringify(cluster)}; the stack has: ${Object.keys(all).join(", ")}`);
  const file = values.kubeconfig || process.env.KUBECONFIG?.split(path.delimiter)[0] || path.join(homedir(), ".kube", "config");
  const target = (existsSync(file) ? (parse(readFileSync(file, "utf8")) as KubeConfig | null) : null) ?? {};
  const merged = mergeKubeconfig(target, parse(text) as KubeConfig, cluster);
  const previous = target["current-context"];
  if (values["no-switch"]) {
    if (previous === undefined) delete merged["current-context"];
    else merged["current-context"] = previous;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, stringify(merged), { mode: 0o600 });
  chmodSync(file, 0o600);
  process.stdout.write(
    values["no-switch"] && previous !== `admin@${cluster}`
      ? `merged ${cluster} into ${file} as context admin@${cluster}; the current context stays ${previous ?? "unset"} (kubectl config use-context admin@${cluster} to switch)\n`
      : `merged ${cluster} into ${file} as context admin@${cluster}, now the current context${previous && previous !== `admin@${cluster}` ? ` (it was ${previous}; kubectl config use-context ${previous} to go back, or merge with --no-switch)` : ""}\n`,
  );
}

if (require.main === module) main();
