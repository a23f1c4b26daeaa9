/**
 * The recording engine's hold on the Pulumi SDK: the public hook it installs its monitor with, and each private
 * module it still needs (tools/record/sdk-internals.ts). When an SDK upgrade moves or reshapes one, these fail and
 * name it, before any recording goes wrong in a less obvious way.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PROJECT_ROOT } from "../helpers";
import { RecordingMonitor, UNSUPPORTED_FEATURES } from "../../tools/record/monitor";
import { RUN_SCRIPT, SDK_INTERNALS, requireChecked, runScriptPath, sdkInternal, type SdkInternal } from "../../tools/record/sdk-internals";

/* eslint-disable @typescript-eslint/no-explicit-any -- generated protobuf classes are untyped here */

/** The features the runtime asks a monitor about when the root Stack starts (runtime/settings.ts awaitFeatureSupport). */
const FEATURES = ["secrets", "resourceReferences", "outputValues", "deletedWith", "replaceWith", "aliasSpecs", "transforms", "invokeTransforms", "parameterization", "resourceHooks", "errorHooks"];

const newMonitor = (preview = false) =>
  new RecordingMonitor({ project: "p", stack: "s", preview, clusterIds: {}, constellationName: "s" }, (message) => {
    throw new Error(`refused: ${message}`);
  });

/** Calls a monitor method the way the runtime does, callback style. */
function call(monitor: any, method: string, req: unknown): Promise<any> {
  return new Promise((resolve, reject) => monitor[method](req, (err: unknown, resp: unknown) => (err ? reject(err) : resolve(resp))));
}

for (const name of Object.keys(SDK_INTERNALS) as SdkInternal[]) {
  const { module, exports } = SDK_INTERNALS[name];
  test(`the SDK still has ${module} with ${Object.keys(exports).join(", ")}`, () => {
    // sdkInternal throws with the module's path and each export missing or of another kind.
    const loaded = sdkInternal(name);
    for (const [e, type] of Object.entries(exports)) assert.equal(typeof loaded[e], type, `${module}: ${e}`);
  });
}

test("a private module the SDK lost, or an export it dropped, is named in the failure", () => {
  assert.throws(() => requireChecked("@pulumi/pulumi/proto/no_such_pb", {}, "sdk-internals example"), /the Pulumi SDK no longer has @pulumi\/pulumi\/proto\/no_such_pb \(sdk-internals example\)/);
  assert.throws(() => requireChecked(SDK_INTERNALS.resourcePb.module, { RegisterResourceResponse: "function", NoSuchResponse: "function" }, "sdk-internals resourcePb"), /proto\/resource_pb \(sdk-internals resourcePb\) no longer exports NoSuchResponse$/);
  assert.throws(() => requireChecked(SDK_INTERNALS.resourceGrpc.module, { ResourceMonitorService: "function" }, "sdk-internals resourceGrpc"), /no longer exports ResourceMonitorService as a function \(it is a object\)$/);
});

test(`the language host's run script is still ${RUN_SCRIPT}`, () => {
  assert.ok(existsSync(runScriptPath(PROJECT_ROOT)), `${RUN_SCRIPT} resolves to a file`);
});

test("the public hooks and wire signatures the engine uses are still exported by @pulumi/pulumi", () => {
  for (const fn of ["setMockOptions", "setAllConfig", "runInPulumiStack", "disconnect"] as const) assert.equal(typeof pulumi.runtime[fn], "function", `pulumi.runtime.${fn}`);
  for (const key of ["unknownValue", "specialSigKey", "specialSecretSig", "specialResourceSig"] as const) assert.equal(typeof pulumi.runtime[key], "string", `pulumi.runtime.${key}`);
});

test("the recording monitor offers every method of the SDK's MockMonitor and answers its feature questions alike", async () => {
  const { MockMonitor } = sdkInternal("mocks");
  // newUrn is MockMonitor's own helper and getRegisteredResources a test accessor: the runtime calls neither.
  const expected = Object.getOwnPropertyNames(MockMonitor.prototype).filter((m) => !["constructor", "newUrn", "getRegisteredResources"].includes(m));
  const ours = new Set(Object.getOwnPropertyNames(RecordingMonitor.prototype));
  for (const m of expected) assert.ok(ours.has(m), `the SDK's MockMonitor has ${m}, which the recording monitor lacks`);

  const mock = new MockMonitor({ call: () => ({}), newResource: () => ({ id: "", state: {} }) });
  const monitor = newMonitor();
  const { SupportsFeatureRequest } = sdkInternal("resourcePb");
  for (const feature of [...FEATURES, ...UNSUPPORTED_FEATURES]) {
    const req = new SupportsFeatureRequest();
    req.setId(feature);
    const [theirs, mine] = await Promise.all([call(mock, "supportsFeature", req), call(monitor, "supportsFeature", req)]);
    assert.equal(mine.getHassupport(), theirs.getHassupport(), `feature ${feature}`);
  }
});

