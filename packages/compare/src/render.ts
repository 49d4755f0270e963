/**
 * The report as a terminal table, Markdown, JSON or one self-contained HTML page (inline CSS and
 * SVG; no script, font or image from the network).
 */
import type { ProviderId } from "@pipeglot/schema";
import { fmt, type CostLine, type ProviderCost } from "@pipeglot/core";
import { layoutRunGraph, renderSvg } from "./layout.js";
import type { BehaviourCheck, CompareReport, FeatureCell, ProviderReport } from "./report.js";

export type ReportFormat = "text" | "json" | "markdown" | "html";

const MARK: Record<FeatureCell["support"], string> = { native: "native", emulated: "emulated", lossy: "LOSSY", unknown: "?" };

export function money(n: number, currency: string): string {
  const v = n.toFixed(2);
  return currency === "USD" ? `$${v}` : `${v} ${currency}`;
}

export function totalText(c: ProviderCost, currency: string): string {
  return `${c.complete ? "" : "≥ "}${money(c.total, currency)}`;
}

function lineText(l: CostLine, currency: string): string {
  const q = `${fmt(l.quantity)} ${l.unit}${l.free ? ` (${fmt(l.free)} free)` : ""}`;
  const rate = l.rate === null ? "no price" : `× ${l.rate < 0.01 ? `${l.rate}` : money(l.rate, currency).replace(/\.00$/, "")}`;
  return `${q} ${rate} = ${l.amount === null ? "not priced" : money(l.amount, currency)}`;
}

const workloadText = (r: CompareReport) => {
  const o = Object.entries(r.workload.overrides).map(([k, v]) => `${k}=${fmt(v)}`);
  return `${r.workload.runsPerMonth} runs a month, ${fmt(r.workload.jobMinutes)} minutes per job${o.length ? ` (${o.join(", ")})` : ""}`;
};

const where = (r: CompareReport, d: { line?: number; column?: number; path: string }) =>
  d.line && r.file ? `${r.file}:${d.line}:${d.column ?? 1}` : d.path || "/";

// ---------------------------------------------------------------- text

