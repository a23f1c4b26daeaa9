/**
 * A simulated world for the rendered scripts (test/support/world-tool.cjs): kind, kubectl, clusterctl, curl and
 * cilium shims on PATH that share one state, with faults injectable per call. The shims are small bash scripts that
 * hand each call to one server in a worker thread of the test process (test/support/world-server.cjs).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";

export interface Device {
  id: string;
  hostname?: string;
  tags: string[];
  state?: string;
}
export interface Server {
  up: boolean;
  clusters: Record<string, { paused: boolean; uid: string }>;
  providers: { type: string; name: string; version: string }[];
  certManager: "program" | "clusterctl" | null;
}
export interface Fault {
  tool: "kind" | "kubectl" | "clusterctl" | "curl" | "cilium";
  /** A regular expression over the call's words joined by spaces. */
  match: string;
  mode: "fail" | "hang" | "transient" | "then-fail";
  times: number;
}
export interface WorldState {
  kind: Record<string, object>;
  servers: Record<string, Server>;
  devices: Device[];
  ips: { id: string; address?: string; tags: string[] }[];
  equinixUp: boolean;
  /** Deleted devices stay listed as `deprovisioning` (Equinix takes a while), instead of vanishing at once. */
  deprovisioning?: boolean;
  faults: Fault[];
  calls: string[];
  nextId?: number;
}

export interface World {
  readonly dir: string;
  /** The environment a script runs with in this world. */
  readonly env: Record<string, string>;
  state(): WorldState;
  update(fn: (w: WorldState) => void): void;
  inject(fault: Fault): void;
  /** A kubeconfig for one of the world's API servers (with a secret-looking token, to prove none leaks). */
  kubeconfig(server: string): string;
}

const SERVER = path.join(__dirname, "world-server.cjs");
let port: number | undefined;

/** The port of this process's world server, started on first use (one serves every world, by its directory). */
function serverPort(): number {
  if (port !== undefined) return port;
  const ready = new Int32Array(new SharedArrayBuffer(8));
  // No tsx in the worker: the server is plain CommonJS, and a loader only slows its start.
  const worker = new Worker(SERVER, { workerData: { ready: ready.buffer }, execArgv: [] });
  worker.unref(); // the test process ends when its tests do
  if (Atomics.wait(ready, 0, 0, 20_000) === "timed-out") throw new Error("world: the server did not start");
  return (port = Atomics.load(ready, 1));
}

/**
 * A tool's shim: bash, talking to the server over /dev/tcp. Standard input is read (into a file the server takes)
 * only by the calls that read it: curl always, kubectl when a file is `-`.
 */
function shim(dir: string, tool: string, port: number): string {
  const stdinFile = JSON.stringify(path.join(dir, "stdin."));
  const take = `in=${stdinFile}$$; cat >"$in" 2>/dev/null`;
  const readStdin = tool === "curl" ? `${take}\n` : tool === "kubectl" ? `for a; do [[ $a == - ]] && { ${take}; break; }; done\n` : "";
  return `#!/bin/bash
in=
${readStdin}exec 3<>/dev/tcp/127.0.0.1/${port} || { echo "world: no server on port ${port}" >&2; exit 98; }
printf '%s\\0' ${JSON.stringify(dir)} ${tool} "$PWD" "\${KUBECONFIG-}" "\${WORLD_BOUNDED-}" "$in" "$#" "$@" >&3
IFS= read -r -d '' code <&3; IFS= read -r -d '' out <&3; IFS= read -r -d '' err <&3
[[ -n $code ]] || { echo "world: the server gave no answer" >&2; exit 98; }
# A call with no bound of its own that meets a hang: it hangs (the test's time bound catches it), as the tool would.
[[ $code == hang ]] && { /bin/sleep 3600; exit 124; }
printf '%s' "$out"; printf '%s' "$err" >&2
exit "$code"
`;
}

export function createWorld(initial: Partial<WorldState> = {}): World {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-world-"));
  const file = path.join(dir, "world.json");
  const state: WorldState = { kind: {}, servers: {}, devices: [], ips: [], equinixUp: true, faults: [], calls: [], ...initial };
  writeFileSync(file, JSON.stringify(state));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const at = serverPort();
  for (const tool of ["kind", "kubectl", "clusterctl", "curl", "cilium"]) {
    writeFileSync(path.join(bin, tool), shim(dir, tool, at));
    chmodSync(path.join(bin, tool), 0o755);
  }
  // Simulated time: `sleep` advances a clock instead of waiting, and `date +%s` reads it, so a script's retry loops
  // and deadlines play out at once, in the order they would.
  writeFileSync(path.join(dir, "clock"), "0");
  // Both are bash builtins only (no cat, no /bin/date): the scripts call them hundreds of times.
  const clock = JSON.stringify(path.join(dir, "clock"));
  writeFileSync(path.join(bin, "sleep"), `#!/bin/bash\nread -r c <${clock}; echo $(( c + \${1%s} )) >${clock}\n`);
  writeFileSync(path.join(bin, "date"), `#!/bin/bash\nif [ "$*" = "+%s" ]; then read -r c <${clock}; printf -v now '%(%s)T' -1; echo $(( now + c )); else exec /bin/date "$@"; fi\n`);
  // `timeout N cmd`: the world's tools see the call as bounded (a hang then fails at once, as the bound would).
  writeFileSync(path.join(bin, "timeout"), `#!/bin/bash\nshift; WORLD_BOUNDED=1 exec "$@"\n`);
  chmodSync(path.join(bin, "timeout"), 0o755);
  chmodSync(path.join(bin, "sleep"), 0o755);
  chmodSync(path.join(bin, "date"), 0o755);
  const read = () => JSON.parse(readFileSync(file, "utf8")) as WorldState;
  return {
    dir,
    env: { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir },
    state: read,
    update(fn) {
      const w = read();
      fn(w);
      writeFileSync(file, JSON.stringify(w));
    },
    inject(fault) {
      this.update((w) => w.faults.push(fault));
    },
    kubeconfig: (server) => `apiVersion: v1\nkind: Config\n# world-server: ${server}\nusers:\n- name: gocy-admin\n  user: {token: "SENTINEL-world-token-${server}"}\n`,
  };
}