test("the monitor reads a RegisterResourceRequest through the generated getters and answers with the generated response", async () => {
  const pb = sdkInternal("resourcePb");
  const stack = new pb.RegisterResourceRequest();
  stack.setType("pulumi:pulumi:Stack");
  stack.setName("p-s");
  const monitor = newMonitor();
  const stackResp = await call(monitor, "registerResource", stack);
  assert.equal(stackResp.getUrn(), "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s");

  const comp = new pb.RegisterResourceRequest();
  comp.setType("test:index:Comp");
  comp.setName("c");
  comp.setParent(stackResp.getUrn());
  const compUrn = (await call(monitor, "registerResource", comp)).getUrn();

  const req = new pb.RegisterResourceRequest();
  req.setType("test:index:Thing");
  req.setName("t");
  req.setParent(compUrn);
  req.setCustom(true);
  req.setProtect(true);
  req.setObject(Struct.fromJavaScript({ plain: 1, password: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "x" } }));
  req.setDependenciesList(["urn:b"]);
  const deps = new pb.RegisterResourceRequest.PropertyDependencies();
  deps.setUrnsList(["urn:a"]);
  req.getPropertydependenciesMap().set("plain", deps);
  req.setAdditionalsecretoutputsList(["plain"]);
  req.setIgnorechangesList(["plain"]);
  const timeouts = new pb.RegisterResourceRequest.CustomTimeouts();
  timeouts.setCreate("5m");
  req.setCustomtimeouts(timeouts);
  const resp = await call(monitor, "registerResource", req);
  assert.ok(resp instanceof pb.RegisterResourceResponse);
  assert.equal(resp.getUrn(), "urn:pulumi:s::p::test:index:Comp$test:index:Thing::t");
  assert.match(resp.getId(), /^[0-9a-f]{8}-/);
  assert.deepEqual(resp.getObject().toJavaScript().plain, { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: 1 }, "additionalSecretOutputs mark the output secret");

  const recorded = monitor.resources.at(-1)!;
  assert.equal(recorded.parent, compUrn);
  assert.deepEqual(recorded.dependencies, ["urn:a", "urn:b"]);
  assert.deepEqual(recorded.inputs, { plain: 1, password: { "[secret]": "x" } });
  assert.deepEqual(recorded.options.customTimeouts, { create: "5m", update: "", delete: "" });
  assert.equal(recorded.options.protect, true);
  assert.deepEqual(recorded.options.ignoreChanges, ["plain"]);

  const read = new pb.ReadResourceRequest();
  read.setType("test:index:Thing");
  read.setName("r");
  read.setId(pulumi.runtime.unknownValue);
  read.setProperties(Struct.fromJavaScript({ data: 1 }));
  const readResp = await call(monitor, "readResource", read);
  assert.ok(readResp instanceof pb.ReadResourceResponse);
  assert.deepEqual(readResp.getProperties().toJavaScript(), { data: pulumi.runtime.unknownValue }, "a read of an unknown id sees unknown state");
  assert.equal(monitor.reads[0]!.id, "[unknown]");

  const pkg = await call(monitor, "registerPackage", new pb.RegisterPackageRequest());
  assert.ok(pkg instanceof pb.RegisterPackageResponse);
  const { ResourceInvokeRequest } = pb;
  const { InvokeResponse } = sdkInternal("providerPb");
  const getResource = new ResourceInvokeRequest();
  getResource.setTok("pulumi:pulumi:getResource");
  getResource.setArgs(Struct.fromJavaScript({ urn: "urn:x" }));
  assert.ok((await call(monitor, "invoke", getResource)) instanceof InvokeResponse);
  const other = new ResourceInvokeRequest();
  other.setTok("gcp:index/getProject:getProject");
  await assert.rejects(call(monitor, "invoke", other), /the program invoked gcp:index\/getProject:getProject, which has no fake/);
});

test("installed with the public setMockOptions, the monitor records what the runtime registers, secrets negotiated", async () => {
  const monitor = newMonitor();
  pulumi.runtime.setAllConfig({ "p:x": "1" }, []);
  pulumi.runtime.setMockOptions(monitor, "p", "s", false);
  class Comp extends pulumi.ComponentResource {
    constructor(name: string) {
      super("test:index:Comp", name, {}, {});
      this.registerOutputs({});
    }
  }
  class Thing extends pulumi.CustomResource {}
  await pulumi.runtime.runInPulumiStack(async () => {
    const c = new Comp("c");
    const t = new Thing("test:index:Thing", "t", { password: pulumi.secret("x"), plain: 1 }, { parent: c, additionalSecretOutputs: ["plain"], deletedWith: c });
    return { id: t.id, plain: (t as any).plain };
  });
  await pulumi.runtime.disconnect();
  assert.deepEqual(
    monitor.resources.map((r) => r.urn),
    ["urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", "urn:pulumi:s::p::test:index:Comp::c", "urn:pulumi:s::p::test:index:Comp$test:index:Thing::t"],
  );
  const thing = monitor.resources[2]!;
  // Sent as a secret only when the runtime learnt from the monitor that it supports secrets.
  assert.deepEqual(thing.inputs, { password: { "[secret]": "x" }, plain: 1 });
  assert.equal(thing.options.deletedWith, "urn:pulumi:s::p::test:index:Comp::c");
  assert.match(String(monitor.outputs.id), /^[0-9a-f]{8}-/);
  assert.deepEqual(monitor.outputs.plain, { "[secret]": 1 });
});
