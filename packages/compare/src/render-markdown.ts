/** The report as Markdown: the decision summary, then the capability matrix, then each provider's cost, files and graph. */
import type { CostLine } from "@pipeglot/core";
import type { CompareReport, ProviderReport } from "./report.js";
import {
  BEHAVIOUR_TITLE,
  MARK,
  amountText,
  behaviourText,
  cellText,
  countsText,
  generatedText,
  quantityText,
  rangeText,
  rateText,
  readText,
  riskText,
  totalText,
  where,
  workloadText,
} from "./format.js";

const mdEsc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;

function summaryMarkdown(r: CompareReport): string[] {
  const ids = r.summary.map((s) => s.provider);
  const cost = (id: string) => r.providers.find((p) => p.id === id)!.cost;
  const out = ["## Summary", "", row(["", ...ids]), row(["---", ...ids.map(() => "---")])];
  out.push(row(["native / emulated / lossy", ...r.summary.map(countsText)]));
  out.push(row(["monthly cost (estimate)", ...r.summary.map((s) => rangeText(s.cost, cost(s.provider), r.currency))]));
  out.push(row(["files to commit", ...r.summary.map((s) => (s.filesToOwn.length ? s.filesToOwn.map((f) => `\`${mdEsc(f)}\``).join("<br>") : "none"))]));
  out.push(row(["API resources", ...r.summary.map((s) => String(s.resources))]));
  if (r.behaviour) out.push(row([BEHAVIOUR_TITLE, ...r.summary.map((s) => mdEsc(behaviourText(r.behaviour?.[s.provider])))]));
  const lows = r.summary.filter((s) => s.cost.lowChoice);
  if (lows.length) out.push("", ...lows.map((s) => `The lower ${s.provider} figure: instead, ${mdEsc(s.cost.lowChoice!)}.  `));
  out.push("", "### Top risks", "");
  for (const s of r.summary) {
    out.push(`**${mdEsc(s.name)}** (\`${s.provider}\`)`, "");
    if (!s.risks.length) out.push("- none: every feature this pipeline uses is native");
    s.risks.forEach((k, i) => out.push(`${i + 1}. ${mdEsc(riskText(r, k))}`));
    out.push("");
  }
  return out;
}

function costRow(l: CostLine, alt: boolean, currency: string): string {
  return row([`${alt ? "instead: " : ""}${mdEsc(l.item)}`, quantityText(l), rateText(l, currency), amountText(l, currency)]);
}

function providerMarkdown(r: CompareReport, p: ProviderReport): string[] {
  const out = ["", `## ${mdEsc(p.name)} (\`${p.id}\`)`, ""];
  const notNative = r.features.filter((f) => f.cells[p.id] && f.cells[p.id]!.support !== "native");
  if (notNative.length) {
    out.push("Not native:", "");
    for (const f of notNative) {
      const c = f.cells[p.id]!;
      const t = cellText(c);
      const d = c.diagnostics[0];
      out.push(`- **${MARK[c.support]}** ${mdEsc(f.title)}: ${t.codes.map((x) => `\`${x}\` `).join("")}${mdEsc(t.text)}${d?.line ? ` (${where(r, d)})` : ""}`);
    }
    out.push("");
  }
  out.push(`Monthly cost: ${totalText(p.cost, r.currency)}`, "", "| cost item | quantity | rate | amount |", "| --- | --- | --- | --- |");
  out.push(...p.cost.lines.map((l) => costRow(l, false, r.currency)), ...p.cost.alternatives.map((l) => costRow(l, true, r.currency)));
  out.push("", ...p.cost.assumptions.map((a) => `- ${mdEsc(a)}`), "");
  out.push("| file | kind | role |", "| --- | --- | --- |");
  for (const f of p.files) out.push(`| \`${f.path}\` | ${f.kind} | ${f.role} |`);
  out.push("", `Run graph: ${p.graph.none ?? `${p.graph.nodes.length} nodes, ${p.graph.edges.length} edges in ${p.graph.clusters.length} groups`}`);
  return out;
}

export function renderMarkdown(r: CompareReport): string {
  const ids = r.providers.map((p) => p.id);
  const out: string[] = [`# Vendor comparison: ${mdEsc(r.pipeline)}`, ""];
  if (r.file) out.push(`Definition: \`${r.file}\`  `);
  out.push(`${generatedText(r)}  `, `Workload: ${workloadText(r)}  `, `Prices: \`${r.pricesFile}\` (${r.currency}), ${readText(r)}`, "");
  out.push(...summaryMarkdown(r));
  out.push("## Capability matrix", "", row(["feature used", ...ids]), row(["---", ...ids.map(() => "---")]));
  for (const f of r.features) out.push(row([`${mdEsc(f.title)} (\`${f.feature}\`)`, ...ids.map((id) => MARK[f.cells[id]?.support ?? "unknown"])]));
  for (const p of r.providers) out.push(...providerMarkdown(r, p));
  return out.join("\n") + "\n";
}
