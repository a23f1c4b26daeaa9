/**
 * One simulated world behind the stub tools (kind, kubectl, clusterctl, curl, cilium): kind clusters, API servers
 * holding Cluster API Clusters with a paused flag and installed providers, Equinix devices and IP reservations by tag.
 * Every call reads and writes the world's JSON file, records itself, and may meet a fault the test injected. A hang
 * honours the call's own bound (`--timeout`, `--max-time`, `--wait`): it fails at once as the tool would when its
 * bound runs out, and hangs for real only when the call has none, which the test's time bound catches.
 *
 * Usage: `call(request)` from test/support/world-server.cjs, which serves the shims test/support/world.ts writes. One
 * process answers every call in turn, so no two calls touch the world's file at once (no lock is needed).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/**
 * One tool call. `req`: the world's directory, the tool and its arguments, the caller's working directory (relative
 * paths resolve against it), the environment variables a tool reads (KUBECONFIG, WORLD_BOUNDED), and its standard
 * input. Returns what the tool prints and its exit code, or `hang: true` for a call that never ends.
 */
function call(req) {
  const file = path.join(req.dir, "world.json");
  const { tool, args, env, cwd, stdin } = req;
  const line = [tool, ...args].join(" ");
  const at = (p) => path.resolve(cwd, p);

  const out = [];
  const err = [];
  let code = 0;
  const say = (s) => out.push(s);
  const complain = (s) => err.push(s);

  const flag = (name) => {
    for (let i = 0; i < args.length; i++) {
      if (args[i] === name) return args[i + 1];
      if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
    }
    return undefined;
  };
  const bounded = () => env.WORLD_BOUNDED === "1" || flag("--timeout") !== undefined || flag("--max-time") !== undefined || flag("--wait") !== undefined || flag("--wait-provider-timeout") !== undefined || flag("--request-timeout") !== undefined;

  function serverOf(world) {
    const cfg = flag("--kubeconfig") ?? env.KUBECONFIG;
    if (!cfg || !fs.existsSync(at(cfg))) return undefined;
    const m = /# world-server: (\S+)/.exec(fs.readFileSync(at(cfg), "utf8"));
    return m ? m[1] : undefined;
  }

  function devicesFor(world, cluster) {
    if (!world.servers[cluster]) world.servers[cluster] = { up: true, clusters: {}, providers: [], certManager: null };
    if (!world.devices.some((d) => d.tags.includes(`capp:cluster-id:${cluster}`))) {
      for (const role of ["control-plane", "worker"]) {
        world.nextId = (world.nextId ?? 0) + 1;
        world.devices.push({ id: `dev-${world.nextId}`, hostname: `${cluster}-${role}-${world.nextId}`, tags: [`capp:cluster-id:${cluster}`, `capp:machine-name:${cluster}-${role}`], state: "active" });
      }
    }
  }

  /** Deletes devices: gone at once, or (world.deprovisioning) listed as deprovisioning, as Equinix does for a while. */
  function goAway(world, which) {
    if (world.deprovisioning) for (const d of world.devices) if (which(d)) d.state = "deprovisioning";
    if (!world.deprovisioning) world.devices = world.devices.filter((d) => !which(d));
  }

  function kind(world) {
    if (args[0] === "get" && args[1] === "clusters") return say(Object.keys(world.kind).join("\n"));
    const name = flag("--name");
    if (args[0] === "get" && args[1] === "kubeconfig") {
      if (!world.kind[name]) return fail(`ERROR: could not locate any control plane nodes for cluster named '${name}'`);
      return say(`apiVersion: v1\nkind: Config\n# world-server: kind:${name}\n`);
    }
    if (args[0] === "create" && args[1] === "cluster") {
      if (world.kind[name]) return fail(`ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`);
      world.kind[name] = {};
      world.servers[`kind:${name}`] = { up: true, clusters: {}, providers: [], certManager: null };
      const cfg = flag("--kubeconfig");
      if (cfg) fs.writeFileSync(at(cfg), `apiVersion: v1\n# world-server: kind:${name}\n`);
      return;
    }
    if (args[0] === "delete" && args[1] === "cluster") {
      delete world.kind[name];
      delete world.servers[`kind:${name}`];
      return say(`Deleting cluster "${name}" ...`);
    }
    return unsupported();
  }

  const PROVIDERS = [
    ["CoreProvider", "cluster-api", "--core"],
    ["BootstrapProvider", "talos", "--bootstrap"],
    ["ControlPlaneProvider", "talos", "--control-plane"],
    ["InfrastructureProvider", "packet", "--infrastructure"],
  ];

  function kubectl(world) {
    const target = serverOf(world);
    const server = target && world.servers[target];
    if (!server || !server.up) return fail(`The connection to the server ${target ?? "localhost:8080"} was refused - did you specify the right host or port?`);
    const ns = flag("-n") ?? "default";
    const verb = args[0];
    const what = args[1];
    const output = flag("-o") ?? "";
    if (verb === "get" && what === "--raw") return say("ok");
    if (verb === "get" && what === "clusters.cluster.x-k8s.io") {
      const keys = Object.keys(server.clusters);
      return say(output.includes("namespace") ? keys.map((k) => `${k}\n`).join("") : keys.map((k) => `${k.split("/")[1]} `).join(""));
    }
    if (verb === "get" && what === "cluster") {
      const c = server.clusters[`${ns}/${args[2]}`];
      if (output === "name") return say(c ? `cluster.cluster.x-k8s.io/${args[2]}` : "");
      if (output.startsWith("jsonpath={.metadata.uid}")) return c ? say(c.uid) : fail(`Error from server (NotFound): clusters.cluster.x-k8s.io "${args[2]}" not found`);
      if (output.includes(".status.conditions")) return c ? say("ControlPlaneInitialized=False WaitingForControlPlane \n") : fail(`Error from server (NotFound): clusters.cluster.x-k8s.io "${args[2]}" not found`);
      return c ? say("") : fail(`Error from server (NotFound): clusters.cluster.x-k8s.io "${args[2]}" not found`);
    }
    if (verb === "patch" && what === "cluster") {
      const c = server.clusters[`${ns}/${args[2]}`];
      if (!c) return fail(`Error from server (NotFound): clusters.cluster.x-k8s.io "${args[2]}" not found`);
      c.paused = false;
      return;
    }
    if (verb === "delete" && what === "cluster") {
      const key = `${ns}/${args[2]}`;
      const c = server.clusters[key];
      if (!c) return flag("--ignore-not-found") !== undefined ? undefined : fail(`Error from server (NotFound): clusters.cluster.x-k8s.io "${args[2]}" not found`);
      // A paused Cluster is never reconciled: its deletion waits until the bound runs out.
      if (c.paused) return fail(`error: timed out waiting for the condition on clusters/${args[2]}`);
      goAway(world, (d) => d.tags.includes(`capp:cluster-id:${args[2]}`));
      delete server.clusters[key];
      return say(`cluster.cluster.x-k8s.io "${args[2]}" deleted`);
    }
    if (verb === "apply") {
      const f = flag("-f");
      const text = f === "-" ? stdin : fs.readFileSync(at(f), "utf8");
      for (const m of text.matchAll(/^kind: Cluster\nmetadata:\n(?: {2}.*\n)*? {2}name: (\S+)/gm)) {
        const key = `default/${m[1]}`;
        if (!server.clusters[key]) server.clusters[key] = { paused: false, uid: `uid-${m[1]}` };
        devicesFor(world, m[1]);
      }
      return;
    }
    if (verb === "get" && what === "providers.clusterctl.cluster.x-k8s.io") {
      if (output.includes("{.version}")) return say(server.providers.map((p) => `${p.type}/${p.name}=${p.version} `).join(""));
      return say(server.providers.map((p) => `${p.type}/${p.name}\n`).join(""));
    }
    if (verb === "wait") return;
    if (verb === "get" && what === "machines") return say("No resources found in default namespace.\n");
    if (verb === "get" && what === "deployment" && args[2] === "cert-manager-webhook") {
      if (!server.certManager) return;
      return say(`cert-manager-webhook/${server.certManager === "clusterctl" ? "cert-manager" : ""}`);
    }
    if (verb === "get" && what === "secret" && /-kubeconfig$/.test(args[2])) return say(`apiVersion: v1\n# world-server: ${args[2].replace(/-kubeconfig$/, "")}\n`);
    if (verb === "get" && what === "secret") return say(output.includes("go-template") ? "SENTINEL-sa-token" : "dG9rZW4=");
    if (verb === "config") return say(output.includes("server") ? "https://192.0.2.1:6443" : "Q0E=");
    if (verb === "delete" || verb === "run" || verb === "logs" || verb === "label") return;
    return unsupported();
  }

  function clusterctl(world) {
    if (args[0] === "init") {
      const target = serverOf(world);
      const server = target && world.servers[target];
      if (!server || !server.up) return fail("Error: failed to connect to the management cluster");
      if (!server.certManager) {
        say("Installing cert-manager");
        server.certManager = "clusterctl";
      }
      for (const [type, name, opt] of PROVIDERS) {
        const v = flag(opt);
        if (v && !server.providers.some((p) => p.type === type)) server.providers.push({ type, name, version: v.split(":")[1] });
      }
      return;
    }
    if (args[0] === "move") {
      const from = world.servers[kubeconfigServer(flag("--kubeconfig"))];
      const to = world.servers[kubeconfigServer(flag("--to-kubeconfig"))];
      if (!from || !from.up || !to || !to.up) return fail("Error: failed to connect to a management cluster");
      const moving = Object.keys(from.clusters);
      for (const k of moving) to.clusters[k] = { ...from.clusters[k], paused: true };
      for (const k of moving) delete from.clusters[k];
      // The source is gone now; clusterctl unpauses the target last.
      if (fault && fault.mode === "then-fail") return fail("Error: action failed after 10 attempts: failed to unpause the target");
      for (const k of moving) to.clusters[k].paused = false;
      return;
    }
    if (args[0] === "upgrade") return;
    return unsupported();
  }

  function kubeconfigServer(cfg) {
    if (!cfg || !fs.existsSync(at(cfg))) return undefined;
    const m = /# world-server: (\S+)/.exec(fs.readFileSync(at(cfg), "utf8"));
    return m ? m[1] : undefined;
  }

  function curl(world) {
    if (args[0] === "--version") return say("curl 8.5.0");
    const method = flag("--request") ?? "GET";
    const url = args[args.length - 1];
    const outFile = flag("--output");
    const reply = (status, body) => {
      if (outFile) fs.writeFileSync(at(outFile), body === undefined ? "" : JSON.stringify(body));
      say(String(status));
    };
    if (!world.equinixUp) {
      complain("curl: (7) Failed to connect to api.equinix.com port 443");
      if (outFile) fs.writeFileSync(at(outFile), "");
      say("000");
      code = 7;
      return;
    }
    const m = /\/metal\/v1(\/[^?]*)/.exec(url);
    const p = m ? m[1] : "";
    if (method === "GET" && /^\/projects\/[^/]+\/devices$/.test(p)) return reply(200, { devices: world.devices, meta: { last_page: 1 } });
    if (method === "GET" && /^\/projects\/[^/]+\/ips$/.test(p)) return reply(200, { ip_addresses: world.ips });
    if (method === "DELETE" && /^\/devices\//.test(p)) {
      const id = p.split("/")[2];
      const d = world.devices.find((x) => x.id === id);
      if (!d) return reply(404);
      if (d.state === "deprovisioning") return reply(422, { errors: ["device is already being deprovisioned"] });
      goAway(world, (x) => x.id === id);
      return reply(204);
    }
    if (method === "DELETE" && /^\/ips\//.test(p)) {
      world.ips = world.ips.filter((r) => r.id !== p.split("/")[2]);
      return reply(204);
    }
    return unsupported();
  }

  function unsupported() {
    complain(`world: unsupported call: ${line}`);
    code = 97;
  }

  function fail(message) {
    complain(message);
    code = 1;
  }

  let fault;
  const result = (() => {
    const world = JSON.parse(fs.readFileSync(file, "utf8"));
    world.calls.push(line);
    fault = world.faults.find((f) => f.tool === tool && new RegExp(f.match).test(line) && f.times > 0);
    if (fault) fault.times--;
    const f = fault;
    if (f && f.mode === "fail") fail(`${tool}: injected failure`);
    else if (f && f.mode === "transient") fail(`${tool}: transient failure (try again)`);
    else if (f && f.mode === "hang") {
      if (!bounded()) {
        fs.writeFileSync(file, JSON.stringify(world));
        return "hang";
      }
      fail(`${tool}: timed out (its own bound ran out)`);
    } else {
      ({ kind, kubectl, clusterctl, curl, cilium: () => undefined })[tool](world);
      // Success, then failure: the call did its work and still reported an error (clusterctl move handles its own).
      if (f && f.mode === "then-fail" && !(tool === "clusterctl" && args[0] === "move") && code === 0) {
        if (tool === "kind" && args[0] === "create") world.servers[`kind:${flag("--name")}`].up = false; // an interrupted create
        fail(`${tool}: failed after doing its work`);
      }
    }
    fs.writeFileSync(file, JSON.stringify(world));
    return "done";
  })();
  if (result === "hang") return { hang: true, stdout: "", stderr: "", code: 124 };
  return { hang: false, stdout: out.join(""), stderr: err.length ? `${err.join("\n")}\n` : "", code };
}

module.exports = { call };

