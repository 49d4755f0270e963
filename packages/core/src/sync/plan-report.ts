/**
 * `plan --format json` and `plan --format markdown`: the plan as a versioned JSON document (schema:
 * docs/schemas/plan.v1.json, described in docs/json-output.md) and as Markdown for a pull-request
 * comment. Renderers print the computed diff; they never diff.
 */
import { changeBodyLines, updateReason } from "./human-diff.js";
import { isRepositoryFile } from "./repo-files.js";
import { textDiffOf } from "./sync-set.js";
import { keyString, type Action, type Change, type DiffEntry, type Plan, type PlanProblem } from "./types.js";

export const PLAN_JSON_FORMAT_VERSION = 1;

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
  problems: number;
}

export interface PlanReportEntry {
  provider: Plan["provider"];
  pipeline: string;
  summary: PlanSummary;
  changes: { action: Action; key: Change["key"]; reason: string; diff: DiffEntry[]; textDiff?: string; versionToken?: string }[];
  problems: PlanProblem[];
  repositoryFiles: { path: string; action: Action }[];
  notes: string[];
}

export interface PlanReport {
  formatVersion: typeof PLAN_JSON_FORMAT_VERSION;
  summary: PlanSummary & { changed: boolean };
  plans: PlanReportEntry[];
}

export function planSummary(p: Plan): PlanSummary {
  const count = (a: Action) => p.changes.filter((c) => c.action === a).length;
  return { create: count("create"), update: count("update"), delete: count("delete"), unchanged: count("noop"), problems: p.problems.length };
}

function entry(p: Plan, notes: readonly string[]): PlanReportEntry {
  return {
    provider: p.provider,
    pipeline: p.pipeline,
    summary: planSummary(p),
    changes: p.changes.map((c) => {
      const textDiff = textDiffOf(c);
      return {
        action: c.action,
        key: c.key,
        reason: c.reason,
        diff: c.diff,
        ...(textDiff ? { textDiff } : {}),
        ...(c.versionToken ? { versionToken: c.versionToken } : {}),
      };
    }),
    problems: p.problems,
    /** The files the pipeline reads from the repository that the working tree lacks or holds in another version. */
    repositoryFiles: p.changes.filter((c) => isRepositoryFile(c.key) && c.action !== "noop").map((c) => ({ path: c.key.name, action: c.action })),
    notes: [...notes],
  };
}

export function planReport(plans: readonly { plan: Plan; notes?: readonly string[] }[]): PlanReport {
  const entries = plans.map((x) => entry(x.plan, x.notes ?? []));
  const total: PlanSummary = { create: 0, update: 0, delete: 0, unchanged: 0, problems: 0 };
  for (const e of entries) for (const k of Object.keys(total) as (keyof PlanSummary)[]) total[k] += e.summary[k];
  return { formatVersion: PLAN_JSON_FORMAT_VERSION, summary: { ...total, changed: total.create + total.update + total.delete > 0 }, plans: entries };
}

const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const cell = (s: string) => html(s).replace(/\|/g, "\\|").replace(/\n/g, " ");
const SIGN: Record<Action, string> = { create: "➕ create", update: "🔄 update", delete: "🗑️ delete", noop: "unchanged" };

/** A fenced block that no line of the text can close. */
function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n$/, "")}\n${f}`;
}

function details(c: Change): string {
  const text = textDiffOf(c);
  // Hunk lines start the line, so that the diff block colours them.
  const lines = changeBodyLines(c).map((l) => l.replace(/^ {2}(?=[-+ @\\])/, ""));
  const body = fence(text ?? (lines.join("\n") || "(no differences but pipeglot's bookkeeping tags)"), "diff");
  const why = c.action === "update" && !text ? updateReason(c.diff) : c.reason;
  return `<details><summary>${SIGN[c.action]} <code>${html(keyString(c.key))}</code>: ${html(why)}</summary>\n\n${body}\n\n</details>`;
}

/** Markdown for a pull-request comment: one section per provider, a summary table, each change in a <details> block. */
export function renderPlanMarkdown(report: PlanReport): string {
  const s = report.summary;
  const lines: string[] = [
    `## pipeglot plan`,
    "",
    s.problems ? `**${s.problems} resource(s) blocked**: apply would refuse. ` + summaryText(s) : summaryText(s),
    "",
    "| Provider | Pipeline | Create | Update | Delete | Unchanged | Blocked |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...report.plans.map(
      (p) =>
        `| ${p.provider} | ${cell(p.pipeline)} | ${p.summary.create} | ${p.summary.update} | ${p.summary.delete} | ${p.summary.unchanged} | ${p.summary.problems} |`,
    ),
  ];
  for (const p of report.plans) {
    const changed = p.changes.filter((c) => c.action !== "noop");
    if (!changed.length && !p.problems.length && !p.notes.length) continue;
    lines.push("", `### ${p.provider}: ${cell(p.pipeline)}`, "");
    for (const c of changed) lines.push(details({ ...c, dependsOn: [] }), "");
    for (const b of p.problems) lines.push(`- ⛔ blocked <code>${html(keyString(b.key))}</code>: ${html(b.message)}`);
    for (const n of p.notes) lines.push(`- note: ${html(n)}`);
  }
  return lines.join("\n").replace(/\n+$/, "") + "\n";
}

const summaryText = (s: PlanSummary & { changed: boolean }) =>
  s.changed
    ? `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged.`
    : `No changes: the live pipelines match the definition (${s.unchanged} unchanged).`;
