/**
 * Text shared by every report format: amounts (an unpriced amount is "unknown", never $0), the
 * cost range, the header's date, version and price read dates, a cell's evidence, a risk.
 */
import { fmt, type CostLine, type ProviderCost } from "@pipeglot/core";
import type { BehaviourCheck, CompareReport, FeatureCell, ProviderSummary } from "./report.js";
import type { CostRange, Risk } from "./summary.js";

export const MARK: Record<FeatureCell["support"], string> = { native: "native", emulated: "emulated", lossy: "LOSSY", unknown: "?" };

/** What an amount the price file cannot price reads as. */
export const UNKNOWN = "unknown";

export function money(n: number, currency: string): string {
  const v = n.toFixed(2);
  return currency === "USD" ? `$${v}` : `${v} ${currency}`;
}

/** The estimate: the amount when every line is priced; otherwise "unknown", with the part that is priced. */
export function totalText(c: ProviderCost, currency: string): string {
  if (c.complete) return money(c.total, currency);
  return c.total > 0 ? `${money(c.total, currency)} + ${UNKNOWN}` : UNKNOWN;
}

/** The monthly cost range: "$40.00–$80.00" from the cheapest listed choice to the estimate; "unknown" when something is unpriced. */
export function rangeText(range: CostRange, c: ProviderCost, currency: string): string {
  if (range.high === null || range.low === null) return totalText(c, currency);
  return range.low < range.high ? `${money(range.low, currency)}–${money(range.high, currency)}` : money(range.high, currency);
}

export const quantityText = (l: CostLine): string => `${fmt(l.quantity)} ${l.unit}${l.free ? ` (${fmt(l.free)} free)` : ""}`;
/** A unit price as the price list writes it: whole cents as money ($2, $0.50), finer ones in full ($0.025, $0.0015), never rounded. */
export function rateMoney(rate: number, currency: string): string {
  const cents = Math.round(rate * 100);
  const v = Math.abs(rate * 100 - cents) < 1e-9 ? rate.toFixed(2).replace(/\.00$/, "") : String(Number(rate.toPrecision(6)));
  return currency === "USD" ? `$${v}` : `${v} ${currency}`;
}
export const rateText = (l: CostLine, currency: string): string => (l.rate === null ? `${UNKNOWN} rate` : rateMoney(l.rate, currency));
export const amountText = (l: CostLine, currency: string): string => (l.amount === null ? UNKNOWN : money(l.amount, currency));

export function lineText(l: CostLine, currency: string): string {
  return `${quantityText(l)} × ${rateText(l, currency)} = ${amountText(l, currency)}`;
}

export const workloadText = (r: CompareReport): string => {
  const o = Object.entries(r.workload.overrides).map(([k, v]) => `${k}=${fmt(v)}`);
  return `${r.workload.runsPerMonth} runs a month, ${fmt(r.workload.jobMinutes)} minutes per job${o.length ? ` (${o.join(", ")})` : ""}`;
};

export const generatedText = (r: CompareReport): string => `Generated ${r.generated.date} by pipeglot ${r.generated.pipeglotVersion}`;

/** "read 2026-11-22 (p1, p2), 2026-12-07 (p3)": the providers grouped by their figures' read dates. */
export function readText(r: CompareReport): string {
  const groups = new Map<string, string[]>();
  for (const p of r.pricesRead) {
    const key = p.dates.length ? p.dates.join(" and ") : "no date";
    groups.set(key, [...(groups.get(key) ?? []), p.provider]);
  }
  return `read ${[...groups].map(([d, ids]) => `${d} (${ids.join(", ")})`).join(", ")}`;
}

export const countsText = (s: ProviderSummary): string =>
  `${s.counts.native} / ${s.counts.emulated} / ${s.counts.lossy}${s.counts.unknown ? ` (+${s.counts.unknown} ?)` : ""}`;

export const where = (r: CompareReport, d: { line?: number; column?: number; path?: string }): string =>
  d.line && r.file ? `${r.file}:${d.line}:${d.column ?? 1}` : d.path || "/";

/**
 * What a cell says beyond its mark, once: the first diagnostic's message (and how many more the
 * compile emitted for the feature) when there is one, else the capability's how. Never both.
 */
export function cellText(c: FeatureCell | undefined): { text: string; codes: string[] } {
  if (!c) return { text: "", codes: [] };
  const [first, ...rest] = c.diagnostics;
  if (!first) return { text: c.how, codes: c.code && c.support !== "native" ? [c.code] : [] };
  return { text: `${first.message}${rest.length ? ` (and ${rest.length} more like it)` : ""}`, codes: [first.code] };
}

/** One risk in one line: mark, feature, and the diagnostic with its position. */
export function riskText(r: CompareReport, k: Risk): string {
  const at = k.line ? ` (${where(r, k)})` : "";
  return `${MARK[k.support]} ${k.title}${k.code ? ` — ${k.code}${k.message ? ` ${k.message}` : ""}${at}` : ""}`;
}

export const BEHAVIOUR_TITLE = "behaves as defined (local run)";

/** One cell of the behaviour row: yes / yes, N named / no: N unexplained. */
export function behaviourText(b: BehaviourCheck | undefined): string {
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
