/**
 * What the recording engine records: every resource the real program registers, with its place in the graph,
 * its lifecycle options and its inputs, secrets kept distinguishable.
 */

/** Inputs and outputs as recorded: plain JSON where secrets are `{ "[secret]": value }` and unknowns `"[unknown]"`. */
export type Recorded = null | boolean | number | string | Recorded[] | { [key: string]: Recorded };

export const SECRET_KEY = "[secret]";
export const UNKNOWN = "[unknown]";

export interface RecordedOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deletedWith: string | null;
  readonly ignoreChanges: readonly string[];
  readonly replaceOnChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly aliases: readonly string[];
  readonly customTimeouts: { readonly create?: string; readonly update?: string; readonly delete?: string } | null;
}

export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Custom resource (true) or component (false). */
  readonly custom: boolean;
  /** A remote (multi-language) component, whose children only a real engine sees. */
  readonly remote: boolean;
  readonly parent: string | null;
  /** Provider URN (the `urn::id` reference without its id), or null for the default provider / components. */
  readonly provider: string | null;
  /** Providers passed to a component (`providers:`), by package. */
  readonly providers: Readonly<Record<string, string>>;
  /** Explicit `dependsOn` plus every property dependency, sorted. */
  readonly dependencies: readonly string[];
  readonly options: RecordedOptions;
  readonly inputs: { readonly [key: string]: Recorded };
  /**
   * Whether its provider's configuration was known at registration. When it is not (a preview, before the
   * credential exists), the engine never configures the provider: Check passes the inputs through unchecked, Diff
   * answers "unavailable" (planned as an update, with a warning) and Create reports every output unknown
   * (sdk/go/common/resource/plugin/provider_plugin.go, Configure, Check, Diff, Create).
   */
  readonly configKnown: boolean;
}

export interface RecordedRead {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The id as the program passed it: `"[unknown]"` while its target does not exist yet. */
  readonly id: Recorded;
  readonly parent: string | null;
  readonly provider: string | null;
  readonly dependencies: readonly string[];
  readonly inputs: { readonly [key: string]: Recorded };
}

export interface RecordedLog {
  readonly severity: "debug" | "info" | "warning" | "error";
  readonly message: string;
}

export interface Recording {
  readonly project: string;
  readonly stack: string;
  readonly preview: boolean;
  readonly resources: readonly RecordedResource[];
  readonly reads: readonly RecordedRead[];
  readonly invokes: readonly { readonly token: string; readonly args: Recorded }[];
  readonly outputs: { readonly [key: string]: Recorded };
  readonly logs: readonly RecordedLog[];
  /** The program's failure, as a user would see it (RunError message, or the error and its stack). */
  readonly error: string | null;
  /** Milliseconds from the program's start to the end of registration. */
  readonly elapsedMs: number;
  /** The worker's peak resident memory, in kilobytes. */
  readonly maxRssKb: number;
}
