/**
 * The recording engine's worker: one evaluation of the real program per process (the Pulumi runtime keeps global
 * state). It installs Pulumi's mocks, wraps the mock monitor to see every full RegisterResourceRequest (mocks alone
 * do not show parents, dependencies or options), emulates what the real engine does that mocks do not
 * (additionalSecretOutputs, unknown outputs and ids in preview), runs index.ts the way the Node.js language host's
 * run script does (inside the root Stack, calling an exported function), and writes the recording as JSON.
 *
 * Usage (from engine.ts): node --import tsx tools/record/worker.ts <options.json> <result.json>
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { fakeId, fakeOutputs, type FakeContext } from "./fakes";
import { SECRET_KEY, UNKNOWN, type Recorded, type RecordedLog, type RecordedRead, type RecordedResource, type Recording } from "./types";
import type { WorkerOptions } from "./engine";
import { checkKubernetesObject, isKubernetesObject } from "./providers/kubernetes";
import { checkInputs } from "./providers/schemas";

/* eslint-disable @typescript-eslint/no-explicit-any -- protobuf request objects are untyped here */

const [optionsFile, resultFile] = process.argv.slice(2) as [string, string];
const options = JSON.parse(readFileSync(optionsFile, "utf8")) as WorkerOptions;

const resources: RecordedResource[] = [];
const reads: RecordedRead[] = [];
const invokes: { token: string; args: Recorded }[] = [];
const logs: RecordedLog[] = [];
let outputs: { [key: string]: Recorded } = {};
const errors: string[] = [];
const started = Date.now();
let stackUrn = "";

// Capture what the program logs: pulumi.log writes to the console when no engine is attached.
const severityOf = (text: string): RecordedLog["severity"] =>
  text.startsWith("warning:") ? "warning" : text.startsWith("error:") ? "error" : text.startsWith("debug:") ? "debug" : "info";
for (const method of ["log", "info", "warn", "error", "debug"] as const) {
  console[method] = (...args: unknown[]) => {
    const message = args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ");
    logs.push({ severity: severityOf(message), message: message.replace(/^(warning|error|info|debug): \[runtime\] /, "") });
  };
}

/** Serialized property values (the wire form, with signature keys) → recorded form. */
function toRecorded(value: unknown): Recorded {
  if (value === rpc.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map(toRecorded);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[rpc.specialSigKey];
    if (sig === rpc.specialSecretSig) return { [SECRET_KEY]: toRecorded(obj.value) };
    if (sig === rpc.specialResourceSig) return String(obj.urn);
    if (sig !== undefined) return `[${String(sig)}]`;
    const out: { [key: string]: Recorded } = {};
    for (const key of Object.keys(obj)) out[key] = toRecorded(obj[key]);
    return out;
  }
  return value as Recorded;
}

/** Strips secret and unknown wrappers: the plain values a fake provider computes from. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[rpc.specialSigKey] === rpc.specialSecretSig) return plain(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Whether a serialized value holds an unknown anywhere. */
function containsUnknown(value: unknown): boolean {
  if (value === rpc.unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value as Record<string, unknown>).some(containsUnknown);
  return false;
}

/**
 * Provider URN → whether its configuration is fully known. The engine does not configure a provider whose inputs
 * hold unknowns (a preview, before the credential it takes exists): Check of the resources on it passes their inputs
 * through unchecked, Diff answers "unavailable" and Create in a preview reports every output unknown
 * (pulumi v3.248.0 sdk/go/common/resource/plugin/provider_plugin.go: Configure, Check, Diff, Create).
 */
const providerConfigKnown = new Map<string, boolean>();

const providerUrn = (ref: string): string | null => (ref === "" ? null : ref.split("::").slice(0, -1).join("::"));

/** URNs as the real engine builds them: the parent's qualified type, except the root Stack's, prefixes the type. */
const qualifiedTypes = new Map<string, string>();
function newUrn(parent: string, type: string, name: string): string {
  const parentType = parent === "" || parent === stackUrn ? undefined : qualifiedTypes.get(parent);
  const qualified = parentType ? `${parentType}$${type}` : type;
  const urn = `urn:pulumi:${options.stack}::${options.project}::${qualified}::${name}`;
  qualifiedTypes.set(urn, qualified);
  return urn;
}

const fakeContext: FakeContext = { clusterIds: options.clusterIds, constellation: options.constellationName };

function dependenciesOf(req: any): string[] {
  const deps = new Set<string>(req.getDependenciesList());
  req.getPropertydependenciesMap().forEach((entry: any) => {
    for (const urn of entry.getUrnsList()) deps.add(urn);
  });
  return [...deps].sort();
}

