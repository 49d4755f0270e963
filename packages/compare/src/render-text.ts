/** The report as terminal text: the decision summary, then the capability matrix, then each provider's graph, cost and files. */
import type { CompareReport, ProviderReport } from "./report.js";
import {
  BEHAVIOUR_TITLE,
  MARK,
  behaviourText,
  cellText,
  countsText,
  generatedText,
  lineText,
  rangeText,
  readText,
  riskText,
  totalText,
  where,
  workloadText,
} from "./format.js";

/** Rows as aligned columns, with a rule under the first row and under each row index in `rulesAfter`. */
function table(rows: string[][], rulesAfter: readonly number[] = []): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const rule = "  " + widths.map((w) => "-".repeat(w)).join("  ");
  return rows.flatMap((row, i) => [
    ("  " + row.map((c, k) => c.padEnd(widths[k]!)).join("  ")).trimEnd(),
    ...(i === 0 || rulesAfter.includes(i) ? [rule] : []),
  ]);
}

function summaryText(r: CompareReport): string[] {
  const ids = r.summary.map((s) => s.provider);
  const cost = (id: string) => r.providers.find((p) => p.id === id)!.cost;
  const rows = [
    ["", ...ids],
    ["native / emulated / lossy", ...r.summary.map(countsText)],
    ["monthly cost (estimate)", ...r.summary.map((s) => rangeText(s.cost, cost(s.provider), r.currency))],
    ["files to commit", ...r.summary.map((s) => String(s.filesToOwn.length))],
    ["API resources apply creates", ...r.summary.map((s) => String(s.resources))],
  ];
  if (r.behaviour) rows.push([BEHAVIOUR_TITLE, ...r.summary.map((s) => behaviourText(r.behaviour?.[s.provider]))]);
  const out = ["Summary", ...table(rows)];
  const ranges = r.summary.filter((s) => s.cost.lowChoice);
  if (ranges.length) out.push("", ...ranges.map((s) => `  ${s.provider.padEnd(5)} the lower figure: instead, ${s.cost.lowChoice}`));
  out.push("", "Files to own (commit to the repository):");
  for (const s of r.summary)
    out.push(`  ${s.provider.padEnd(5)} ${s.filesToOwn.length ? s.filesToOwn.join(", ") : "none (everything is created through the API)"}`);
  out.push("", "Top risks (the diagnostic says what happens instead):");
  for (const s of r.summary) {
    out.push(`  ${s.provider}`);
    if (!s.risks.length) out.push("    none: every feature this pipeline uses is native");
    s.risks.forEach((k, i) => out.push(`    ${i + 1}. ${riskText(r, k)}`));
  }
  return out;
}

function matrixText(r: CompareReport): string[] {
  const ids = r.providers.map((p) => p.id);
  const rows = [["feature used", ...ids], ...r.features.map((f) => [f.title, ...ids.map((id) => MARK[f.cells[id]?.support ?? "unknown"])])];
  const out = ["Capability matrix", ...table(rows)];
  const notes = r.features.flatMap((f) =>
    ids.flatMap((id) => {
      const c = f.cells[id];
      if (!c || c.support === "native") return [];
      const t = cellText(c);
      const d = c.diagnostics[0];
      const at = d?.line ? ` (${where(r, d)})` : "";
      return [`  ${id.padEnd(5)} ${MARK[c.support].padEnd(8)} ${f.feature}: ${t.codes.length && d ? `${t.codes.join(", ")} ` : ""}${t.text}${at}`];
    }),
  );
  if (notes.length) out.push("", "Not native:", ...notes);
  return out;
}

function providerText(r: CompareReport, p: ProviderReport): string[] {
  const out = ["", `${p.name} (${p.id})`];
  const commit = p.files.filter((f) => f.role === "repository");
  out.push(
    `  files: ${p.files.length} — commit ${commit.length ? commit.map((f) => f.path).join(", ") : "none"}; ${p.resources} API resource${p.resources === 1 ? "" : "s"} created by apply`,
  );
  out.push(
    `  run graph: ${p.graph.none ?? `${p.graph.nodes.length} nodes in ${p.graph.clusters.length} group${p.graph.clusters.length === 1 ? "" : "s"}, ${p.graph.edges.length} edges`}`,
  );
  out.push(`  monthly cost: ${totalText(p.cost, r.currency)}${p.cost.complete ? "" : " (some items have no price: see the notes)"}`);
  for (const l of p.cost.lines) out.push(`    ${l.item}: ${lineText(l, r.currency)}${l.note ? ` — ${l.note}` : ""}`);
  for (const l of p.cost.alternatives) out.push(`    instead, ${l.item}: ${lineText(l, r.currency)}${l.note ? ` — ${l.note}` : ""}`);
  return out;
}

export function renderText(r: CompareReport): string {
  const out: string[] = [];
  out.push(`Vendor comparison for ${r.pipeline}${r.file ? ` (${r.file})` : ""}`);
  out.push(`${generatedText(r)}; prices from ${r.pricesFile} (${r.currency}), ${readText(r)}`);
  out.push(`Workload: ${workloadText(r)}`, "");
  out.push(...summaryText(r), "", ...matrixText(r));
  const unexplained = r.providers.filter((p) => r.behaviour?.[p.id]?.verdict === "differs");
  if (unexplained.length)
    out.push(
      "",
      "Behaves otherwise than defined, and no diagnostic says so (pipeglot run --local --target all --record shows every difference):",
      ...unexplained.map((p) => `  ${p.id.padEnd(5)} ${r.behaviour![p.id]!.example ?? ""}`),
    );
  for (const p of r.providers) out.push(...providerText(r, p));
  out.push("", "Estimates from list prices for the stated workload; see --runs-per-month, --job-minutes and --prices.");
  return out.join("\n") + "\n";
}
