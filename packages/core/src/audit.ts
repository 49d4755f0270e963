/**
 * Audit a tree of pipeline files: group them into pipelines (audit-group.ts: a compile output
 * folder, a file with the templates and build specs it names, a neutral definition), import each
 * pipeline once, compile it to every provider, and classify it: Successful / Partially successful
 * (warnings) / Unsupported / Failed. A crash on one pipeline is that pipeline's Failed result; it
 * never stops the audit. The summary counts pipelines per result, per source format, per construct
 * (neutral feature) and per diagnostic code.
 */
import { compareText, sortDiagnostics, type Diagnostic } from "@pipeglot/schema";
import { groupPipelines, type AuditFormat, type PipelineGroup, type UnreadFile } from "./audit-group.js";
import { FEATURES, type FeatureId } from "./features.js";
import { importPipeline } from "./import.js";
import type { NativeFile, ProviderBase } from "./provider.js";
import { readerAmong } from "./audit-read.js";
import { compileWithLosses, translateNeutral, type TranslateTarget } from "./translate.js";

export type { AuditFormat, UnreadFile } from "./audit-group.js";

export type AuditStatus = "successful" | "partial" | "unsupported" | "failed";

/** One pipeline of the audit: its main file (or compile output folder) and every file it is made of. */
export interface AuditFile {
  /** The main file, or the compile output folder. */
  path: string;
  /** Every file of the pipeline, main first (a compile output folder: the files its manifest lists, then the manifest). */
  files: string[];
  /** The detected format: a provider's, or pipeglot's neutral format. */
  format?: AuditFormat;
  status: AuditStatus;
  /** Why it is partial, unsupported or failed, in one line. */
  reason?: string;
  /** What reading it said (positions in its files). */
  diagnostics: Diagnostic[];
  /** Per provider: written, or refused (its compile reported errors); and the diagnostics its compile gave, placed in the pipeline's files. */
  targets: Record<string, { written: boolean; diagnostics: Diagnostic[] }>;
  /** The neutral features (constructs) the pipeline uses. */
  constructs: FeatureId[];
  /** Features of the pipeline that some provider loses or emulates, as `provider:feature`. */
  lost: string[];
  emulated: string[];
}

/** One diagnostic code over the whole audit. */
export interface AuditConstruct {
  code: string;
  severity: Diagnostic["severity"];
  count: number;
  /** Up to five example places, file:line. */
  examples: string[];
  message: string;
}

/** Pipelines and files of one source format, per result. */
export interface AuditFormatRow extends Record<AuditStatus, number> {
  format: AuditFormat | "unknown";
  pipelines: number;
  files: number;
}

/** One neutral feature: how many pipelines use it, and per provider how many of those it carries natively, emulates or loses. */
export interface AuditFeatureRow {
  feature: FeatureId;
  title: string;
  pipelines: number;
  providers: Record<string, { native: number; emulated: number; lost: number }>;
}

export interface AuditReport {
  pipelines: AuditFile[];
  totals: Record<AuditStatus, number> & { pipelines: number; files: number };
  formats: AuditFormatRow[];
  features: AuditFeatureRow[];
  /** Diagnostic codes (warnings and errors), most frequent first. */
  constructs: AuditConstruct[];
}

interface AuditOptions {
  /** Minimum detect() score to claim a file (default 0.5). */
  threshold?: number;
  /** Called after each pipeline (for progress on long audits). */
  onPipeline?: (done: number, total: number, pipeline: AuditFile) => void;
}

const empty = { diagnostics: [], targets: {}, constructs: [], lost: [], emulated: [] };

/**
 * Failed when it does not import (or validate), or when no provider can write it; partial when
 * it has warnings or some provider refuses it (that provider cannot express it); else successful.
 */
function classify(head: Pick<AuditFile, "path" | "files" | "format">, input: Diagnostic[], targets: TranslateTarget[], imported: boolean): AuditFile {
  const lost: string[] = [];
  const emulated: string[] = [];
  const refused: string[] = [];
  const out: AuditFile["targets"] = {};
  for (const t of targets) {
    const diags = t.output.diagnostics.map((d) => ({ ...d, file: d.file ?? head.path }));
    const error = diags.find((d) => d.severity === "error");
    if (error) refused.push(`${t.provider} cannot express it: ${error.message}`);
    out[t.provider] = { written: !error, diagnostics: diags };
    for (const l of t.losses)
      if (l.support === "lossy") lost.push(`${t.provider}:${l.feature}`);
      else if (l.support === "emulated") emulated.push(`${t.provider}:${l.feature}`);
  }
  const constructs = [...new Set(targets.flatMap((t) => t.losses.map((l) => l.feature)))];
  const inputError = input.find((d) => d.severity === "error");
  const failed = !imported || inputError !== undefined || (targets.length > 0 && refused.length === targets.length);
  const warned = [...input, ...targets.flatMap((t) => t.output.diagnostics)].some((d) => d.severity === "warning");
  const status: AuditStatus = failed ? "failed" : refused.length || warned ? "partial" : "successful";
  const reason =
    inputError?.message ?? (refused.length ? refused.join("; ") : !imported ? "nothing could be read" : warned ? warnings(input, targets) : undefined);
  return { ...head, status, ...(reason ? { reason } : {}), diagnostics: sortDiagnostics(input), targets: out, constructs, lost, emulated };
}

