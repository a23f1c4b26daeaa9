/**
 * plan.json: the recording in a stable, reviewable form. Secrets become "[secret]" where they sit, keys are sorted,
 * resources ordered by URN, so two runs of the same stack are byte-identical.
 */
import { SECRET_KEY, type Recorded, type Recording } from "./record/types";
import { destroyOrder } from "./record/lifecycle";

export const SECRET_MARK = "[secret]";

/** Replaces every secret by "[secret]" and sorts object keys, recursively. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === SECRET_KEY) return SECRET_MARK;
    return Object.fromEntries(keys.sort().map((k) => [k, redact(obj[k])]));
  }
  return value;
}

export interface PlanDocument {
  readonly stack: string;
  readonly constellation: string;
  readonly preview: boolean;
  readonly resources: unknown[];
  readonly reads: unknown[];
  readonly outputs: unknown;
  /** The order `pulumi destroy` deletes in (tools/record/lifecycle.ts destroyOrder), wave by wave. */
  readonly destroy: unknown[];
}

export function planDocument(rec: Recording, constellation: string): PlanDocument {
  const byUrn = <T extends { urn: string }>(a: T, b: T) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);
  return redact({
    stack: rec.stack,
    constellation,
    preview: rec.preview,
    resources: [...rec.resources].sort(byUrn).map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      parent: r.parent,
      provider: r.provider,
      dependencies: r.dependencies,
      options: r.options,
      inputs: r.inputs,
    })),
    reads: [...rec.reads].sort(byUrn),
    outputs: rec.outputs as Recorded,
    destroy: destroyOrder(rec).map((s) => ({ urn: s.urn, wave: s.wave, action: s.action, ...(s.component ? { component: true } : {}) })),
  }) as PlanDocument;
}

/** JSON with two-space indentation and a final newline. */
export function renderPlan(doc: PlanDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
