/**
 * Starts the program the way the Pulumi CLI's Node.js language host does (pulumi-language-nodejs at v3.248.0):
 * `node <Pulumi.yaml nodeargs> <…>/@pulumi/pulumi/cmd/run/index.js --monitor … --engine … --project … --stack …
 * --pwd … [--dry-run] --parallel N .`, config in PULUMI_CONFIG (keys in the `<ns>:config:<name>` form) and
 * PULUMI_CONFIG_SECRET_KEYS, against a gRPC resource monitor and engine served here. Proves Pulumi.yaml's runtime
 * options start this program for real, with no ts-node and no mocks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { parse } from "yaml";
import { PROJECT_ROOT, SENTINELS, exampleConfig } from "./helpers";
import { runScriptPath, sdkInternal } from "../tools/record/sdk-internals";

const resourceGrpc = sdkInternal("resourceGrpc");
const resourcePb = sdkInternal("resourcePb");
const engineGrpc = sdkInternal("engineGrpc");
const enginePb = sdkInternal("enginePb");
/* eslint-disable @typescript-eslint/no-require-imports */
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

interface Served {
  registrations: { type: string; name: string; parent: string; object: Record<string, unknown> }[];
  reads: { name: string; id: string }[];
  logs: string[];
}

async function serve(): Promise<{ server: grpc.Server; port: number; served: Served }> {
  const served: Served = { registrations: [], reads: [], logs: [] };
  const server = new grpc.Server();
  server.addService(resourceGrpc.ResourceMonitorService, {
    supportsFeature: (call: any, cb: any) => {
      const resp = new resourcePb.SupportsFeatureResponse();
      resp.setHassupport(["secrets", "resourceReferences", "deletedWith", "aliasSpecs"].includes(call.request.getId()));
      cb(null, resp);
    },
    registerResource: (call: any, cb: any) => {
      const req = call.request;
      const object = req.getObject()?.toJavaScript() ?? {};
      served.registrations.push({ type: req.getType(), name: req.getName(), parent: req.getParent(), object });
      const resp = new resourcePb.RegisterResourceResponse();
      resp.setUrn(`urn:pulumi:jupiter::gocy::${req.getType()}::${req.getName()}`);
      // A preview of a fresh stack: custom resources have no id yet.
      resp.setId("");
      resp.setObject(Struct.fromJavaScript(object));
      cb(null, resp);
    },
    readResource: (call: any, cb: any) => {
      const req = call.request;
      served.reads.push({ name: req.getName(), id: req.getId() });
      const resp = new resourcePb.ReadResourceResponse();
      resp.setUrn(`urn:pulumi:jupiter::gocy::${req.getType()}::${req.getName()}`);
      resp.setProperties(Struct.fromJavaScript({ data: {} }));
      cb(null, resp);
    },
    registerResourceOutputs: (_call: any, cb: any) => cb(null, new Empty()),
    signalAndWaitForShutdown: (_call: any, cb: any) => cb(null, new Empty()),
  });
  server.addService(engineGrpc.EngineService, {
    log: (call: any, cb: any) => {
      served.logs.push(call.request.getMessage());
      cb(null, new Empty());
    },
    setRootResource: (_call: any, cb: any) => cb(null, new enginePb.SetRootResourceResponse()),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, port, served };
}

test("the program starts as the Pulumi CLI starts it and registers its resources", async () => {
  const project = parse(readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as { runtime: { options: { nodeargs: string; typescript: boolean } }; main: string };
  assert.equal(project.runtime.options.typescript, false, "the CLI must not register ts-node");
  const nodeargs = project.runtime.options.nodeargs.split(/\s+/).filter(Boolean);
  const runScript = runScriptPath(PROJECT_ROOT);

  const { server, port, served } = await serve();
  try {
    // The language host rewrites config keys to the old `<ns>:config:<name>` form.
    const config = Object.fromEntries(Object.entries(exampleConfig()).map(([k, v]) => [k.replace(":", ":config:"), v]));
    const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(Object.keys(SENTINELS)) };
    delete env.GOCY_OFFLINE_PLAN;
    const args = [...nodeargs, runScript, "--monitor", `127.0.0.1:${port}`, "--engine", `127.0.0.1:${port}`, "--project", "gocy", "--stack", "jupiter", "--pwd", PROJECT_ROOT, "--dry-run", "--parallel", "4", "."];
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d));
      child.stderr.on("data", (d: Buffer) => (out += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("close", (c) => {
        clearTimeout(timer);
        resolve({ code: c, output: out });
      });
    });
    assert.equal(code, 0, `the run script failed:\n${output}\n${served.logs.join("\n")}`);
    const types = served.registrations.map((r) => r.type);
    assert.equal(types[0], "pulumi:pulumi:Stack");
    assert.equal(types.filter((t) => t === "equinix-metal:index/reservedIpBlock:ReservedIpBlock").length, 8);
    for (const t of ["gocy:index:ManagementCluster", "gocy:index:SatelliteCluster", "gocy:index:AnycastIngress", "gocy:index:ClusterMesh"]) {
      assert.ok(types.includes(t), `${t} registered`);
    }
    // A first preview runs no read: the SDK sends every read, and the engine skips those whose id is unknown. Every
    // id here derives from something that does not exist yet, so it is unknown.
    assert.ok(served.reads.length >= 6);
    for (const read of served.reads) assert.equal(read.id, "04da6b54-80e4-46f7-96ec-b56ff0331ba9", `${read.name} has a known id in a first preview`);
    // Over the wire the token travels only inside Pulumi's secret envelope.
    const plainText = JSON.stringify(served.registrations).replace(/\{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","value":"[^"]*"\}/g, '"[secret]"');
    assert.ok(JSON.stringify(served.registrations).includes(SENTINELS["equinix-metal:authToken"]), "the token does reach the provider");
    assert.ok(!plainText.includes(SENTINELS["equinix-metal:authToken"]), "the token appears outside a secret");
  } finally {
    server.forceShutdown();
  }
});