export function renderText(r: CompareReport): string {
  const ids = r.providers.map((p) => p.id);
  const out: string[] = [];
  out.push(`Vendor comparison for ${r.pipeline}${r.file ? ` (${r.file})` : ""}`);
  out.push(`Workload: ${workloadText(r)}; prices from ${r.pricesFile} (${r.currency})`, "");
  const rows = [["feature used", ...ids], ...r.features.map((f) => [f.title, ...ids.map((id) => MARK[f.cells[id]?.support ?? "unknown"])])];
  const totalsAt = rows.length;
  rows.push(["monthly cost (estimate)", ...r.providers.map((p) => totalText(p.cost, r.currency))]);
  rows.push(["files to commit / API resources", ...r.providers.map((p) => `${p.files.filter((f) => f.role === "repository").length} / ${p.resources}`)]);
  if (r.behaviour) rows.push([BEHAVIOUR_TITLE, ...r.providers.map((p) => behaviourText(r.behaviour?.[p.id]))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  rows.forEach((row, i) => {
    out.push(
      "  " +
        row
          .map((c, k) => c.padEnd(widths[k]!))
          .join("  ")
          .trimEnd(),
    );
    if (i === 0 || i === totalsAt - 1) out.push("  " + widths.map((w) => "-".repeat(w)).join("  "));
  });
  const unexplained = r.providers.filter((p) => r.behaviour?.[p.id]?.verdict === "differs");
  if (unexplained.length)
    out.push(
      "",
      "Behaves otherwise than defined, and no diagnostic says so (pipeglot run --local --target all --record shows every difference):",
      ...unexplained.map((p) => `  ${p.id.padEnd(5)} ${r.behaviour![p.id]!.example ?? ""}`),
    );
  const notes = r.features.flatMap((f) =>
    ids.flatMap((id) => {
      const c = f.cells[id];
      if (!c || c.support === "native") return [];
      const diag = c.diagnostics[0];
      return [
        `  ${id.padEnd(5)} ${MARK[c.support].padEnd(8)} ${f.feature}: ${diag ? `${diag.code} ${diag.message}${diag.line ? ` (${r.file ?? ""}:${diag.line}:${diag.column ?? 1})` : ""}` : c.how}`,
      ];
    }),
  );
  if (notes.length) out.push("", "Not native (the diagnostic says what happens instead):", ...notes);
  for (const p of r.providers) {
    out.push("", `${p.name} (${p.id})`);
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
  }
  out.push("", "Estimates from list prices for the stated workload; see --runs-per-month, --job-minutes and --prices.");
  return out.join("\n") + "\n";
}

const BEHAVIOUR_TITLE = "behaves as defined (local run)";

/** One cell of the behaviour row: yes / yes, N named / no: N unexplained. */
function behaviourText(b: BehaviourCheck | undefined): string {
  if (!b) return "not run";
  switch (b.verdict) {
    case "same":
      return "yes";
    case "named":
      return `yes, ${b.differences} named difference${b.differences === 1 ? "" : "s"}`;
    case "differs":
      return `no: ${b.unexplained} unexplained`;
    case "refused":
      return "refused";
  }
}

// ---------------------------------------------------------------- markdown

const mdEsc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(r: CompareReport): string {
  const ids = r.providers.map((p) => p.id);
  const out: string[] = [];
  out.push(`# Vendor comparison: ${mdEsc(r.pipeline)}`, "");
  if (r.file) out.push(`Definition: \`${r.file}\`  `);
  out.push(`Workload: ${workloadText(r)}  `, `Prices: \`${r.pricesFile}\` (${r.currency})`, "");
  out.push("## Features", "", `| feature used | ${ids.join(" | ")} |`, `| --- | ${ids.map(() => "---").join(" | ")} |`);
  for (const f of r.features) out.push(`| ${mdEsc(f.title)} (\`${f.feature}\`) | ${ids.map((id) => MARK[f.cells[id]?.support ?? "unknown"]).join(" | ")} |`);
  out.push("", "## Monthly cost (estimate)", "", `| | ${ids.join(" | ")} |`, `| --- | ${ids.map(() => "---").join(" | ")} |`);
  out.push(`| total | ${r.providers.map((p) => totalText(p.cost, r.currency)).join(" | ")} |`);
  out.push(`| files to commit | ${r.providers.map((p) => String(p.files.filter((f) => f.role === "repository").length)).join(" | ")} |`);
  out.push(`| API resources | ${r.providers.map((p) => String(p.resources)).join(" | ")} |`);
  if (r.behaviour) out.push(`| ${BEHAVIOUR_TITLE} | ${r.providers.map((p) => mdEsc(behaviourText(r.behaviour?.[p.id]))).join(" | ")} |`);
  for (const p of r.providers) {
    out.push("", `## ${mdEsc(p.name)} (\`${p.id}\`)`, "");
    const lossy = r.features.filter((f) => f.cells[p.id] && f.cells[p.id]!.support !== "native");
    if (lossy.length) {
      out.push("Not native:", "");
      for (const f of lossy) {
        const c = f.cells[p.id]!;
        const d = c.diagnostics[0];
        out.push(
          `- **${MARK[c.support]}** ${mdEsc(f.title)}: ${mdEsc(c.how)}${d ? ` — \`${d.code}\` ${mdEsc(d.message)}${d.line ? ` (${where(r, { ...d, path: d.path })})` : ""}` : ""}`,
        );
      }
      out.push("");
    }
    out.push("| cost item | quantity | rate | amount |", "| --- | --- | --- | --- |");
    for (const l of p.cost.lines)
      out.push(
        `| ${mdEsc(l.item)} | ${fmt(l.quantity)} ${l.unit}${l.free ? ` (${fmt(l.free)} free)` : ""} | ${l.rate === null ? "no price" : l.rate} | ${l.amount === null ? "not priced" : money(l.amount, r.currency)} |`,
      );
    for (const l of p.cost.alternatives)
      out.push(
        `| instead: ${mdEsc(l.item)} | ${fmt(l.quantity)} ${l.unit}${l.free ? ` (${fmt(l.free)} free)` : ""} | ${l.rate === null ? "no price" : l.rate} | ${l.amount === null ? "not priced" : money(l.amount, r.currency)} |`,
      );
    out.push("", ...p.cost.assumptions.map((a) => `- ${mdEsc(a)}`), "");
    out.push("| file | kind | role |", "| --- | --- | --- |");
    for (const f of p.files) out.push(`| \`${f.path}\` | ${f.kind} | ${f.role} |`);
    out.push("", `Run graph: ${p.graph.none ?? `${p.graph.nodes.length} nodes, ${p.graph.edges.length} edges in ${p.graph.clusters.length} groups`}`);
  }
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------- json

export function renderJson(r: CompareReport): string {
  return JSON.stringify(r, null, 2) + "\n";
}

// ---------------------------------------------------------------- html

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const CSS = `
:root{--fg:#1d2330;--muted:#5b6475;--line:#d5d9e2;--bg:#fff;--native:#d9f2e1;--emulated:#fff1c9;--lossy:#fbd9d6;--unknown:#e6e6e6}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:24px 32px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--muted);margin:0 0 16px}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f7;padding:1px 4px;border-radius:3px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:#f5f6f9;font-weight:600}
td.native{background:var(--native)}td.emulated{background:var(--emulated)}td.lossy{background:var(--lossy);font-weight:600}td.unknown{background:var(--unknown)}
td small{display:block;color:var(--muted);font-size:11.5px;max-width:300px}td.num{text-align:right;font-variant-numeric:tabular-nums}
.totals td{font-weight:600}.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:3px}
.graph{overflow:auto;border:1px solid var(--line);border-radius:6px;padding:8px;background:#fbfcfe}.none{color:var(--muted);font-style:italic}
svg.run-graph text{font:12px system-ui,sans-serif;fill:var(--fg)}svg.run-graph .cluster rect{fill:#f1f4fa;stroke:#b8c2d6}svg.run-graph .cluster text{font-weight:600;fill:#44506a}
svg.run-graph .node rect{fill:#fff;stroke:#5670a8;stroke-width:1.2}svg.run-graph .node.approval rect{fill:#fff4d6;stroke:#b08400}svg.run-graph .node.source rect{fill:#eef6ee;stroke:#4d8a4d}
svg.run-graph .node.trigger rect,svg.run-graph .node.deploy rect{fill:#f4efff;stroke:#7a5bb5}svg.run-graph .edge path{fill:none;stroke:#6d7891;stroke-width:1.2}svg.run-graph .arrow{fill:#6d7891}
svg.run-graph .edge-label{font-size:10.5px;fill:#8a5a00}
ul.diags{margin:4px 0;padding-left:18px}ul.diags li{margin:2px 0}.sev-error{color:#b00020}.sev-warning{color:#8a5a00}.sev-info{color:var(--muted)}
`;

export async function renderHtml(r: CompareReport): Promise<string> {
  const ids = r.providers.map((p) => p.id);
  const out: string[] = [];
  out.push(
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>pipeglot compare: ${esc(r.pipeline)}</title><style>${CSS}</style></head><body>`,
    `<h1>Vendor comparison: ${esc(r.pipeline)}</h1>`,
    `<p class="meta">${r.file ? `Definition <code>${esc(r.file)}</code> · ` : ""}Workload: ${esc(workloadText(r))} · Prices: <code>${esc(r.pricesFile)}</code> (${esc(r.currency)})</p>`,
    `<h2>Capabilities</h2>`,
    `<p class="legend"><span style="background:var(--native)">native</span><span style="background:var(--emulated)">emulated</span><span style="background:var(--lossy)">lossy</span> How each provider expresses every feature this pipeline uses; the diagnostic says what happens instead.</p>`,
    `<table class="matrix"><thead><tr><th>feature used</th>${r.providers.map((p) => `<th>${esc(p.name)}</th>`).join("")}</tr></thead><tbody>`,
  );
  for (const f of r.features) {
    out.push(`<tr data-feature="${esc(f.feature)}"><th>${esc(f.title)}<small><code>${esc(f.feature)}</code>${f.line ? ` line ${f.line}` : ""}</small></th>`);
    for (const id of ids) {
      const c = f.cells[id];
      const s = c?.support ?? "unknown";
      const d = c?.diagnostics[0];
      out.push(
        `<td class="${s}" data-provider="${id}" data-support="${s}">${MARK[s]}<small>${esc(c?.how ?? "")}${d ? `<br><code>${esc(d.code)}</code> ${esc(d.message)}` : c?.code ? `<br><code>${esc(c.code)}</code>` : ""}</small></td>`,
      );
    }
    out.push("</tr>");
  }
  out.push(
    `</tbody><tfoot><tr class="totals"><th>monthly cost (estimate)</th>${r.providers.map((p) => `<td class="num" data-provider="${p.id}">${esc(totalText(p.cost, r.currency))}</td>`).join("")}</tr>`,
    `<tr><th>files to commit</th>${r.providers.map((p) => `<td class="num">${p.files.filter((f) => f.role === "repository").length}</td>`).join("")}</tr>`,
    `<tr><th>API resources</th>${r.providers.map((p) => `<td class="num">${p.resources}</td>`).join("")}</tr>`,
    r.behaviour
      ? `<tr class="behaviour"><th>${BEHAVIOUR_TITLE}</th>${r.providers.map((p) => `<td data-provider="${p.id}"${r.behaviour?.[p.id]?.example ? ` title="${esc(r.behaviour[p.id]!.example!)}"` : ""}>${esc(behaviourText(r.behaviour?.[p.id]))}</td>`).join("")}</tr>`
      : "",
    `</tfoot></table>`,
  );
  for (const p of r.providers) out.push(await providerHtml(r, p));
  out.push(
    `<p class="meta">Generated by pipeglot compare. Costs are estimates from list prices for the stated workload; every figure names its source in the price file.</p>`,
    "</body></html>",
  );
  return out.join("\n") + "\n";
}

async function providerHtml(r: CompareReport, p: ProviderReport): Promise<string> {
  const out: string[] = [];
  out.push(`<section class="provider" id="provider-${p.id}" data-provider="${p.id}"><h2>${esc(p.name)}</h2>`);
  out.push(`<h3>How ${esc(p.name)} runs it</h3>`);
  if (p.graph.none) out.push(`<p class="none">${esc(p.graph.none)}</p>`);
  else out.push(`<div class="graph">${renderSvg(await layoutRunGraph(p.graph), p.id, `${p.name}: run graph of ${r.pipeline}`)}</div>`);
  out.push(
    `<h3>Monthly cost: ${esc(totalText(p.cost, r.currency))}</h3><table class="cost"><thead><tr><th>item</th><th>quantity</th><th>rate</th><th>amount</th><th>note</th></tr></thead><tbody>`,
  );
  const row = (l: CostLine, alt: boolean) =>
    `<tr${alt ? ' class="alternative"' : ""}><td>${alt ? "instead: " : ""}${esc(l.item)}</td><td class="num">${esc(fmt(l.quantity))} ${esc(l.unit)}${l.free ? ` (${esc(fmt(l.free))} free)` : ""}</td><td class="num">${l.rate === null ? "no price" : esc(String(l.rate))}</td><td class="num">${l.amount === null ? "not priced" : esc(money(l.amount, r.currency))}</td><td><small>${esc(l.note ?? "")}${l.source ? ` <code>${esc(l.source)}</code>` : ""}</small></td></tr>`;
  out.push(...p.cost.lines.map((l) => row(l, false)), ...p.cost.alternatives.map((l) => row(l, true)), "</tbody></table>");
  out.push(`<ul>${p.cost.assumptions.map((a) => `<li>${esc(a)}</li>`).join("")}</ul>`);
  out.push(
    `<h3>Files (${p.files.length}) — ${p.files.filter((f) => f.role === "repository").length} to commit, ${p.resources} API resources</h3><table class="files"><thead><tr><th>file</th><th>kind</th><th>role</th></tr></thead><tbody>`,
  );
  for (const f of p.files) out.push(`<tr><td><code>${esc(f.path)}</code></td><td>${esc(f.kind)}</td><td>${f.role}</td></tr>`);
  out.push("</tbody></table>");
  if (p.diagnostics.length) {
    out.push(`<h3>Diagnostics (${p.diagnostics.length})</h3><ul class="diags">`);
    for (const d of p.diagnostics)
      out.push(`<li class="sev-${d.severity}"><code>${esc(d.code)}</code> ${esc(d.message)} <small>${esc(where(r, d))}</small></li>`);
    out.push("</ul>");
  }
  out.push("</section>");
  return out.join("\n");
}

/** Render in any format. */
export async function renderReport(r: CompareReport, format: ReportFormat): Promise<string> {
  switch (format) {
    case "json":
      return renderJson(r);
    case "markdown":
      return renderMarkdown(r);
    case "html":
      return renderHtml(r);
    default:
      return renderText(r);
  }
}

export type { ProviderId };
