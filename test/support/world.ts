/**
 * A simulated world for the rendered scripts (test/support/world-tool.cjs): kind, kubectl, clusterctl, curl and
 * cilium shims on PATH that share one state, with faults injectable per call.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

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

const TOOL = path.join(__dirname, "world-tool.cjs");

export function createWorld(initial: Partial<WorldState> = {}): World {
  const dir = mkdtempSync(path.join(tmpdir(), "gocy-world-"));
  const file = path.join(dir, "world.json");
  const state: WorldState = { kind: {}, servers: {}, devices: [], ips: [], equinixUp: true, faults: [], calls: [], ...initial };
  writeFileSync(file, JSON.stringify(state));
  const bin = path.join(dir, "bin");
  require("node:fs").mkdirSync(bin);
  for (const tool of ["kind", "kubectl", "clusterctl", "curl", "cilium"]) {
    const shim = path.join(bin, tool);
    writeFileSync(shim, `#!/usr/bin/env bash\nWORLD_DIR=${JSON.stringify(dir)} exec ${JSON.stringify(process.execPath)} ${JSON.stringify(TOOL)} ${tool} "$@"\n`);
    chmodSync(shim, 0o755);
  }
  // Simulated time: `sleep` advances a clock instead of waiting, and `date +%s` reads it, so a script's retry loops
  // and deadlines play out at once, in the order they would.
  writeFileSync(path.join(dir, "clock"), "0");
  writeFileSync(path.join(bin, "sleep"), `#!/usr/bin/env bash\nc=$(cat ${JSON.stringify(path.join(dir, "clock"))}); echo $(( c + \${1%s} )) >${JSON.stringify(path.join(dir, "clock"))}\n`);
  writeFileSync(path.join(bin, "date"), `#!/usr/bin/env bash\nif [ "$*" = "+%s" ]; then echo $(( $(/bin/date +%s) + $(cat ${JSON.stringify(path.join(dir, "clock"))}) )); else exec /bin/date "$@"; fi\n`);
  // `timeout N cmd`: the world's tools see the call as bounded (a hang then fails at once, as the bound would).
  writeFileSync(path.join(bin, "timeout"), `#!/usr/bin/env bash\nshift; WORLD_BOUNDED=1 exec "$@"\n`);
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