/** The state a provider would report: inputs echoed, computed outputs (unknown in preview), secrets marked. */
function stateFor(type: string, name: string, serializedInputs: Record<string, unknown>, secretOutputs: string[], reading: boolean): Record<string, unknown> {
  const computed = fakeOutputs(type, name, plain(serializedInputs) as Record<string, unknown>, fakeContext);
  const state: Record<string, unknown> = { ...serializedInputs };
  for (const [key, value] of Object.entries(computed)) {
    if (key in state) continue;
    state[key] = options.preview && !reading ? rpc.unknownValue : value;
  }
  for (const key of secretOutputs) {
    if (key in state && !(typeof state[key] === "object" && state[key] !== null && (state[key] as any)[rpc.specialSigKey] === rpc.specialSecretSig)) {
      state[key] = { [rpc.specialSigKey]: rpc.specialSecretSig, value: state[key] };
    }
  }
  return state;
}

/**
 * The id the engine hands the program. In a preview: a provider created in it has the unknown id
 * (deploy/providers/registry.go); a command's id is known (pulumi-command's Create runs in a preview too and returns
 * the id it generates, `resource.NewUniqueHex`, which the engine passes through: step.go CreateStep); every other
 * resource's id is "" (unknown to the program).
 */
function idFor(type: string, name: string, urn: string): string {
  if (type.startsWith("pulumi:providers:")) return options.preview ? "" : `${name}-provider-id`;
  if (!options.preview) return fakeId(urn);
  return type.startsWith("command:") ? fakeId(urn) : "";
}

/** A resource whose provider is not configured yet, in a preview: every input and output unknown. */
function allUnknown(inputs: Record<string, unknown>, type: string, name: string): Record<string, unknown> {
  const keys = new Set([...Object.keys(inputs), ...Object.keys(fakeOutputs(type, name, plain(inputs) as Record<string, unknown>, fakeContext))]);
  return Object.fromEntries([...keys].map((k) => [k, rpc.unknownValue]));
}

