/**
 * Every module of the Pulumi SDK (@pulumi/pulumi 3.248.0) that the recording engine and its tests reach outside the
 * SDK's public API, in one place. Everything else goes through `@pulumi/pulumi` itself: the engine installs its
 * resource monitor with `pulumi.runtime.setMockOptions`, the hook `pulumi.runtime.setMocks` is built on, and reads
 * the wire signatures (`unknownValue`, `specialSigKey`, …) from `pulumi.runtime`.
 *
 * Why these remain:
 *   - The response messages. The SDK reads a monitor's answers with the generated protobuf getters
 *     (`getResult()`, `getPropertydependenciesMap()`, …: runtime/resource.ts), so a monitor must answer with the
 *     generated classes, as the SDK's own MockMonitor does (sdk/nodejs/runtime/mocks.ts). The SDK exports no public
 *     path to them; they are generated from the public protocol (proto/pulumi/resource.proto, provider.proto).
 *   - The gRPC service definitions and the run script, for the test that starts the program the way the CLI's
 *     language host does (test/language-host.test.ts): a real resource monitor and engine served over gRPC, and
 *     the SDK's `cmd/run` entry point the language host executes.
 *   - The SDK's MockMonitor, for the test only: the recording monitor must answer the same feature questions and
 *     offer the same methods as the monitor `setMocks` would install.
 *
 * test/engine/sdk-internals.test.ts checks each one still exists with the shape used here, and names it if not.
 * Modules load on first use: the worker needs only the response messages, which the SDK has loaded already.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any -- untyped generated code */

/** A module path inside @pulumi/pulumi, resolved from wherever the caller runs. */
const SDK = "@pulumi/pulumi";

/**
 * The private modules, by the name the engine uses, with what it needs of each: generated message classes
 * ("function") and gRPC service definitions ("object").
 */
export const SDK_INTERNALS = {
  /** Resource monitor requests and responses. */
  resourcePb: {
    module: `${SDK}/proto/resource_pb`,
    exports: {
      RegisterResourceRequest: "function",
      RegisterResourceResponse: "function",
      ReadResourceRequest: "function",
      ReadResourceResponse: "function",
      RegisterPackageRequest: "function",
      RegisterPackageResponse: "function",
      SupportsFeatureRequest: "function",
      SupportsFeatureResponse: "function",
      ResourceInvokeRequest: "function",
    },
  },
  /** Invoke responses. */
  providerPb: { module: `${SDK}/proto/provider_pb`, exports: { InvokeResponse: "function" } },
  /** The gRPC service the language-host test serves as the resource monitor. */
  resourceGrpc: { module: `${SDK}/proto/resource_grpc_pb`, exports: { ResourceMonitorService: "object" } },
  /** The gRPC service the language-host test serves as the engine, and its answer to SetRootResource. */
  engineGrpc: { module: `${SDK}/proto/engine_grpc_pb`, exports: { EngineService: "object" } },
  enginePb: { module: `${SDK}/proto/engine_pb`, exports: { SetRootResourceResponse: "function" } },
  /** The monitor `setMocks` installs, compared with the engine's own in the test. */
  mocks: { module: `${SDK}/runtime/mocks`, exports: { MockMonitor: "function" } },
} as const satisfies Record<string, { module: string; exports: Record<string, "function" | "object"> }>;

export type SdkInternal = keyof typeof SDK_INTERNALS;

/** Loads one private module, failing with its name and path when the SDK no longer has it. */
export function sdkInternal(name: SdkInternal): any {
  const { module, exports } = SDK_INTERNALS[name];
  return requireChecked(module, exports, `sdk-internals ${name}`);
}

/** `require(module)`, checked for `exports` (name → typeof); the error names the module, the label and what is missing. */
export function requireChecked(module: string, exports: Readonly<Record<string, string>>, label: string): any {
  let loaded: any;
  try {
    loaded = require(module);
  } catch (err) {
    throw new Error(`the Pulumi SDK no longer has ${module} (${label}): ${(err as Error).message.split("\n")[0]}`);
  }
  const missing = Object.entries(exports)
    .filter(([name, type]) => typeof loaded[name] !== type)
    .map(([name, type]) => (loaded[name] === undefined ? name : `${name} as a ${type} (it is a ${typeof loaded[name]})`));
  if (missing.length > 0) throw new Error(`the Pulumi SDK's ${module} (${label}) no longer exports ${missing.join(", ")}`);
  return loaded;
}

/** The script the CLI's Node.js language host runs a program with (pulumi-language-nodejs: `cmd/run`). */
export const RUN_SCRIPT = `${SDK}/cmd/run`;

/** The path of the run script, resolved from `root`. */
export function runScriptPath(root: string): string {
  return require.resolve(RUN_SCRIPT, { paths: [root] });
}
