/**
 * Reads a stack's configuration from Pulumi.<stack>.yaml the way the Pulumi CLI hands it to a program: full keys,
 * string values, objects as JSON. Encrypted (`secure:`) values cannot be read offline; they count as set.
 */
import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";

export interface StackFileConfig {
  readonly file: string;
  readonly exists: boolean;
  readonly config: Record<string, string>;
  /** Keys whose value is encrypted in the file. */
  readonly secretKeys: string[];
}

export function readStackFile(file: string): StackFileConfig {
  if (!existsSync(file)) return { file, exists: false, config: {}, secretKeys: [] };
  const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
      config[key] = "[encrypted in the stack file]";
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { file, exists: true, config, secretKeys };
}