/** Where the warnings come from, in one line: "warnings: 2 reading it; compiled to <provider> 3, <provider> 5". */
function warnings(input: readonly Diagnostic[], targets: readonly TranslateTarget[]): string {
  const n = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === "warning").length;
  const compiled = targets.filter((t) => n(t.output.diagnostics)).map((t) => `${t.provider} ${n(t.output.diagnostics)}`);
  const parts = [...(n(input) ? [`${n(input)} reading it`] : []), ...(compiled.length ? [`compiled to ${compiled.join(", ")}`] : [])];
  return `warnings: ${parts.join("; ")}`;
}

/** One pipeline: read (import, or validate when neutral), compiled to every provider, classified. */
function auditOne(g: PipelineGroup<ProviderBase>, all: readonly NativeFile[], providers: readonly ProviderBase[]): AuditFile {
  switch (g.kind) {
    case "unread":
      return { path: g.path, files: [g.path], status: "failed", reason: g.problem.message, ...empty, diagnostics: [g.problem] };
    case "unsupported":
      return { path: g.path, files: [g.path], status: "unsupported", reason: "not a pipeline format pipeglot reads", ...empty };
    case "neutral": {
      const t = translateNeutral(g.file, providers);
      return classify({ path: g.path, files: [g.path], format: "pipeglot" }, t.importDiagnostics, t.targets, t.pipeline !== undefined);
    }
    case "native": {
      const head = { path: g.path, files: g.files.map((f) => f.path), format: g.provider.id };
      const imported = importPipeline(g.provider, g.read, { readFile: readerAmong(all, g.files[0]!.path) });
      const targets = imported.pipeline ? providers.map((p) => compileWithLosses(imported.pipeline!, p, imported.sourceMap)) : [];
      return classify(head, imported.diagnostics, targets, imported.pipeline !== undefined);
    }
  }
}

function crashed(g: PipelineGroup<ProviderBase>, e: unknown): AuditFile {
  const files = g.kind === "native" ? g.files.map((f) => f.path) : [g.path];
  const format = g.kind === "native" ? g.provider.id : g.kind === "neutral" ? "pipeglot" : undefined;
  return { path: g.path, files, ...(format ? { format } : {}), status: "failed", reason: `internal error: ${(e as Error)?.message ?? String(e)}`, ...empty };
}

export function auditFiles(files: readonly (NativeFile | UnreadFile)[], providers: readonly ProviderBase[], opts: AuditOptions = {}): AuditReport {
  const groups = groupPipelines(files, providers, opts.threshold ?? 0.5);
  const all = files.filter((f): f is NativeFile => !("problem" in f));
  const pipelines: AuditFile[] = [];
  for (const g of groups) {
    let r: AuditFile;
    try {
      r = auditOne(g, all, providers);
    } catch (e) {
      r = crashed(g, e);
    }
    pipelines.push(r);
    opts.onPipeline?.(pipelines.length, groups.length, r);
  }
  const totals = { pipelines: pipelines.length, files: files.length, successful: 0, partial: 0, unsupported: 0, failed: 0 };
  for (const r of pipelines) totals[r.status]++;
  return { pipelines, totals, formats: formatRows(pipelines), features: featureRows(pipelines, providers), constructs: codeRows(pipelines) };
}

function formatRows(pipelines: readonly AuditFile[]): AuditFormatRow[] {
  const rows = new Map<string, AuditFormatRow>();
  for (const p of pipelines) {
    const format = p.format ?? "unknown";
    const row = rows.get(format) ?? { format, pipelines: 0, files: 0, successful: 0, partial: 0, unsupported: 0, failed: 0 };
    row.pipelines++;
    row.files += p.files.length;
    row[p.status]++;
    rows.set(format, row);
  }
  return [...rows.values()].sort((a, b) => b.pipelines - a.pipelines || compareText(a.format, b.format));
}

function featureRows(pipelines: readonly AuditFile[], providers: readonly ProviderBase[]): AuditFeatureRow[] {
  const rows = new Map<FeatureId, AuditFeatureRow>();
  for (const p of pipelines)
    for (const feature of p.constructs) {
      const row = rows.get(feature) ?? {
        feature,
        title: FEATURES[feature],
        pipelines: 0,
        providers: Object.fromEntries(providers.map((v) => [v.id, { native: 0, emulated: 0, lost: 0 }])),
      };
      row.pipelines++;
      for (const v of providers) {
        const key = `${v.id}:${feature}`;
        const cell = row.providers[v.id]!;
        if (p.lost.includes(key)) cell.lost++;
        else if (p.emulated.includes(key)) cell.emulated++;
        else cell.native++;
      }
      rows.set(feature, row);
    }
  const order = Object.keys(FEATURES);
  return [...rows.values()].sort((a, b) => b.pipelines - a.pipelines || order.indexOf(a.feature) - order.indexOf(b.feature));
}

/** Warnings and errors by code: what reading the pipelines said, and what each provider's compile said (its message prefixed with the provider). */
function codeRows(pipelines: readonly AuditFile[]): AuditConstruct[] {
  const byCode = new Map<string, AuditConstruct>();
  const count = (d: Diagnostic, path: string, prefix: string) => {
    if (d.severity === "info") return;
    const c = byCode.get(d.code) ?? { code: d.code, severity: d.severity, count: 0, examples: [], message: prefix + d.message };
    c.count++;
    if (c.examples.length < 5) c.examples.push(`${d.file ?? path}:${d.line ?? 1}`);
    byCode.set(d.code, c);
  };
  for (const p of pipelines) {
    for (const d of p.diagnostics) count(d, p.path, "");
    for (const [id, t] of Object.entries(p.targets)) for (const d of t.diagnostics) count(d, p.path, `${id}: `);
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || compareText(a.code, b.code));
}
