/**
 * Stub executables for the lifecycle commands' tools (kind, kubectl, clusterctl, docker, curl): each records its
 * arguments (and standard input) to a log and then runs a small behaviour script of the test's choosing, so tests
 * can prove order, idempotency, failure handling, and that no secret reaches an argument or an error.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const TOOLS = ["kind", "kubectl", "clusterctl", "docker", "curl", "cilium"] as const;
export type Tool = (typeof TOOLS)[number];

/** Version answers a working machine gives (preflight passes with these). */
export const HEALTHY: Record<Tool, string> = {
  docker: `[[ "$1" == version ]] && { echo 28.2.2; exit 0; }`,
  kind: `[[ "$1" == version ]] && { echo "kind v0.31.0 go1.24.4 linux/amd64"; exit 0; }`,
  clusterctl: `[[ "$1" == version ]] && { echo v1.10.10; exit 0; }`,
  kubectl: `[[ "$1 $2" == "version --client" ]] && { echo '{"clientVersion":{"gitVersion":"v1.33.7"}}'; exit 0; }`,
  curl: `[[ "$1" == --version ]] && { echo "curl 8.5.0"; exit 0; }`,
  cilium: `[[ "$1" == version ]] && { echo "cilium-cli: v0.18.7 compiled with go1.24"; exit 0; }`,
};

export interface StubBin {
  readonly dir: string;
  readonly log: string;
  /** PATH with the stubs first. */
  readonly path: string;
  /** Each call, one line: `<tool> <args…>` (standard input, if any, on following lines prefixed `stdin: `). */
  calls(): string[];
  /** Gives a tool a behaviour, tried before its healthy version answers (bash with the call's arguments as $@;
   * `exit` ends the call). */
  behave(tool: Tool, script: string): void;
  /** Removes a tool: calling it fails as "not found" would. */
  remove(tool: Tool): void;
}

export function stubBin(behaviours: Partial<Record<Tool, string>> = HEALTHY): StubBin {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-stubs-"));
  const log = path.join(dir, "calls.log");
  writeFileSync(log, "");
  const write = (tool: Tool, behaviour: string | undefined) => {
    const file = path.join(dir, tool);
    if (behaviour === undefined) {
      writeFileSync(file, "#!/usr/bin/env bash\necho \"$(basename \"$0\"): command not found\" >&2\nexit 127\n");
    } else {
      writeFileSync(
        file,
        `#!/usr/bin/env bash
printf '%s' "$(basename "$0")" >>"${log}"; for a in "$@"; do printf ' %s' "$a" >>"${log}"; done; printf '\\n' >>"${log}"
if [ ! -t 0 ]; then stdin=$(cat); [ -n "$stdin" ] && printf '%s\\n' "$stdin" | sed 's/^/stdin: /' >>"${log}"; fi
${behaviour}
exit 0
`,
      );
    }
    chmodSync(file, 0o755);
  };
  for (const tool of TOOLS) write(tool, behaviours[tool] ?? HEALTHY[tool]);
  return {
    dir,
    log,
    path: `${dir}:${process.env.PATH ?? ""}`,
    calls: () => readFileSync(log, "utf8").split("\n").filter((l) => l !== ""),
    behave: (tool, script) => write(tool, `${script}\n${HEALTHY[tool]}`),
    remove: (tool) => write(tool, undefined),
  };
}

/**
 * A curl behaviour answering the Equinix Metal API from fixed lists: GET of a project's devices or IP reservations,
 * 204 to a DELETE. Each call's method and path are in the call log.
 */
export function equinixCurl(devices: readonly { id: string; hostname?: string; tags: readonly string[]; state?: string }[] = [], ips: readonly { id: string; address?: string; tags: readonly string[] }[] = []): string {
  return `for a in "$@"; do case "$prev" in --output) out="$a";; --request) m="$a";; esac; prev="$a"; done
url="\${@: -1}"
if [ "$m" = GET ] && [[ "$url" == */devices* ]]; then echo '${JSON.stringify({ devices })}' >"$out"; echo -n 200; exit 0; fi
if [ "$m" = GET ] && [[ "$url" == */ips* ]]; then echo '${JSON.stringify({ ip_addresses: ips })}' >"$out"; echo -n 200; exit 0; fi
: >"$out"; echo -n 204; exit 0`;
}
