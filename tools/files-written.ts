/**
 * What `npm run plan` wrote, every kind of file named: files at the top of the output folder one a line, and the
 * files in cluster folders by pattern (`<cluster>/commands/*.sh`) with how many there are, so the list stays short
 * at 255 clusters.
 */
import * as path from "node:path";

/** The pattern a written file is listed under, from its path relative to the output folder. */
export function patternOf(rel: string, clusters: ReadonlySet<string>): string {
  const parts = rel.split(path.sep);
  if (parts.length === 1) return rel;
  if (clusters.has(parts[0]!)) parts[0] = "<cluster>";
  // In a subfolder of a folder (helm/, commands/, rendered/): one pattern for the whole kind.
  if (parts.length >= 3) {
    const base = parts[parts.length - 1]!;
    const dot = base.indexOf(".");
    parts[parts.length - 1] = dot > 0 ? `*${base.slice(dot)}` : "*";
  }
  return parts.join("/");
}

export function filesWritten(outDir: string, files: readonly string[], clusters: readonly string[]): string {
  const known = new Set(clusters);
  const count = new Map<string, number>();
  for (const file of files) {
    const p = patternOf(path.relative(outDir, file), known);
    count.set(p, (count.get(p) ?? 0) + 1);
  }
  const top = [...count.keys()].filter((p) => !p.includes("/"));
  const grouped = [...count.keys()].filter((p) => p.includes("/")).sort();
  const each = clusters.join(", ");
  const which = `<cluster> is each of ${clusters.length <= 1 || each.length > 60 ? `the ${clusters.length} clusters` : each}`;
  const width = Math.max(0, ...grouped.map((p) => p.length));
  const lines = [`Wrote ${files.length} file${files.length === 1 ? "" : "s"} to ${outDir}${path.sep} (${which}):`];
  for (const p of top) lines.push(`  ${p}`);
  for (const p of grouped) lines.push(`  ${p.padEnd(width)}  ${count.get(p)} file${count.get(p) === 1 ? "" : "s"}`);
  return `${lines.join("\n")}\n`;
}
