/**
 * The differential check (issue 15): a cloud's trace against the neutral reference trace of the
 * same definition. Every difference is a finding; a finding is explained when the compile for
 * that cloud said so — a warning or error diagnostic about the job, one of its steps, or its
 * stage (a pointer inside one of them counts as that one); a stage's or the run's different
 * outcome is explained when every job difference under it is. An unexplained finding means the
 * translation does something the definition does not say, and no diagnostic warns of it.
 */
import type { Diagnostic, PipelineIR } from "@pipeglot/schema";
import type { CommandRecord, FileSet, JobTrace, StepTrace, Trace } from "./trace.js";

export type FindingField = "outcome" | "stage" | "job" | "status" | "files" | "artifacts" | "step" | "commands";

export interface Finding {
  /** The job key (or the stage name for field "stage", "" for "outcome"). */
  job: string;
  step?: string;
  field: FindingField;
  /** The reference's value and the cloud's, in short. */
  expected: string;
  actual: string;
  /** Where in the definition (JSON pointer). */
  pointer: string;
  /** Codes of the compile's diagnostics that name this difference; absent: unexplained. */
  explainedBy?: string[];
}

const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The IR pointer of a job key (`stage.job` or `stage.job[K=V]`), or of a stage name. */
function pointerOf(ir: PipelineIR, key: string, step?: string): string {
  for (const [i, s] of ir.stages.entries()) {
    if (key === s.name) return `/stages/${i}`;
    for (const [j, job] of s.jobs.entries()) {
      const base = `${s.name}.${job.name}`;
      if (key !== base && !key.startsWith(`${base}[`)) continue;
      const k = step === undefined ? -1 : job.steps.findIndex((x) => x.id === step);
      return k < 0 ? `/stages/${i}/jobs/${j}` : `/stages/${i}/jobs/${j}/steps/${k}`;
    }
  }
  return "";
}

/** The stage, job or step a pointer is inside (`/stages/1/jobs/0/env/X` → `/stages/1/jobs/0`); "" when none. */
function node(pointer: string): string {
  const m = /^\/stages\/\d+(?:\/jobs\/\d+(?:\/steps\/\d+)?)?/.exec(pointer);
  return m ? m[0] : "";
}

/** Whether a warning or error is about this place: the same node, one inside it, or the node holding it. */
function covers(d: Diagnostic, pointer: string): boolean {
  const at = node(d.path);
  if (d.severity === "info" || !at || !pointer) return false;
  return at === pointer || at.startsWith(`${pointer}/`) || pointer.startsWith(`${at}/`);
}

/**
 * A stage's or the run's outcome differs because its jobs did: it is explained when a diagnostic
 * covers it, or when every job finding under it is explained (and there is one).
 */
function explainRollups(findings: Finding[]): Finding[] {
  const jobs = findings.filter((f) => f.field !== "outcome" && f.field !== "stage");
  const allNamed = (list: Finding[]) => list.length > 0 && list.every((f) => f.explainedBy);
  const codes = (list: Finding[]) => [...new Set(list.flatMap((f) => f.explainedBy ?? []))].sort();
  return findings.map((f) => {
    if (f.explainedBy || (f.field !== "stage" && f.field !== "outcome")) return f;
    const under = f.field === "outcome" ? jobs : jobs.filter((j) => j.pointer.startsWith(`${f.pointer}/`));
    return allNamed(under) ? { ...f, explainedBy: codes(under) } : f;
  });
}

const files = (f: FileSet) => Object.keys(f).join(", ") || "(none)";

/**
 * How two file sets differ. `extrasCount` false: files only the cloud has are not a difference
 * (Cloud Build's jobs share one /workspace, so a job also sees what earlier jobs left there).
 */
function fileDiff(a: FileSet, b: FileSet, extrasCount = true): [string, string] | undefined {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const missing = keys.filter((k) => !(k in b));
  const extra = extrasCount ? keys.filter((k) => !(k in a)) : [];
  const changed = keys.filter((k) => k in a && k in b && a[k] !== b[k]);
  if (!missing.length && !extra.length && !changed.length) return undefined;
  const exp = [missing.length ? `has ${missing.join(", ")}` : "", changed.length ? `content of ${changed.join(", ")}` : ""].filter(Boolean).join("; ");
  const act = [missing.length ? `lacks ${missing.join(", ")}` : "", extra.length ? `also ${extra.join(", ")}` : "", changed.length ? "different content" : ""]
    .filter(Boolean)
    .join("; ");
  return [short(exp || files(a)), short(act)];
}

