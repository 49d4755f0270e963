/**
 * The run as text: a header line and a stage/job tree (what `pipeglot status` prints), and the
 * lines that say what changed between two looks at a run (what `status --watch` prints off a
 * terminal). Plain ASCII marks, no colour: the CLI colours if it wants to.
 */
import type { ApprovalRun, JobRun, PipelineRun, StageRun, UnitState } from "./run-model.js";

const MARK: Record<UnitState, string> = {
  queued: ".",
  running: ">",
  "waiting-for-approval": "?",
  held: "=",
  succeeded: "+",
  failed: "x",
  cancelled: "-",
  skipped: "~",
};

/** Seconds between two ISO times, "1.2s" / "3m04s"; empty when either is missing. */
export function duration(start?: string, end?: string): string {
  if (!start || !end) return "";
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return "";
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

function approvalText(a: ApprovalRun): string {
  const parts: string[] = [`approval ${a.state}`];
  if (a.decidedBy) parts.push(`by ${a.decidedBy}`);
  if (a.comment) parts.push(`"${a.comment}"`);
  const more: string[] = [];
  if (a.approvers?.length) more.push(`approvers: ${a.approvers.join(", ")}`);
  if (a.deadline && a.state === "pending") more.push(`until ${a.deadline}`);
  if (a.instructions && a.state === "pending") more.push(`instructions: ${a.instructions}`);
  return parts.join(" ") + (more.length ? ` (${more.join("; ")})` : "");
}

function jobLine(j: JobRun, width: number): string {
  const time = duration(j.startedAt, j.finishedAt);
  const native = j.native && j.native !== j.name ? `  [${j.native}]` : "";
  const msg = j.message ? `  ${j.message}` : "";
  return `    ${MARK[j.state]} ${j.name.padEnd(width)}  ${j.state}${time ? ` ${time}` : ""}${native}${msg}`;
}

function stageLines(s: StageRun, width: number): string[] {
  const notes: string[] = [];
  if (s.hold) notes.push(`held${s.hold.reason ? `: ${s.hold.reason}` : ""}`);
  if (s.approval) notes.push(approvalText(s.approval));
  const head = `  ${MARK[s.state]} ${s.name.padEnd(width)}  ${s.state}${notes.length ? ` - ${notes.join("; ")}` : ""}`;
  const jw = Math.max(0, ...s.jobs.map((j) => j.name.length));
  return [head, ...s.jobs.map((j) => jobLine(j, jw))];
}

/** The header: pipeline, provider, run id, state, and what started it. */
export function runHeader(r: PipelineRun): string {
  const source = [r.trigger, r.branch, r.commit ? `@ ${r.commit.slice(0, 12)}` : undefined].filter(Boolean).join(" ");
  const when = r.startedAt ? `, started ${r.startedAt}` : "";
  const took = duration(r.startedAt, r.finishedAt);
  return `${r.pipeline} on ${r.provider}: run ${r.id} ${r.state}${when}${took ? `, took ${took}` : ""}${source ? ` (${source})` : ""}`;
}

/** The run as a header and a stage/job tree, one line each, in the definition's order. */
export function renderRun(r: PipelineRun): string {
  const width = Math.max(0, ...r.stages.map((s) => s.name.length));
  return [runHeader(r), ...r.stages.flatMap((s) => stageLines(s, width))].join("\n") + "\n";
}

/**
 * What changed from `before` to `after` (undefined: the first look), one line each: the run's
 * state, each stage's and job's, a gate's. Nothing changed: no line.
 */
export function runChanges(before: PipelineRun | undefined, after: PipelineRun): string[] {
  const lines: string[] = [];
  if (!before || before.state !== after.state) lines.push(`${after.pipeline}: run ${after.id} ${after.state}`);
  for (const s of after.stages) {
    const was = before?.stages.find((x) => x.name === s.name);
    if (!was || was.state !== s.state) lines.push(`${s.name}: ${s.state}${s.hold && s.state === "held" && s.hold.reason ? ` (${s.hold.reason})` : ""}`);
    if (s.approval && (!was?.approval || was.approval.state !== s.approval.state)) lines.push(`${s.name}: ${approvalText(s.approval)}`);
    for (const j of s.jobs) {
      const jw = was?.jobs.find((x) => x.name === j.name);
      const changed = jw ? jw.state !== j.state : !before || j.state !== "queued";
      if (changed) lines.push(`${s.name}/${j.name}: ${j.state}${j.message && j.state === "failed" ? ` - ${j.message}` : ""}`);
    }
  }
  return lines;
}
