/** Text rendering of plans and apply results. Renderers print the computed diff; they never diff. */
import { changeBodyLines, updateReason } from "./human-diff.js";
import { filesToCommit, textDiffOf } from "./sync-set.js";
import { keyString, type ApplyResult, type Change, type Plan } from "./types.js";

const SYMBOL: Record<Change["action"], string> = { create: "+", update: "~", delete: "-", noop: " " };

const indent = (lines: readonly string[]): string[] => lines.map((l) => `      ${l}`);

/** Why the change is planned, as people read it (an update counts the differences they review). */
const reason = (c: Change): string => (c.action === "update" && !textDiffOf(c) ? updateReason(c.diff) : c.reason);

/** The lines under a change: a file's line diff, else its body's differences or attributes. */
function changeLines(c: Change): string[] {
  const text = textDiffOf(c);
  if (text) return indent(text.replace(/\n$/, "").split("\n"));
  return indent(changeBodyLines(c));
}

export function renderPlan(plan: Plan, opts: { showNoop?: boolean } = {}): string {
  const lines: string[] = [`${plan.provider}: ${plan.pipeline}`];
  for (const c of plan.changes) {
    if (c.action === "noop" && !opts.showNoop) continue;
    lines.push(`  ${SYMBOL[c.action]} ${c.action.padEnd(6)} ${keyString(c.key)}  (${reason(c)})`, ...changeLines(c));
  }
  for (const p of plan.problems) lines.push(`  ! blocked ${keyString(p.key)}: ${p.message}`);
  const count = (a: Change["action"]) => plan.changes.filter((c) => c.action === a).length;
  lines.push(`  Plan: ${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete, ${count("noop")} unchanged.`);
  return lines.join("\n") + "\n";
}

export function renderApply(r: ApplyResult): string {
  const lines = r.results.map(
    (x) =>
      `  ${x.status.padEnd(9)} ${x.action.padEnd(6)} ${keyString(x.key)}${x.attempts > 1 ? ` (${x.attempts} attempts)` : ""}${x.message ? `: ${x.message}` : ""}`,
  );
  const commit = filesToCommit(r);
  if (commit.length) {
    const gone = new Set(r.results.filter((x) => x.action === "delete").map((x) => x.key.name));
    const named = commit.map((f) => (gone.has(f) ? `${f} (deleted)` : f));
    lines.push(`  Written in the working tree: commit these files (the pipeline reads them from the repository): ${named.join(", ")}`);
  }
  lines.push(r.ok ? "  Apply complete." : "  Apply incomplete: see the failed, conflicting and skipped resources above.");
  return lines.join("\n") + "\n";
}
