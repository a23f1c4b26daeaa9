/**
 * The CEL rules of a CRD (`x-kubernetes-validations`), evaluated against a rendered object with a maintained CEL
 * library (@marcbachmann/cel-js), as far as the API server would: rules over `self` at each schema node where the
 * object has a value. Transition rules (`oldSelf`) have no old object on create and are skipped, as are rules
 * using what the library does not support (Kubernetes' CEL libraries: `duration`, `isIP`, `format`, …); every
 * skipped rule is listed with why.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { SCHEMAS } from "./schemas";

type Schema = Record<string, any>;

export interface CelReport {
  readonly evaluated: string[];
  readonly failed: string[];
  readonly skipped: string[];
}

function crdSchema(file: string, version: string): Schema {
  const crd = parseYaml(readFileSync(path.join(SCHEMAS, file), "utf8")) as Schema;
  return crd.spec.versions.find((v: Schema) => v.name === version).schema.openAPIV3Schema;
}

/** CEL integers are 64-bit: integer-typed fields become bigints, the rest stays as it is. */
function toCel(value: unknown, schema: Schema | undefined): unknown {
  if (schema?.type === "integer" && typeof value === "number") return BigInt(value);
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v, schema?.properties?.[k] ?? (typeof schema?.additionalProperties === "object" ? schema.additionalProperties : undefined))]));
  }
  return value;
}

export async function evaluateCel(file: string, version: string, object: unknown): Promise<CelReport> {
  const { evaluate } = (await import("@marcbachmann/cel-js")) as { evaluate: (expr: string, ctx: Record<string, unknown>) => unknown };
  const report = { evaluated: [] as string[], failed: [] as string[], skipped: [] as string[] };
  const walk = (value: unknown, schema: Schema | undefined, at: string) => {
    if (!schema || value === undefined) return;
    for (const v of (schema["x-kubernetes-validations"] ?? []) as { rule: string; message?: string }[]) {
      const where = `${file} ${at || "/"}: ${v.rule.replace(/\s+/g, " ")}`;
      if (/\boldSelf\b/.test(v.rule)) {
        report.skipped.push(`${where} (a transition rule: no old object on create)`);
        continue;
      }
      try {
        const ok = evaluate(v.rule, { self: toCel(value, schema) });
        report.evaluated.push(where);
        if (ok !== true) report.failed.push(`${where}: ${v.message ?? "rule false"}`);
      } catch (err) {
        report.skipped.push(`${where} (the library cannot evaluate it: ${(err as Error).message.split("\n")[0]})`);
      }
    }
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, schema.items, `${at}[${i}]`));
    else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        walk(v, schema.properties?.[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined), `${at}.${k}`);
      }
    }
  };
  walk(object, crdSchema(file, version), "");
  return report;
}
