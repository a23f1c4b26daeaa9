/**
 * Everything that must hold before a single resource is registered: the stack configuration, the constellation
 * file, versions and cluster IDs. Shared by the Pulumi program and the offline plan, so both refuse the same input
 * with the same lines.
 */
import { loadConstellation } from "../constellation/load";
import { pinCommands, resolveClusterIds } from "../constellation/cluster-ids";
import { InputError, type Problem } from "../constellation/problems";
import { readStackConfig, type RunMode, type StackConfig } from "./config";
import type { Constellation, RaisedVersion } from "../constellation/model";

export interface ValidatedStack {
  readonly config: StackConfig;
  readonly constellation: Constellation;
  /** Cluster name → Cilium cluster ID (pinned or proposed). */
  readonly clusterIds: ReadonlyMap<string, number>;
  readonly unpinned: readonly string[];
  /** `pulumi config set …` lines that pin the proposed IDs. */
  readonly pinCommands: readonly string[];
  readonly raised: readonly RaisedVersion[];
  /** Lines to show the user that do not stop the run. */
  readonly warnings: readonly string[];
  /** Config a real `pulumi up` still needs. */
  readonly stillNeeded: readonly string[];
}

export interface ValidateArgs {
  readonly stack: string;
  readonly mode: RunMode;
  readonly get: (key: string) => string | undefined;
  readonly has: (key: string) => boolean;
  /** Overrides `gocy:raiseVersions` (the plan's `--raise-versions`). */
  readonly raiseVersions?: boolean;
  readonly stackFile?: string;
  /** The folder the constellation file's name is relative to (the plan run in-process). @default the working directory */
  readonly cwd?: string;
}

/** Validates stack and constellation together. Throws InputError with every problem found. */
export function validateStack(args: ValidateArgs): ValidatedStack {
  const stackFile = args.stackFile ?? `Pulumi.${args.stack}.yaml`;
  const cfg = readStackConfig(args.stack, args.get, args.has, args.mode, stackFile);
  const problems: Problem[] = [...cfg.problems];
  let loaded: ReturnType<typeof loadConstellation> | undefined;
  const raiseVersions = args.raiseVersions ?? cfg.config.raiseVersions;
  try {
    loaded = loadConstellation(cfg.config.constellationFile, { raiseVersions, ...(args.cwd !== undefined ? { cwd: args.cwd } : {}) });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems);
  }
  if (!loaded) throw new InputError(problems);

  const ids = resolveClusterIds(loaded.constellation, cfg.config.clusterIds, stackFile);
  problems.push(...ids.problems);
  const commands = pinCommands(ids, args.stack);
  const warnings = [...cfg.warnings, ...loaded.warnings];
  for (const r of loaded.raised) {
    // The same line whether the plan (--raise-versions) or the program (gocy:raiseVersions) raised it: said once.
    warnings.push(`${loaded.constellation.file}:${r.line}:${r.col}  ${r.path}: raised from ${r.from} to ${r.to} (--raise-versions, gocy:raiseVersions)`);
  }
  if (ids.unpinned.length > 0) {
    const names = ids.unpinned.map((n) => `${n}=${ids.ids.get(n)}`).join(", ");
    if (args.mode === "up") {
      problems.push({
        file: stackFile,
        path: "gocy:clusterIds",
        message: `expected every cluster's Cilium ID to be pinned before a real pulumi up (an ID must never change), got unpinned ${names}; pin them with:\n  ${commands.join("\n  ")}`,
      });
    } else {
      warnings.push(`${stackFile}  gocy:clusterIds: unpinned cluster IDs, proposed ${names}; a real pulumi up refuses until they are pinned:\n  ${commands.join("\n  ")}`);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    config: cfg.config,
    constellation: loaded.constellation,
    clusterIds: ids.ids,
    unpinned: ids.unpinned,
    pinCommands: commands,
    raised: loaded.raised,
    warnings,
    stillNeeded: cfg.stillNeeded,
  };
}
