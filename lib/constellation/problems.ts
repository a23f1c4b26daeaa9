/**
 * One problem found in a user's input: a constellation file or the stack configuration.
 * Rendered as `<file>:<line>:<col>  <path>: <message>`, the format every validation error of this project uses.
 */
export interface Problem {
  /** The file as the user named it (relative paths stay relative). */
  readonly file: string;
  /** 1-based line and column; absent when the problem has no place in the file (e.g. a missing config key). */
  readonly line?: number;
  readonly col?: number;
  /** The YAML or config path, spelled as the file spells it: `satellites[1].pod_cidr_blocks[0]`. Empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.col ?? 1}`;
  return p.path === "" ? `${where}  ${p.message}` : `${where}  ${p.path}: ${p.message}`;
}

/** Sorts problems into file order (file, line, column, path), so a report reads top to bottom. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.col ?? 0) - (b.col ?? 0) ||
      a.path.localeCompare(b.path) ||
      a.message.localeCompare(b.message),
  );
}

/** A user mistake: every problem of the input, reported together. Never carries a stack trace to the user. */
export class InputError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map(formatProblem).join("\n"));
    this.name = "InputError";
    this.problems = sorted;
  }
}

/** Renders a found value for a message: strings quoted, absent values named. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  return "a mapping";
}
