/**
 * A parsed YAML file that remembers where every value came from, so problems can name file, line and column.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";

export type PathSegment = string | number;

export class YamlSource {
  readonly file: string;
  readonly data: unknown;
  private readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  private constructor(file: string, doc: Document.Parsed, lines: LineCounter) {
    this.file = file;
    this.doc = doc;
    this.lines = lines;
    this.data = doc.toJS({ maxAliasCount: 100 });
  }

  /**
   * Parses `text`. Returns the syntax errors instead when the text is not YAML (each with its line and column).
   */
  static parse(file: string, text: string): YamlSource | { errors: { line: number; col: number; message: string }[] } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      return {
        errors: doc.errors.map((e) => {
          const message = e.message.split("\n")[0] ?? e.message;
          // The parser reports an unclosed quote where the text ends; the mistake is where the quote opened.
          const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
          const opened = quote === undefined ? undefined : openingQuote(text, quote, e.pos[0]);
          const pos = opened ?? lines.linePos(e.pos[0]);
          return { line: pos.line, col: pos.col, message: opened ? `a ${quote === '"' ? "double" : "single"} quote opens here and is never closed` : message };
        }),
      };
    }
    return new YamlSource(file, doc, lines);
  }

  /** Line and column of the value at `path`, or of its nearest existing ancestor. */
  position(path: readonly PathSegment[]): { line: number; col: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as Node | undefined;
      if (node && (isScalar(node) || isMap(node) || isSeq(node)) && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return { line: pos.line, col: pos.col };
      }
    }
    return { line: 1, col: 1 };
  }

  /** Line and column of the key `key` in the mapping at `path` (for unknown keys). */
  keyPosition(path: readonly PathSegment[], key: string): { line: number; col: number } {
    const map = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    if (isMap(map)) {
      for (const item of map.items) {
        if (isPair(item) && isScalar(item.key) && item.key.value === key && item.key.range) {
          const pos = this.lines.linePos(item.key.range[0]);
          return { line: pos.line, col: pos.col };
        }
      }
    }
    return this.position(path);
  }

  /** Whether the mapping at `path` holds the key `key`. */
  hasKey(path: readonly PathSegment[], key: string): boolean {
    const map = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    return isMap(map) && map.items.some((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
  }

  /** The plain value at `path` (undefined when absent). */
  valueAt(path: readonly PathSegment[]): unknown {
    let cur: unknown = this.data;
    for (const seg of path) {
      if (cur === null || typeof cur !== "object") return undefined;
      cur = (cur as Record<string | number, unknown>)[seg];
    }
    return cur;
  }
}

/** `["satellites", 1, "pod_cidr_blocks", 0]` → `satellites[1].pod_cidr_blocks[0]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? seg : `.${seg}`;
  }
  return out;
}

/**
 * Where the quote that is never closed opens: the first line, before `end`, whose quotes of that kind (outside
 * comments; `\"` in double quotes and `''` in single quotes are escapes) do not pair up.
 */
function openingQuote(text: string, quote: string, end: number): { line: number; col: number } | undefined {
  const lines = text.slice(0, end).split("\n");
  for (let i = 0; i < lines.length; i++) {
    let open = -1;
    const line = lines[i]!;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (open < 0 && ch === "#" && (c === 0 || /\s/.test(line[c - 1]!))) break;
      if (open >= 0 && quote === '"' && ch === "\\") {
        c++;
        continue;
      }
      if (ch !== quote) continue;
      if (open >= 0 && quote === "'" && line[c + 1] === "'") {
        c++;
        continue;
      }
      open = open < 0 ? c : -1;
    }
    if (open >= 0) {
      // Trusted only when that quote is the last of its kind before the parser gave up: anything after it (another
      // quote, a block scalar) means the heuristic cannot tell, and the parser's own position stands.
      const offset = lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0) + open;
      return text.lastIndexOf(quote, end - 1) === offset ? { line: i + 1, col: open + 1 } : undefined;
    }
  }
  return undefined;
}
