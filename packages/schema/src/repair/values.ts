/**
 * Values an importer may carry over that the format refuses: empty text where text is required,
 * retries over 10, zero timeouts, artifacts without paths, malformed ${{ }} text, and references to
 * variables or secrets the source never declared.
 */
import { escapeLiteral, parseTemplate, type Segment } from "../expressions.js";
import type { ConditionIR, JobIR, PipelineIR, StepIR } from "../ir.js";
import { DEFAULT_IMAGE } from "../ir.js";
import { rewriteJobReferences } from "./names.js";
import type { Repairs } from "./report.js";

const clampRetries = (n: number) => Math.min(10, Math.max(0, Math.round(n)));
const nonEmpty = (xs: readonly string[]) => xs.filter((x) => x !== "");

function fixCondition(c: ConditionIR | undefined): void {
  if (c) c.branches = nonEmpty(c.branches);
}

function fixStep(st: StepIR, ptr: string, r: Repairs): void {
  if (st.workingDirectory === "") delete st.workingDirectory;
  if (st.timeoutSeconds !== undefined && st.timeoutSeconds <= 0) delete st.timeoutSeconds;
  if (st.retries !== clampRetries(st.retries)) {
    r.report("PG-IMPORT-VALUE-FIXED", `${ptr}/retries`, `${st.retries} retries became ${clampRetries(st.retries)} (the format allows 0 to 10)`);
    st.retries = clampRetries(st.retries);
  }
  fixCondition(st.condition);
}

function fixJob(j: JobIR, ptr: string, r: Repairs): void {
  if (j.image === "") j.image = DEFAULT_IMAGE;
  if (j.environment === "") delete j.environment;
  if (j.timeoutSeconds !== undefined && j.timeoutSeconds <= 0) delete j.timeoutSeconds;
  if (j.retries !== clampRetries(j.retries)) {
    r.report("PG-IMPORT-VALUE-FIXED", `${ptr}/retries`, `${j.retries} retries became ${clampRetries(j.retries)} (the format allows 0 to 10)`);
    j.retries = clampRetries(j.retries);
  }
  j.consumes = nonEmpty(j.consumes);
  j.produces = j.produces.filter((a, n) => {
    a.paths = nonEmpty(a.paths);
    if (!a.paths.length)
      r.report("PG-IMPORT-VALUE-FIXED", `${ptr}/artifacts/produce/${n}`, `artifact ${JSON.stringify(a.name)} names no paths: it was dropped`);
    return a.paths.length > 0;
  });
  if (j.matrix) {
    const m = Object.fromEntries(Object.entries(j.matrix).filter(([, v]) => v.length > 0));
    if (Object.keys(m).length) j.matrix = m;
    else delete j.matrix;
  }
  fixCondition(j.condition);
  j.steps.forEach((st, n) => fixStep(st, `${ptr}/steps/${n}`, r));
}

export function repairValues(ir: PipelineIR, r: Repairs): void {
  if (!ir.source.repository) ir.source.repository = "unknown/unknown";
  if (!ir.source.branch) ir.source.branch = "main";
  for (const f of [
    ir.triggers.push?.branches,
    ir.triggers.push?.tags,
    ir.triggers.push?.paths,
    ir.triggers.pullRequest?.branches,
    ir.triggers.pullRequest?.paths,
  ])
    if (f) [f.include, f.exclude] = [nonEmpty(f.include), nonEmpty(f.exclude)];
  for (const sc of ir.triggers.schedules) sc.branches = nonEmpty(sc.branches);
  if (ir.defaults.retries !== undefined) ir.defaults.retries = clampRetries(ir.defaults.retries);
  if (ir.defaults.image === "") delete ir.defaults.image;
  if (ir.defaults.timeoutSeconds !== undefined && ir.defaults.timeoutSeconds <= 0) delete ir.defaults.timeoutSeconds;
  ir.stages.forEach((s, i) => {
    fixCondition(s.condition);
    if (s.approval) [s.approval.approvers, s.approval.notify] = [nonEmpty(s.approval.approvers), nonEmpty(s.approval.notify)];
    s.jobs.forEach((j, k) => fixJob(j, `/stages/${i}/jobs/${k}`, r));
  });
}

/** Malformed ${{ }} text becomes literal text: the expression that did not parse reaches the shell as written. */
function fixSyntax(text: string, ptr: string, r: Repairs): string {
  if (!parseTemplate(text).errors.length) return text;
  r.report("PG-IMPORT-VALUE-FIXED", ptr, "a malformed ${{ }} expression was kept as literal text");
  let out = text;
  for (const e of [...parseTemplate(text).errors].sort((a, b) => b.offset - a.offset))
    if (out.startsWith("${{", e.offset)) out = `${out.slice(0, e.offset)}$${out.slice(e.offset)}`;
  return parseTemplate(out).errors.length ? escapeLiteral(text) : out;
}

export function repairExpressions(ir: PipelineIR, r: Repairs): void {
  ir.stages.forEach((s, i) =>
    s.jobs.forEach((j, k) => {
      const base = `/stages/${i}/jobs/${k}`;
      j.env = Object.fromEntries(Object.entries(j.env).map(([n, v]) => [n, fixSyntax(v, `${base}/env/${n}`, r)]));
      j.steps.forEach((st, n) => {
        if (st.run !== undefined) st.run = fixSyntax(st.run, `${base}/steps/${n}/run`, r);
        st.env = Object.fromEntries(Object.entries(st.env).map(([e, v]) => [e, fixSyntax(v, `${base}/steps/${n}/env/${e}`, r)]));
      });
      declareReferences(ir, j, base, r);
    }),
  );
}

/** References to undeclared variables and secrets are declared; an unknown matrix value becomes a declared variable. */
function declareReferences(ir: PipelineIR, j: JobIR, base: string, r: Repairs): void {
  const matrix = new Set(Object.keys(j.matrix ?? {}));
  const declare = (kind: "var" | "secret", name: string) => {
    if (kind === "var" && !(name in ir.variables) && !(name in ir.secrets)) {
      ir.variables[name] = { default: "", overridable: true, description: "Declared by pipeglot import: the source used it without declaring it" };
      r.report("PG-IMPORT-REFERENCE-DECLARED", base, `variable ${JSON.stringify(name)} was used but not declared: it was declared with an empty default`);
    } else if (kind === "secret" && !(name in ir.secrets) && !(name in ir.variables)) {
      ir.secrets[name] = { description: "Declared by pipeglot import: add where this secret lives for each provider" };
      r.report("PG-IMPORT-REFERENCE-DECLARED", base, `secret ${JSON.stringify(name)} was used but not declared: it was declared without a reference`);
    }
  };
  rewriteJobReferences(j, (s: Segment): Segment => {
    if (s.kind === "matrix" && !matrix.has(s.name)) {
      declare("var", s.name);
      return { kind: "var", name: s.name };
    }
    if (s.kind === "var" && s.name in ir.secrets && !(s.name in ir.variables)) return { kind: "secret", name: s.name };
    if (s.kind === "secret" && s.name in ir.variables && !(s.name in ir.secrets)) return { kind: "var", name: s.name };
    if (s.kind === "var" || s.kind === "secret") declare(s.kind, s.name);
    return s;
  });
}
