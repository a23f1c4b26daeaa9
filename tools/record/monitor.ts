/**
 * The recording engine's resource monitor: what the Pulumi runtime talks to in place of the engine. The worker
 * installs it with the SDK's public mock hook (`pulumi.runtime.setMockOptions`), so it sees every full
 * RegisterResourceRequest (the `setMocks` callbacks do not show parents, dependencies or options), answers as the
 * real engine would where mocks do not (additionalSecretOutputs, unknown outputs and ids in preview, the providers'
 * Check), and records everything.
 *
 * It offers the methods the SDK's MockMonitor offers and answers the same feature questions
 * (test/engine/sdk-internals.test.ts compares them).
 */
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { fakeId, fakeOutputs, type FakeContext } from "./fakes";
import { checkKubernetesObject, isKubernetesObject } from "./providers/kubernetes";
import { checkInputs } from "./providers/schemas";
import { sdkInternal } from "./sdk-internals";
import { SECRET_KEY, UNKNOWN, type Recorded, type RecordedLog, type RecordedRead, type RecordedResource } from "./types";

/* eslint-disable @typescript-eslint/no-explicit-any -- protobuf request objects are untyped here */

const { unknownValue, specialSigKey, specialSecretSig, specialResourceSig } = pulumi.runtime;

/** Serialized property values (the wire form, with signature keys) → recorded form. */
export function toRecorded(value: unknown): Recorded {
  if (value === unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map(toRecorded);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[specialSigKey];
    if (sig === specialSecretSig) return { [SECRET_KEY]: toRecorded(obj.value) };
    if (sig === specialResourceSig) return String(obj.urn);
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
    if (obj[specialSigKey] === specialSecretSig) return plain(obj.value);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Whether a serialized value holds an unknown anywhere. */
function containsUnknown(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value as Record<string, unknown>).some(containsUnknown);
  return false;
}

const providerUrn = (ref: string): string | null => (ref === "" ? null : ref.split("::").slice(0, -1).join("::"));

function dependenciesOf(req: any): string[] {
  const deps = new Set<string>(req.getDependenciesList());
  req.getPropertydependenciesMap().forEach((entry: any) => {
    for (const urn of entry.getUrnsList()) deps.add(urn);
  });
  return [...deps].sort();
}

export interface MonitorOptions {
  readonly project: string;
  readonly stack: string;
  readonly preview: boolean;
  readonly clusterIds: Readonly<Record<string, number>>;
  readonly constellationName: string;
}

type Callback = (err: any, resp?: any) => void;

/** What `build` returns for a call left unanswered (the recording ends instead: a refused Check). */
const NO_ANSWER = Symbol("no answer");

/** Answers a monitor call with what `build` returns, or with the error it throws. */
function answer(callback: Callback, build: () => unknown): void {
  let resp: unknown;
  try {
    resp = build();
  } catch (err) {
    callback(err);
    return;
  }
  if (resp !== NO_ANSWER) callback(null, resp);
}

/** The features the monitor supports: all the SDK's MockMonitor supports, which is every one but output values. */
export const UNSUPPORTED_FEATURES: readonly string[] = ["outputValues"];

export class RecordingMonitor {
  readonly resources: RecordedResource[] = [];
  readonly reads: RecordedRead[] = [];
  readonly invokes: { token: string; args: Recorded }[] = [];
  readonly logs: RecordedLog[] = [];
  outputs: { [key: string]: Recorded } = {};
  private stackUrn = "";
  /**
   * Provider URN → whether its configuration is fully known. The engine does not configure a provider whose inputs
   * hold unknowns (a preview, before the credential it takes exists): Check of the resources on it passes their
   * inputs through unchecked, Diff answers "unavailable" and Create in a preview reports every output unknown
   * (pulumi v3.248.0 sdk/go/common/resource/plugin/provider_plugin.go: Configure, Check, Diff, Create).
   */
  private readonly providerConfigKnown = new Map<string, boolean>();
  /** URN → its qualified type, for the URNs of its children. */
  private readonly qualifiedTypes = new Map<string, string>();
  private readonly fakeContext: FakeContext;
  private readonly resourcePb = sdkInternal("resourcePb");

  /**
   * `refused`: called when a provider's Check refuses a resource. A failed Check ends the whole operation (the
   * engine stops at the first step that fails): so does the recording, instead of waiting for the program to hang
   * on the failure.
   */
  constructor(
    private readonly options: MonitorOptions,
    private readonly refused: (message: string) => void,
  ) {
    this.fakeContext = { clusterIds: options.clusterIds, constellation: options.constellationName };
  }

  /** URNs as the real engine builds them: the parent's qualified type, except the root Stack's, prefixes the type. */
  private newUrn(parent: string, type: string, name: string): string {
    const parentType = parent === "" || parent === this.stackUrn ? undefined : this.qualifiedTypes.get(parent);
    const qualified = parentType ? `${parentType}$${type}` : type;
    const urn = `urn:pulumi:${this.options.stack}::${this.options.project}::${qualified}::${name}`;
    this.qualifiedTypes.set(urn, qualified);
    return urn;
  }

  /** The state a provider would report: inputs echoed, computed outputs (unknown in preview), secrets marked. */
  private stateFor(type: string, name: string, serializedInputs: Record<string, unknown>, secretOutputs: string[], reading: boolean): Record<string, unknown> {
    const computed = fakeOutputs(type, name, plain(serializedInputs) as Record<string, unknown>, this.fakeContext);
    const state: Record<string, unknown> = { ...serializedInputs };
    for (const [key, value] of Object.entries(computed)) {
      if (key in state) continue;
      state[key] = this.options.preview && !reading ? unknownValue : value;
    }
    for (const key of secretOutputs) {
      if (key in state && !(typeof state[key] === "object" && state[key] !== null && (state[key] as any)[specialSigKey] === specialSecretSig)) {
        state[key] = { [specialSigKey]: specialSecretSig, value: state[key] };
      }
    }
    return state;
  }

  /**
   * The id the engine hands the program. In a preview: a provider created in it has the unknown id
   * (deploy/providers/registry.go); a command's id is known (pulumi-command's Create runs in a preview too and
   * returns the id it generates, `resource.NewUniqueHex`, which the engine passes through: step.go CreateStep);
   * every other resource's id is "" (unknown to the program).
   */
  private idFor(type: string, name: string, urn: string): string {
    if (type.startsWith("pulumi:providers:")) return this.options.preview ? "" : `${name}-provider-id`;
    if (!this.options.preview) return fakeId(urn);
    return type.startsWith("command:") ? fakeId(urn) : "";
  }

  /** A resource whose provider is not configured yet, in a preview: every input and output unknown. */
  private allUnknown(inputs: Record<string, unknown>, type: string, name: string): Record<string, unknown> {
    const keys = new Set([...Object.keys(inputs), ...Object.keys(fakeOutputs(type, name, plain(inputs) as Record<string, unknown>, this.fakeContext))]);
    return Object.fromEntries([...keys].map((k) => [k, unknownValue]));
  }

  registerResource(req: any, callback: Callback): void {
    answer(callback, () => {
      const type: string = req.getType();
      const name: string = req.getName();
      const parent: string = req.getParent();
      const urn = this.newUrn(parent, type, name);
      if (type === "pulumi:pulumi:Stack") this.stackUrn = urn;
      const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const timeouts = req.getCustomtimeouts();
      const providers: Record<string, string> = {};
      req.getProvidersMap().forEach((ref: string, pkg: string) => {
        providers[pkg] = providerUrn(ref) ?? "";
      });
      const secretOutputs: string[] = req.getAdditionalsecretoutputsList();
      const provider = providerUrn(req.getProvider());
      const configKnown = provider === null || this.providerConfigKnown.get(provider) !== false;
      const recorded = toRecorded(inputs) as { [key: string]: Recorded };
      this.resources.push({
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
          // The SDK sends structured aliases when the monitor supports alias specs (this one does): record both forms.
          aliases: [...req.getAliasurnsList(), ...req.getAliasesList().map((a: any) => JSON.stringify(a.toObject()))],
          customTimeouts: timeouts ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() } : null,
        },
        inputs: recorded,
      });
      const custom: boolean = req.getCustom();
      const isProvider = type.startsWith("pulumi:providers:");
      if (isProvider) this.providerConfigKnown.set(urn, !containsUnknown(inputs));
      if (custom && configKnown && !isProvider) {
        const problem = isKubernetesObject(type) ? checkKubernetesObject(type) : checkInputs(type, recorded);
        if (problem !== null) {
          this.refused(`${type} resource '${name}': the provider's Check refuses it: ${problem}`);
          return NO_ANSWER;
        }
      }
      const id = !custom ? "" : this.idFor(type, name, urn);
      const state = !custom ? {} : this.options.preview && !configKnown ? this.allUnknown(inputs, type, name) : this.stateFor(type, name, inputs, secretOutputs, false);
      const resp = new this.resourcePb.RegisterResourceResponse();
      resp.setUrn(urn);
      resp.setId(id);
      resp.setObject(Struct.fromJavaScript(state as any));
      return resp;
    });
  }

  readResource(req: any, callback: Callback): void {
    answer(callback, () => {
      const type: string = req.getType();
      const name: string = req.getName();
      const urn = this.newUrn(req.getParent(), type, name);
      const inputs = (req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>;
      const id: string = req.getId();
      this.reads.push({
        urn,
        type,
        name,
        id: toRecorded(id),
        parent: req.getParent() === "" ? null : req.getParent(),
        provider: providerUrn(req.getProvider()),
        dependencies: [...req.getDependenciesList()].sort(),
        inputs: toRecorded(inputs) as { [key: string]: Recorded },
      });
      if (this.options.preview && id !== unknownValue && id !== "") {
        // A real preview runs this read now, on a cluster that may not exist yet (docs/architecture.md#proving-it-offline).
        this.logs.push({ severity: "error", message: `read of ${urn} with a known id during preview: a real preview would run it now` });
      }
      const known = id !== unknownValue && id !== "";
      const state = known ? this.stateFor(type, name, inputs, req.getAdditionalsecretoutputsList(), true) : { ...Object.fromEntries(Object.keys(inputs).map((k) => [k, unknownValue])) };
      const resp = new this.resourcePb.ReadResourceResponse();
      resp.setUrn(urn);
      resp.setProperties(Struct.fromJavaScript(state as any));
      return resp;
    });
  }

  invoke(req: any, callback: Callback): void {
    const token: string = req.getTok();
    if (token === "pulumi:pulumi:getResource") {
      // Rehydrating a resource reference: the state of a registered resource is not kept, so the answer is empty,
      // which leaves the reference's outputs as the program passed them.
      const resp = new (sdkInternal("providerPb").InvokeResponse)();
      resp.setReturn(Struct.fromJavaScript({}));
      callback(null, resp);
      return;
    }
    this.invokes.push({ token, args: toRecorded(req.getArgs()?.toJavaScript() ?? {}) });
    callback(new Error(`recording engine: the program invoked ${token}, which has no fake`));
  }

  registerResourceOutputs(req: any, callback: Callback): void {
    if (req.getUrn() === this.stackUrn) this.outputs = toRecorded(req.getOutputs()?.toJavaScript() ?? {}) as { [key: string]: Recorded };
    callback(null, {});
  }

  supportsFeature(req: any, callback: Callback): void {
    const supported = !UNSUPPORTED_FEATURES.includes(req.getId());
    callback(null, { getHassupport: () => supported });
  }

  /** Packages are for parameterized providers, which the program does not use: a placeholder reference. */
  registerPackage(_req: any, callback: Callback): void {
    const resp = new this.resourcePb.RegisterPackageResponse();
    resp.setRef("mock-uuid");
    callback(null, resp);
  }
}
