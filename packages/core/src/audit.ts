/**
 * Audit a tree of native pipeline files: find them, import each, compile each to every provider,
 * and classify: Successful / Partially successful (warnings) / Unsupported / Failed. A crash on one
 * file is that file's Failed result; it never stops the audit.
 */
import { sortDiagnostics, type Diagnostic, type ProviderId } from "@pipeglot/schema";
import { detectProvider } from "./detect.js";
import { importPipeline } from "./import.js";
import { compileWithLosses } from "./translate.js";
import type { NativeFile, ProviderBase } from "./provider.js";
import { compareText } from "@pipeglot/schema";

export type AuditStatus = "successful" | "partial" | "unsupported" | "failed";

export interface AuditFile {
  path: string;
  /** The detected format's provider. */
  provider?: ProviderId;
  status: AuditStatus;
  /** Why it is unsupported or failed, in one line. */
  reason?: string;
  diagnostics: Diagnostic[];
  /** Features of the file's pipeline that some provider loses or emulates, as `provider:feature`. */
  lost: string[];
  emulated: string[];
}

export interface AuditConstruct {
  code: string;
  severity: Diagnostic["severity"];
  count: number;
  /** Up to five example places, file:line. */
  examples: string[];
  message: string;
}

export interface AuditReport {
  files: AuditFile[];
  totals: Record<AuditStatus, number> & { files: number };
  constructs: AuditConstruct[];
}

/** A file the audit found but did not read (over the size pipeglot reads): Failed, with its one error. */
export interface UnreadFile {
  path: string;
  problem: Diagnostic;
}

interface AuditOptions {
  /** Minimum detect() score to claim a file (default 0.5). */
  threshold?: number;
  /** Called after each file (for progress on long audits). */
  onFile?: (done: number, total: number, file: AuditFile) => void;
}

/**
 * One file: failed when it does not import, or when no provider can write it; partial when it has
 * warnings or some provider refuses it (a positioned error: that provider cannot express it).
 */
function auditOne(f: NativeFile, from: ProviderBase, providers: readonly ProviderBase[]): AuditFile {
  const imported = importPipeline(from, [f]);
  const diags: Diagnostic[] = [...imported.diagnostics];
  if (!imported.pipeline)
    return {
      path: f.path,
      provider: from.id,
      status: "failed",
      reason: diags.find((d) => d.severity === "error")?.message ?? "nothing could be imported",
      diagnostics: sortDiagnostics(diags),
      lost: [],
      emulated: [],
    };
  const lost: string[] = [];
  const emulated: string[] = [];
  const refused: string[] = [];
  for (const p of providers) {
    const t = compileWithLosses(imported.pipeline, p, imported.sourceMap);
    diags.push(...t.output.diagnostics.map((d) => ({ ...d, file: d.file ?? f.path, message: `${p.id}: ${d.message}` })));
    const error = t.output.diagnostics.find((d) => d.severity === "error");
    if (error) refused.push(`${p.id} cannot express it: ${error.message}`);
    for (const l of t.losses)
      if (l.support === "lossy") lost.push(`${p.id}:${l.feature}`);
      else if (l.support === "emulated") emulated.push(`${p.id}:${l.feature}`);
  }
  const sorted = sortDiagnostics(diags);
  const importError = imported.diagnostics.find((d) => d.severity === "error");
  const failed = importError !== undefined || refused.length === providers.length;
  const status: AuditStatus = failed ? "failed" : refused.length || sorted.some((d) => d.severity === "warning") ? "partial" : "successful";
  const reason = importError?.message ?? (refused.length ? refused.join("; ") : undefined);
  return { path: f.path, provider: from.id, status, ...(reason ? { reason } : {}), diagnostics: sorted, lost, emulated };
}

export function auditFiles(files: readonly (NativeFile | UnreadFile)[], providers: readonly ProviderBase[], opts: AuditOptions = {}): AuditReport {
  const threshold = opts.threshold ?? 0.5;
  const results: AuditFile[] = [];
  const push = (r: AuditFile) => {
    results.push(r);
    opts.onFile?.(results.length, files.length, r);
  };
  for (const f of files) {
    if ("problem" in f) {
      push({ path: f.path, status: "failed", reason: f.problem.message, diagnostics: [f.problem], lost: [], emulated: [] });
      continue;
    }
    const found = detectProvider(providers, [f], threshold);
    const best = found && { p: found.provider, score: found.score };
    if (!best) {
      push({ path: f.path, status: "unsupported", reason: "not a pipeline format pipeglot reads", diagnostics: [], lost: [], emulated: [] });
      continue;
    }
    try {
      push(auditOne(f, best.p, providers));
    } catch (e) {
      push({
        path: f.path,
        provider: best.p.id,
        status: "failed",
        reason: `internal error: ${(e as Error)?.message ?? String(e)}`,
        diagnostics: [],
        lost: [],
        emulated: [],
      });
    }
  }
  const totals = { files: results.length, successful: 0, partial: 0, unsupported: 0, failed: 0 };
  for (const r of results) totals[r.status]++;
  const byCode = new Map<string, AuditConstruct>();
  for (const r of results)
    for (const d of r.diagnostics) {
      if (d.severity === "info") continue;
      const c = byCode.get(d.code) ?? { code: d.code, severity: d.severity, count: 0, examples: [], message: d.message };
      c.count++;
      if (c.examples.length < 5) c.examples.push(`${d.file ?? r.path}:${d.line ?? 1}`);
      byCode.set(d.code, c);
    }
  const constructs = [...byCode.values()].sort((a, b) => b.count - a.count || compareText(a.code, b.code));
  return { files: results, totals, constructs };
}

export function auditMarkdown(r: AuditReport): string {
  const pct = (n: number) => (r.totals.files ? `${Math.round((100 * n) / r.totals.files)}%` : "0%");
  const lines = [
    "# pipeglot audit",
    "",
    "| result | files | share |",
    "|---|---:|---:|",
    `| Successful | ${r.totals.successful} | ${pct(r.totals.successful)} |`,
    `| Partially successful (warnings) | ${r.totals.partial} | ${pct(r.totals.partial)} |`,
    `| Unsupported | ${r.totals.unsupported} | ${pct(r.totals.unsupported)} |`,
    `| Failed | ${r.totals.failed} | ${pct(r.totals.failed)} |`,
    `| **Total** | **${r.totals.files}** | |`,
    "",
    "## Constructs that blocked or degraded conversion",
    "",
    "| code | severity | count | where (first five) | example |",
    "|---|---|---:|---|---|",
    ...r.constructs.map(
      (c) => `| \`${c.code}\` | ${c.severity} | ${c.count} | ${c.examples.join(", ")} | ${c.message.replace(/\|/g, "\\|").replace(/\n/g, " ")} |`,
    ),
    "",
    "## Files",
    "",
    "| file | format | result | reason |",
    "|---|---|---|---|",
    ...r.files.map((f) => `| ${f.path} | ${f.provider ?? "-"} | ${f.status} | ${(f.reason ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ")} |`),
  ];
  return lines.join("\n") + "\n";
}
