/**
 * The audit report as people read it: a Markdown summary (results, then counts per source format,
 * per construct and per diagnostic code, then one row per pipeline — the shape of GitHub Actions
 * Importer's audit_summary.md), and the rows of its spreadsheet form (one row per pipeline).
 */
import type { AuditFile, AuditReport } from "./audit.js";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function resultRows(r: AuditReport): string[] {
  const pct = (n: number) => (r.totals.pipelines ? `${Math.round((100 * n) / r.totals.pipelines)}%` : "0%");
  return [
    "| result | pipelines | share |",
    "|---|---:|---:|",
    `| Successful | ${r.totals.successful} | ${pct(r.totals.successful)} |`,
    `| Partially successful (warnings) | ${r.totals.partial} | ${pct(r.totals.partial)} |`,
    `| Unsupported | ${r.totals.unsupported} | ${pct(r.totals.unsupported)} |`,
    `| Failed | ${r.totals.failed} | ${pct(r.totals.failed)} |`,
    `| **Total** | **${r.totals.pipelines}** | |`,
  ];
}

function formatRows(r: AuditReport): string[] {
  return [
    "| format | pipelines | files | successful | partial | unsupported | failed |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...r.formats.map((f) => `| ${f.format} | ${f.pipelines} | ${f.files} | ${f.successful} | ${f.partial} | ${f.unsupported} | ${f.failed} |`),
  ];
}

function featureRows(r: AuditReport): string[] {
  const ids = Object.keys(r.features[0]?.providers ?? {});
  return [
    `| construct | pipelines | ${ids.join(" | ")} |`,
    `|---|---:|${ids.map(() => "---|").join("")}`,
    ...r.features.map((f) => {
      const cells = ids.map((id) => {
        const c = f.providers[id]!;
        return `${c.native} / ${c.emulated} / ${c.lost}`;
      });
      return `| ${f.title} (\`${f.feature}\`) | ${f.pipelines} | ${cells.join(" | ")} |`;
    }),
  ];
}

function codeRows(r: AuditReport): string[] {
  return [
    "| code | severity | count | where (first five) | example |",
    "|---|---|---:|---|---|",
    ...r.constructs.map((c) => `| \`${c.code}\` | ${c.severity} | ${c.count} | ${c.examples.join(", ")} | ${cell(c.message)} |`),
  ];
}

/** How many files; for a main file with others, the others (relative to its folder). */
function filesCell(p: AuditFile): string {
  const others = p.files.filter((f) => f !== p.path);
  if (others.length === p.files.length) return String(p.files.length);
  const dir = p.path.includes("/") ? p.path.slice(0, p.path.lastIndexOf("/") + 1) : "";
  return others.length ? `${p.files.length}: + ${others.map((f) => (f.startsWith(dir) ? f.slice(dir.length) : f)).join(", ")}` : "1";
}

export function auditMarkdown(r: AuditReport): string {
  const lines = [
    "# pipeglot audit",
    "",
    `${plural(r.totals.pipelines, "pipeline")} in ${plural(r.totals.files, "file")}: the files that form one pipeline (a compile output folder, a file with the templates and build specs it names) are counted once.`,
    "",
    ...resultRows(r),
    "",
    "## By source format",
    "",
    ...formatRows(r),
    "",
    "## Constructs",
    "",
    "How many pipelines use each construct, and per provider how many of them it carries natively / emulates / loses.",
    "",
    ...featureRows(r),
    "",
    "## Diagnostics that blocked or degraded conversion",
    "",
    ...codeRows(r),
    "",
    "## Pipelines",
    "",
    "| pipeline | format | result | files | reason |",
    "|---|---|---|---|---|",
    ...r.pipelines.map((p) => `| ${cell(p.path)} | ${p.format ?? "-"} | ${p.status} | ${cell(filesCell(p))} | ${cell(p.reason ?? "")} |`),
  ];
  return lines.join("\n") + "\n";
}

/** The header and one row per pipeline, for a spreadsheet (lists inside a cell are joined with "; "). */
export function auditCsvRows(r: AuditReport): string[][] {
  const count = (p: AuditFile, s: "error" | "warning") =>
    [...p.diagnostics, ...Object.values(p.targets).flatMap((t) => t.diagnostics)].filter((d) => d.severity === s).length;
  return [
    ["pipeline", "format", "result", "reason", "files", "errors", "warnings", "constructs", "lost", "emulated"],
    ...r.pipelines.map((p) => [
      p.path,
      p.format ?? "",
      p.status,
      p.reason ?? "",
      p.files.join("; "),
      String(count(p, "error")),
      String(count(p, "warning")),
      p.constructs.join("; "),
      p.lost.join("; "),
      p.emulated.join("; "),
    ]),
  ];
}