const cmd = (c: CommandRecord) =>
  `${c.argv.map((a) => JSON.stringify(a)).join(" ")} (in ${c.cwd}${
    Object.keys(c.env).length
      ? `, ${Object.entries(c.env)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(" ")}`
      : ""
  })`;

function stepFindings(job: string, a: StepTrace | undefined, b: StepTrace | undefined, id: string): Omit<Finding, "pointer">[] {
  if (!a || !b) return [{ job, step: id, field: "step", expected: a ? "runs" : "absent", actual: b ? "runs" : "absent" }];
  const out: Omit<Finding, "pointer">[] = [];
  if (a.status !== b.status || a.exit !== b.exit || a.attempts !== b.attempts)
    out.push({
      job,
      step: id,
      field: "step",
      expected: `${a.status}, exit ${a.exit}, ${a.attempts} attempt(s)`,
      actual: `${b.status}, exit ${b.exit}, ${b.attempts} attempt(s)`,
    });
  const n = Math.max(a.commands.length, b.commands.length);
  for (let i = 0; i < n; i++) {
    const x = a.commands[i] ? cmd(a.commands[i]) : "(no command)";
    const y = b.commands[i] ? cmd(b.commands[i]) : "(no command)";
    if (x !== y) {
      out.push({ job, step: id, field: "commands", expected: short(x, 240), actual: short(y, 240) });
      break;
    }
  }
  return out;
}

function jobFindings(a: JobTrace, b: JobTrace): Omit<Finding, "pointer">[] {
  const out: Omit<Finding, "pointer">[] = [];
  if (a.status !== b.status) out.push({ job: a.key, field: "status", expected: a.status, actual: b.status });
  // A job that ran on one side only: its status says it all (its files and steps would repeat it).
  if (a.status !== b.status && (a.status === "skipped" || b.status === "skipped")) return out;
  const f = fileDiff(a.files, b.files, false);
  if (f) out.push({ job: a.key, field: "files", expected: f[0], actual: f[1] });
  for (const name of [...new Set([...Object.keys(a.artifacts), ...Object.keys(b.artifacts)])].sort()) {
    const d = fileDiff(a.artifacts[name] ?? {}, b.artifacts[name] ?? {});
    if (d) out.push({ job: a.key, field: "artifacts", expected: `${name}: ${d[0]}`, actual: `${name}: ${d[1]}` });
  }
  const ids = [...new Set([...a.steps.map((s) => s.id), ...b.steps.map((s) => s.id)])];
  for (const id of ids)
    out.push(
      ...stepFindings(
        a.key,
        a.steps.find((s) => s.id === id),
        b.steps.find((s) => s.id === id),
        id,
      ),
    );
  return out;
}

/** Every difference between the reference trace and a cloud's, each with the diagnostics that explain it. */
export function compareTraces(reference: Trace, actual: Trace, ir: PipelineIR, diagnostics: readonly Diagnostic[]): Finding[] {
  const raw: Omit<Finding, "pointer">[] = [];
  if (reference.outcome !== actual.outcome) raw.push({ job: "", field: "outcome", expected: reference.outcome, actual: actual.outcome });
  for (const s of reference.stages) {
    const t = actual.stages.find((x) => x.name === s.name);
    if (t?.status !== s.status) raw.push({ job: s.name, field: "stage", expected: s.status, actual: t?.status ?? "absent" });
  }
  const theirs = new Map(actual.jobs.map((j) => [j.key, j]));
  for (const j of reference.jobs) {
    const t = theirs.get(j.key);
    theirs.delete(j.key);
    if (!t) raw.push({ job: j.key, field: "job", expected: j.status, actual: "absent" });
    else raw.push(...jobFindings(j, t));
  }
  for (const t of theirs.values()) raw.push({ job: t.key, field: "job", expected: "absent", actual: t.status });
  const located = raw.map((f) => {
    const pointer = pointerOf(ir, f.job, f.step);
    const codes = [...new Set(diagnostics.filter((d) => covers(d, pointer)).map((d) => d.code))].sort();
    return { ...f, pointer, ...(codes.length ? { explainedBy: codes } : {}) };
  });
  return explainRollups(located);
}

/** One line per finding, for the terminal. */
export function renderFinding(f: Finding): string {
  const where = [f.job, f.step].filter(Boolean).join(" step ") || "pipeline";
  const why = f.explainedBy ? ` (named by ${f.explainedBy.join(", ")})` : " (no diagnostic names it)";
  return `${where}: ${f.field}: expected ${f.expected}; got ${f.actual}${why}`;
}
