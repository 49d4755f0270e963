/**
 * The report as one self-contained HTML page (inline CSS and SVG; no script, font or image from the
 * network): the header (date, version, price read dates), the decision summary, the capability
 * matrix, the run graphs, then each provider's cost, files and diagnostics.
 */
import { fmt, type CostLine } from "@pipeglot/core";
import { CSS } from "./html-style.js";
import { layoutRunGraph, renderSvg } from "./layout.js";
import type { CompareReport, ProviderReport } from "./report.js";
import {
  BEHAVIOUR_TITLE,
  MARK,
  UNKNOWN,
  amountText,
  behaviourText,
  cellText,
  countsText,
  generatedText,
  rangeText,
  rateText,
  readText,
  totalText,
  where,
  workloadText,
} from "./format.js";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** An amount, marked when it is unknown. */
const amountHtml = (s: string) => (s.includes(UNKNOWN) ? `<span class="unknown-amount">${esc(s)}</span>` : esc(s));

/** A table with a label column and one column per provider (fixed layout: every column stays on the page). */
function colsTable(r: CompareReport, cls: string, head: string, rows: string[]): string {
  return [
    `<table class="cols ${cls}"><colgroup><col class="label">${r.providers.map(() => "<col>").join("")}</colgroup>`,
    `<thead><tr><th>${head}</th>${r.providers.map((p) => `<th data-provider="${p.id}">${esc(p.name)}</th>`).join("")}</tr></thead><tbody>`,
    ...rows,
    `</tbody></table>`,
  ].join("\n");
}

function summaryHtml(r: CompareReport): string {
  const cell = (f: (s: CompareReport["summary"][number]) => string, cls = "") =>
    r.summary.map((s) => `<td${cls ? ` class="${cls}"` : ""} data-provider="${s.provider}">${f(s)}</td>`).join("");
  const cost = (id: string) => r.providers.find((p) => p.id === id)!.cost;
  const rows = [
    `<tr><th>native / emulated / lossy<small>features this pipeline uses</small></th>${cell(countsText)}</tr>`,
    `<tr><th>monthly cost (estimate)</th>${cell((s) => amountHtml(rangeText(s.cost, cost(s.provider), r.currency)) + (s.cost.lowChoice ? `<small>lower: instead, ${esc(s.cost.lowChoice)}</small>` : ""), "cost")}</tr>`,
    `<tr><th>files to commit</th>${cell((s) => (s.filesToOwn.length ? s.filesToOwn.map((f) => `<code>${esc(f)}</code>`).join("<br>") : "none"))}</tr>`,
    `<tr><th>API resources apply creates</th>${cell((s) => String(s.resources))}</tr>`,
    `<tr class="risks"><th>top risks<small>the diagnostic says what happens instead</small></th>${cell((s) =>
      s.risks.length
        ? `<ol class="risks">${s.risks.map((k) => `<li><span class="mark">${MARK[k.support]}</span> ${esc(k.title)}${k.code ? `<small><code>${esc(k.code)}</code> ${esc(k.message ?? "")}${k.line ? ` (line ${k.line})` : ""}</small>` : ""}</li>`).join("")}</ol>`
        : "none: every feature is native",
    )}</tr>`,
  ];
  if (r.behaviour) rows.push(`<tr class="behaviour"><th>${BEHAVIOUR_TITLE}</th>${cell((s) => esc(behaviourText(r.behaviour?.[s.provider])))}</tr>`);
  return [`<h2 id="summary">Summary</h2>`, colsTable(r, "summary", "", rows)].join("\n");
}

