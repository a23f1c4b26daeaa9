/**
 * Local commands and the rules they all follow (docs/architecture.md#lifecycle-commands): bash scripts, credentials only in the
 * environment (Pulumi secrets), and for commands that must never run twice by accident, frozen once done.
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { NO_OP_UPDATE } from "../../lib/builders/scripts/common";

export interface ScriptArgs {
  readonly create: string;
  /** The delete; absent where none is needed (say why at the call). */
  readonly delete?: string;
  /** The update; absent: a change runs `create` again (or, frozen, nothing). */
  readonly update?: string;
  readonly stdin?: pulumi.Input<string>;
  /** Credentials and other values the script reads from its environment. */
  readonly environment?: Record<string, pulumi.Input<string>>;
  /** The script prints a credential (as its last act): stdout is a secret and is not logged. */
  readonly secretStdout?: boolean;
  /** Replace the command (run `create` again) when one of these changes; nothing else replaces a command. */
  readonly triggers?: readonly string[];
  /**
   * Another resource takes its stdout (the barycenter's credential): a frozen command then ignores every input
   * (`ignoreChanges: ["*"]`), so no change can ever plan an update, whose run would store the no-op line as its
   * stdout in place of what it printed (pulumi-command local/commandController.go Update, commandOutputs.go).
   */
  readonly stdoutConsumed?: boolean;
  /**
   * Frozen once done: a changed input never runs the command again. Every input that would (the scripts, stdin)
   * is ignored; a change of the environment (credentials) or of the delete script is stored by a no-op update, so a
   * later delete holds fresh credentials and the current teardown. Never replaced.
   */
  readonly frozen?: boolean;
}

/**
 * Inputs a frozen command ignores. Not `environment` (credentials must stay fresh) and not `delete`: with a no-op
 * update, storing a newer delete script runs nothing and lets a fixed teardown reach stacks that ran long ago.
 */
export const FROZEN_IGNORE = ["create", "update", "stdin", "interpreter", "dir", "logging", "triggers", "addPreviousOutputInEnv"];

export function script(name: string, args: ScriptArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
  if (args.stdoutConsumed && !args.frozen) throw new Error(`${name}: a command whose stdout is consumed must be frozen`);
  if (args.stdoutConsumed && (args.environment !== undefined || args.delete !== undefined)) {
    throw new Error(`${name}: a command whose stdout is consumed ignores every input, so it can hold no credentials to refresh and no delete`);
  }
  return new command.local.Command(
    name,
    {
      interpreter: ["/bin/bash", "-c"],
      create: args.create,
      ...(args.delete === undefined ? {} : { delete: args.delete }),
      ...(args.frozen ? { update: NO_OP_UPDATE } : args.update === undefined ? {} : { update: args.update }),
      ...(args.stdin === undefined ? {} : { stdin: args.stdin }),
      ...(args.environment === undefined ? {} : { environment: args.environment }),
      ...(args.triggers === undefined ? {} : { triggers: [...args.triggers] }),
      // The previous run's stdout would otherwise be handed to the next run as PULUMI_COMMAND_STDOUT: for a command
      // that prints a credential, that is a credential in a plain environment variable.
      addPreviousOutputInEnv: false,
      logging: args.secretStdout ? "stderr" : "stdoutAndStderr",
    },
    {
      ...opts,
      ...(args.secretStdout ? { additionalSecretOutputs: ["stdout"] } : {}),
      ...(args.frozen ? { ignoreChanges: args.stdoutConsumed ? ["*"] : [...FROZEN_IGNORE, ...(opts.ignoreChanges ?? [])] } : {}),
    },
  );
}
