/**
 * The decision summary of a comparison, per provider: the cost range, the files a team owns and
 * the top risks (the features most lost, each with its diagnostic); and when the price file's
 * figures were read.
 */
import type { ProviderCost } from "@pipeglot/core";
import type { Severity, ProviderId } from "@pipeglot/schema";
import type { FeatureRow } from "./report.js";

export interface CostRange {
  /** The cheapest choice the estimate lists (an `instead:` line in place of what it replaces); null when not all priced. */
  low: number | null;
  /** The estimate; null when some line has no price (unknown, never $0). */
  high: number | null;
  /** The alternative that gives `low`, when it is lower than the estimate. */
  lowChoice?: string;
}

export interface Risk {
  feature: string;
  title: string;
  support: "lossy" | "emulated" | "unknown";
  /** The diagnostic that says what happens instead (absent when the compile emitted none for this feature). */
  code?: string;
  message?: string;
  severity?: Severity;
  line?: number;
  column?: number;
}

/** From the cheapest listed choice to the estimate; both unknown when a line of either is unpriced. */
export function costRange(c: ProviderCost): CostRange {
  if (!c.complete) return { low: null, high: null };
  let low = c.total;
  let lowChoice: string | undefined;
  for (const a of c.alternatives) {
    if (a.amount === null || !a.replaces?.length) continue;
    const replaced = c.lines.filter((l) => a.replaces!.includes(l.item));
    if (replaced.length !== a.replaces.length) continue;
    const t = c.total - replaced.reduce((s, l) => s + (l.amount ?? 0), 0) + a.amount;
    if (t < low - 1e-9) [low, lowChoice] = [t, a.item];
  }
  return { low, high: c.total, ...(lowChoice ? { lowChoice } : {}) };
}

const SUPPORT_RANK = { unknown: 0, lossy: 1, emulated: 2 } as const;
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The `n` features this provider serves worst: unknown, then lossy, then emulated; by the diagnostic's severity, then in feature order. */
export function topRisks(features: readonly FeatureRow[], id: ProviderId, n = 3): Risk[] {
  const risks: (Risk & { order: number })[] = [];
  features.forEach((f, order) => {
    const c = f.cells[id];
    if (!c || c.support === "native") return;
    const d = c.diagnostics[0];
    risks.push({
      feature: f.feature,
      title: f.title,
      support: c.support,
      order,
      ...(d
        ? { code: d.code, message: d.message, severity: d.severity, ...(d.line ? { line: d.line } : {}), ...(d.column ? { column: d.column } : {}) }
        : c.code
          ? { code: c.code }
          : {}),
    });
  });
  const sev = (r: Risk) => (r.severity ? SEVERITY_RANK[r.severity] : 3);
  risks.sort((a, b) => SUPPORT_RANK[a.support] - SUPPORT_RANK[b.support] || sev(a) - sev(b) || a.order - b.order);
  return risks.slice(0, n).map(({ order: _order, ...r }) => r);
}

/** The distinct `read` dates of the figures in a price file section, oldest first. */
export function readDates(section: unknown): string[] {
  const dates = new Set<string>();
  const walk = (v: unknown): void => {
    if (!v || typeof v !== "object") return;
    const read = (v as { read?: unknown }).read;
    if (typeof read === "string") dates.add(read);
    for (const x of Object.values(v)) walk(x);
  };
  walk(section);
  return [...dates].sort();
}
