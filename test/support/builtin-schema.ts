/**
 * Strict validation of built-in Kubernetes kinds, offline: every field of an object must exist in the API, and an
 * object or a list must stand where the API expects one, as the API server's strict field validation demands. The
 * field tree is the one @pulumi/kubernetes' typed classes declare (types/input.d.ts, generated from the Kubernetes
 * OpenAPI specification its provider is built against), read with the TypeScript compiler, so nothing here lists a
 * field by hand. Limits: that API is the SDK's (4.34.2 carries a newer Kubernetes than the clusters' 1.33, so a field
 * added since passes), scalar types and formats are not checked, and free-form (`any`) fields take anything.
 */
import * as path from "node:path";
import ts from "typescript";
import { apiGroup } from "../../lib/builders/kubernetes-api";

const INPUT_DTS = path.join(path.dirname(require.resolve("@pulumi/kubernetes/package.json")), "types", "input.d.ts");

let checker: ts.TypeChecker | undefined;
let root: ts.Symbol | undefined;

function load(): { checker: ts.TypeChecker; root: ts.Symbol } {
  if (!checker || !root) {
    const program = ts.createProgram([INPUT_DTS], { noEmit: true, skipLibCheck: true, types: [] });
    checker = program.getTypeChecker();
    root = checker.getSymbolAtLocation(program.getSourceFile(INPUT_DTS)!)!;
  }
  return { checker, root };
}

/** The typed class's input interface of an apiVersion and kind (`apps/v1` `Deployment` → apps.v1.Deployment). */
function typeOf(apiVersion: string, kind: string): ts.Type | undefined {
  const { checker: c, root: r } = load();
  const group = apiGroup(apiVersion);
  const ns = group === "" ? "core" : group.split(".")[0]!;
  const version = apiVersion.split("/").pop()!;
  let sym: ts.Symbol | undefined = r;
  for (const name of [ns, version, kind]) {
    sym = sym && c.getExportsOfModule(sym).find((s) => s.name === name);
  }
  return sym ? c.getDeclaredTypeOfSymbol(sym) : undefined;
}

/** Strips pulumi.Input's wrappers (Promise, Output) and undefined from a union. */
function candidates(t: ts.Type): ts.Type[] {
  const parts = t.isUnion() ? t.types : [t];
  return parts.filter((p) => {
    if (p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) return false;
    const name = p.getSymbol()?.getName() ?? p.aliasSymbol?.getName();
    return name !== "Promise" && name !== "OutputInstance" && name !== "Output";
  });
}

function walk(c: ts.TypeChecker, value: unknown, type: ts.Type, at: string, problems: string[]): void {
  if (value === null || typeof value !== "object") return;
  const types = candidates(type);
  // A field the API leaves free-form (`any`): anything goes.
  if (types.some((t) => t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return;
  if (Array.isArray(value)) {
    const arrays = types.filter((t) => c.isArrayType(t));
    if (arrays.length === 0) {
      problems.push(`${at}: a list where the API expects ${c.typeToString(type)}`);
      return;
    }
    const element = c.getTypeArguments(arrays[0] as ts.TypeReference)[0]!;
    value.forEach((v, i) => walk(c, v, element, `${at}[${i}]`, problems));
    return;
  }
  const objects = types.filter((t) => t.flags & ts.TypeFlags.Object && !c.isArrayType(t));
  if (objects.length === 0) {
    problems.push(`${at}: an object where the API expects ${c.typeToString(type)}`);
    return;
  }
  const t = objects[0]!;
  const index = c.getIndexInfosOfType(t)[0];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    // The SDK spells the JSON schema's `x-kubernetes-*` keys `x_kubernetes_*`.
    const prop = t.getProperty(key) ?? (key.startsWith("x-kubernetes-") ? t.getProperty(key.replace(/-/g, "_")) : undefined);
    if (prop) walk(c, v, c.getTypeOfSymbol(prop), `${at}.${key}`, problems);
    else if (index) walk(c, v, index.type, `${at}.${key}`, problems);
    else problems.push(`${at}.${key}: unknown field`);
  }
}

/** Problems of a built-in object ([] when every field is known); undefined when the kind is not a typed class. */
export function builtinProblems(obj: { apiVersion: string; kind: string }): string[] | undefined {
  const type = typeOf(obj.apiVersion, obj.kind);
  if (!type) return undefined;
  const problems: string[] = [];
  walk(load().checker, obj, type, `${obj.kind}`, problems);
  return problems;
}
