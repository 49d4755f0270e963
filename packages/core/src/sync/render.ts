/** Text rendering of plans and apply results. Renderers print the computed diff; they never diff. */
import { filesToCommit, textDiffOf } from "./sync-set.js";
import { keyString, type ApplyResult, type Change, type DiffEntry, type Plan } from "./types.js";

const SYMBOL: Record<Change["action"], string> = { create: "+", update: "~", delete: "-", noop: " " };

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? "null" : s.length > 120 ? s.slice(0, 117) + "..." : s;
};

function entry(d: DiffEntry): string {
  const p = d.path.map((x) => (typeof x === "number" ? `[${x}]` : `.${x}`)).join("") || "(root)";
  if (d.type === "add") return `      + ${p} = ${show(d.after)}`;
  if (d.type === "remove") return `      - ${p} (was ${show(d.before)})`;
  return `      ~ ${p}: ${show(d.before)} → ${show(d.after)}`;
}

export function renderPlan(plan: Plan, opts: { showNoop?: boolean } = {}): string {
  const lines: string[] = [`${plan.provider}: ${plan.pipeline}`];
  for (const c of plan.changes) {
    if (c.action === "noop" && !opts.showNoop) continue;
    lines.push(`  ${SYMBOL[c.action]} ${c.action.padEnd(6)} ${keyString(c.key)}  (${c.reason})`);
    const text = textDiffOf(c);
    if (text)
      lines.push(
        ...text
          .replace(/\n$/, "")
          .split("\n")
          .map((l) => `      ${l}`),
      );
    else if (c.action === "update") for (const d of c.diff) lines.push(entry(d));
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