async function main(): Promise<void> {
  // The Pulumi SDK takes a stack trace for every promise it tracks; with tsx's source maps on, mapping each frame
  // dominates the run (over half of it at 50 clusters). The recording needs no mapped traces: its errors name files
  // and lines of the transpiled program, which tsx keeps close to the source.
  process.setSourceMapsEnabled(false);
  // The same traces, captured at all, are still most of the rest (the SDK's debuggablePromise): the recording keeps
  // none unless asked (GOCY_RECORD_STACKS=1, for debugging the program itself).
  if (process.env.GOCY_RECORD_STACKS !== "1") Error.stackTraceLimit = 0;
  process.on("unhandledRejection", (reason) => {
    errors.push(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
  });
  if (options.offlineSignal) process.env.GOCY_OFFLINE_PLAN = "1";
  else delete process.env.GOCY_OFFLINE_PLAN;
  pulumi.runtime.setAllConfig(options.config, options.secretKeys);

  await pulumi.runtime.setMocks(
    {
      newResource: () => {
        throw new Error("recording engine: the wrapped monitor answers registrations itself");
      },
      call: (args) => {
        throw new Error(`recording engine: the program invoked ${args.token}, which has no fake`);
      },
    },
    options.project,
    options.stack,
    options.preview,
  );
  const monitor = pulumi.runtime.getMonitor() as any;
  const respond = (ctor: any, fill: (r: any) => void) => {
    const resp = new ctor();
    fill(resp);
    return resp;
  };
  const resproto = require("@pulumi/pulumi/proto/resource_pb");
  const mockInvoke = monitor.invoke.bind(monitor);

  monitor.registerResource = (req: any, callback: (err: any, resp?: any) => void) => {
    try {
      const type: string = req.getType();
      const name: string = req.getName();
      const parent: string = req.getParent();
      const urn = newUrn(parent, type, name);
      if (type === "pulumi:pulumi:Stack") stackUrn = urn;
      const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const timeouts = req.getCustomtimeouts();
      const providers: Record<string, string> = {};
      req.getProvidersMap().forEach((ref: string, pkg: string) => {
        providers[pkg] = providerUrn(ref) ?? "";
      });
      const secretOutputs: string[] = req.getAdditionalsecretoutputsList();
      const provider = providerUrn(req.getProvider());
      const configKnown = provider === null || providerConfigKnown.get(provider) !== false;
      const recorded = toRecorded(inputs) as { [key: string]: Recorded };
      resources.push({
        configKnown,
        urn,
        type,
        name,
        custom: req.getCustom(),
        remote: req.getRemote(),
        parent: parent === "" ? null : parent,
        provider,
        providers,
        dependencies: dependenciesOf(req),
        options: {
          protect: req.getProtect() === true,
          retainOnDelete: req.getRetainondelete() === true,
          deletedWith: req.getDeletedwith() === "" ? null : req.getDeletedwith(),
          ignoreChanges: req.getIgnorechangesList(),
          replaceOnChanges: req.getReplaceonchangesList(),
          additionalSecretOutputs: secretOutputs,
          deleteBeforeReplace: req.getDeletebeforereplace() === true,
          // The SDK sends structured aliases when the monitor supports alias specs (mocks do): record both forms.
          aliases: [...req.getAliasurnsList(), ...req.getAliasesList().map((a: any) => JSON.stringify(a.toObject()))],
          customTimeouts: timeouts ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() } : null,
        },
        inputs: recorded,
      });
      const custom = req.getCustom();
      const isProvider = type.startsWith("pulumi:providers:");
      if (isProvider) providerConfigKnown.set(urn, !containsUnknown(inputs));
      if (custom && configKnown && !isProvider) {
        const problem = isKubernetesObject(type) ? checkKubernetesObject(type) : checkInputs(type, recorded);
        if (problem !== null) {
          // A failed Check ends the whole operation (the engine stops at the first step that fails): so does the
          // recording, with the provider's message, instead of waiting for the program to hang on the failure.
          finish(`${type} resource '${name}': the provider's Check refuses it: ${problem}`);
          process.exit(4);
        }
      }
      const id = !custom ? "" : idFor(type, name, urn);
      const state = !custom ? {} : options.preview && !configKnown ? allUnknown(inputs, type, name) : stateFor(type, name, inputs, secretOutputs, false);
      callback(
        null,
        respond(resproto.RegisterResourceResponse, (r) => {
          r.setUrn(urn);
          r.setId(id);
          r.setObject(Struct.fromJavaScript(state as any));
        }),
      );
    } catch (err) {
      callback(err);
    }
  };

  monitor.readResource = (req: any, callback: (err: any, resp?: any) => void) => {
    try {
      const type: string = req.getType();
      const name: string = req.getName();
      const urn = newUrn(req.getParent(), type, name);
      const inputs = (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const id: string = req.getId();
      reads.push({
        urn,
        type,
        name,
        id: toRecorded(id),
        parent: req.getParent() === "" ? null : req.getParent(),
        provider: providerUrn(req.getProvider()),
        dependencies: [...req.getDependenciesList()].sort(),
        inputs: toRecorded(inputs) as { [key: string]: Recorded },
      });
      if (options.preview && id !== rpc.unknownValue && id !== "") {
        // A real preview runs this read now, on a cluster that may not exist yet (docs/architecture.md#proving-it-offline).
        logs.push({ severity: "error", message: `read of ${urn} with a known id during preview: a real preview would run it now` });
      }
      const known = id !== rpc.unknownValue && id !== "";
      const state = known ? stateFor(type, name, inputs, req.getAdditionalsecretoutputsList(), true) : { ...Object.fromEntries(Object.keys(inputs).map((k) => [k, rpc.unknownValue])) };
      callback(
        null,
        respond(resproto.ReadResourceResponse, (r) => {
          r.setUrn(urn);
          r.setProperties(Struct.fromJavaScript(state as any));
        }),
      );
    } catch (err) {
      callback(err);
    }
  };

  monitor.invoke = (req: any, callback: (err: any, resp?: any) => void) => {
    const token: string = req.getTok();
    if (token !== "pulumi:pulumi:getResource") invokes.push({ token, args: toRecorded(req.getArgs()?.toJavaScript() ?? {}) });
    mockInvoke(req, callback);
  };

  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: (err: any, resp?: any) => void) => {
    if (req.getUrn() === stackUrn) outputs = toRecorded(req.getOutputs()?.toJavaScript() ?? {}) as { [key: string]: Recorded };
    registerOutputs(req, callback);
  };
  // Components register their outputs too; the mock monitor only knows what it registered itself.
  monitor.resources = { get: () => ({}), set: () => undefined };

  const watchdog = setTimeout(() => {
    finish(
      `recording engine: registration did not finish within ${options.watchdogMs} ms (a promise cycle shows under mocks only as a hang)` +
        (errors.length > 0 ? `; errors seen meanwhile:\n${errors.join("\n")}` : ""),
    );
    process.exit(3);
  }, options.watchdogMs);

  let programError: string | null = null;
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      const program = require(path.resolve(options.program));
      return program instanceof Function ? program() : program;
    });
    await pulumi.runtime.disconnect();
  } catch (err) {
    programError = err instanceof pulumi.RunError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  clearTimeout(watchdog);
  finish(programError ?? (errors.length > 0 ? errors.join("\n") : null));
}

function finish(error: string | null): void {
  const recording: Recording = {
    project: options.project,
    stack: options.stack,
    preview: options.preview,
    resources,
    reads,
    invokes,
    outputs,
    logs,
    error,
    elapsedMs: Date.now() - started,
    maxRssKb: process.resourceUsage().maxRSS,
  };
  writeFileSync(resultFile, JSON.stringify(recording));
}

main().catch((err) => {
  finish(err instanceof Error ? (err.stack ?? err.message) : String(err));
});