function matrixHtml(r: CompareReport): string {
  const rows = r.features.map((f) => {
    const cells = r.providers.map((p) => {
      const c = f.cells[p.id];
      const s = c?.support ?? "unknown";
      const t = cellText(c);
      const codes = t.codes.map((x) => `<code>${esc(x)}</code> `).join("");
      return `<td class="${s}" data-provider="${p.id}" data-support="${s}"><span class="mark">${MARK[s]}</span><small>${codes}${esc(t.text)}</small></td>`;
    });
    return `<tr data-feature="${esc(f.feature)}"><th>${esc(f.title)}<small><code>${esc(f.feature)}</code>${f.line ? ` line ${f.line}` : ""}</small></th>${cells.join("")}</tr>`;
  });
  return [
    `<h2 id="capabilities">Capabilities</h2>`,
    `<p class="legend"><span style="background:var(--native)">native</span><span style="background:var(--emulated)">emulated</span><span style="background:var(--lossy)">lossy</span> How each provider expresses every feature this pipeline uses; for what is not native, the compiler's diagnostic says what happens instead.</p>`,
    colsTable(r, "matrix", "feature used", rows),
  ].join("\n");
}

async function graphsHtml(r: CompareReport): Promise<string> {
  const out = [`<h2 id="graphs">Run graphs</h2>`, `<div class="graphs">`];
  for (const p of r.providers) {
    out.push(`<figure class="run" data-provider="${p.id}"><figcaption>${esc(p.name)}</figcaption>`);
    if (p.graph.none) out.push(`<p class="none">${esc(p.graph.none)}</p>`);
    else {
      const svg = renderSvg(await layoutRunGraph(p.graph), p.id, `${p.name}: run graph of ${r.pipeline}`);
      const width = Number(/ width="(\d+)"/.exec(svg)?.[1] ?? 0);
      out.push(`<div class="graph">${svg.replace("<svg ", `<svg style="min-width:${Math.ceil(width * 0.75)}px" `)}</div>`);
    }
    out.push(`</figure>`);
  }
  out.push(`</div>`);
  return out.join("\n");
}

function costRowHtml(l: CostLine, alt: boolean, currency: string): string {
  return `<tr${alt ? ' class="alternative"' : ""}><td>${alt ? "instead: " : ""}${esc(l.item)}</td><td class="num">${esc(fmt(l.quantity))} ${esc(l.unit)}${l.free ? ` (${esc(fmt(l.free))} free)` : ""}</td><td class="num">${amountHtml(rateText(l, currency))}</td><td class="num">${amountHtml(amountText(l, currency))}</td><td><small>${esc(l.note ?? "")}${l.source ? ` <code>${esc(l.source)}</code>` : ""}</small></td></tr>`;
}

function providerHtml(r: CompareReport, p: ProviderReport): string {
  const out: string[] = [];
  out.push(`<section class="provider" id="provider-${p.id}" data-provider="${p.id}"><h2>${esc(p.name)}</h2>`);
  out.push(
    `<h3>Monthly cost: ${amountHtml(totalText(p.cost, r.currency))}</h3><table class="cost"><thead><tr><th>item</th><th>quantity</th><th>rate</th><th>amount</th><th>note</th></tr></thead><tbody>`,
  );
  out.push(
    ...p.cost.lines.map((l) => costRowHtml(l, false, r.currency)),
    ...p.cost.alternatives.map((l) => costRowHtml(l, true, r.currency)),
    "</tbody></table>",
  );
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

export async function renderHtml(r: CompareReport): Promise<string> {
  const out: string[] = [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>pipeglot compare: ${esc(r.pipeline)}</title><style>${CSS}</style></head><body>`,
    `<header><h1>Vendor comparison: ${esc(r.pipeline)}</h1>`,
    `<p class="meta generated">${esc(generatedText(r))}${r.file ? ` · definition <code>${esc(r.file)}</code>` : ""}</p>`,
    `<p class="meta">Workload: ${esc(workloadText(r))} · prices <code>${esc(r.pricesFile)}</code> (${esc(r.currency)}), ${esc(readText(r))}</p></header>`,
    summaryHtml(r),
    matrixHtml(r),
    await graphsHtml(r),
    ...r.providers.map((p) => providerHtml(r, p)),
    `<p class="meta">Costs are estimates from list prices for the stated workload; every figure names its source in the price file. "${UNKNOWN}" means the price file has no figure for an item (its note says why).</p>`,
    "</body></html>",
  ];
  return out.join("\n") + "\n";
}
