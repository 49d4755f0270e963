/** Steps: script/bash/pwsh/powershell, well-known tasks, artifacts, and native steps. */
import type { ArtifactIR, Shell, StepIR } from "@pipeglot/schema";
import { neutralName, sanitizeId } from "../names.js";
import { CELL_SUFFIX, STAGING } from "../compile/jobs.js";
import { importCondition } from "./conditions.js";
import { report, mark, type ArtifactUse, type ImportCtx } from "./context.js";
import { isTemplateRef, templateStep } from "./templates.js";
import { toStr } from "./template/expr.js";
import { branchEnv, importScript, macroPieces, neutralText, readDataEnv } from "./text.js";
import { isObject } from "@pipeglot/core";

interface JobParts {
  steps: StepIR[];
  produces: ArtifactIR[];
  consumes: string[];
  uses: ArtifactUse[];
  approval?: { task: Record<string, unknown> };
}

const COMMON = new Set([
  "displayName",
  "name",
  "env",
  "condition",
  "continueOnError",
  "timeoutInMinutes",
  "retryCountOnTaskFailure",
  "workingDirectory",
  "enabled",
  "target",
]);

function value(ctx: ImportCtx, v: unknown, kept: string[]): string {
  return neutralText(macroPieces(toStr(v)), ctx.scope, kept);
}

function taskRun(task: string, inputs: Record<string, unknown>): { run: string; shell: Shell; workingDirectory?: string } | undefined {
  const name = task.split("@")[0]!.toLowerCase();
  const s = (k: string) => (inputs[k] === undefined ? undefined : toStr(inputs[k]));
  switch (name) {
    case "bash":
      if ((s("targetType") ?? "filePath").toLowerCase() === "inline")
        return { run: s("script") ?? "", shell: "bash", ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}) };
      return {
        run: ["bash", s("filePath") ?? "", s("arguments") ?? ""].filter(Boolean).join(" "),
        shell: "bash",
        ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}),
      };
    case "cmdline":
      return { run: s("script") ?? "", shell: "bash", ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}) };
    case "powershell":
      if ((s("targetType") ?? "filePath").toLowerCase() === "inline")
        return { run: s("script") ?? "", shell: "pwsh", ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}) };
      return { run: ["&", s("filePath") ?? "", s("arguments") ?? ""].filter(Boolean).join(" "), shell: "pwsh" };
    case "pythonscript":
      // The compiler writes a python step's working directory as the task's input: read it back.
      if ((s("scriptSource") ?? "filePath").toLowerCase() === "inline")
        return { run: s("script") ?? "", shell: "python", ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}) };
      return undefined;
    case "npm": {
      const cmd = (s("command") ?? "install").toLowerCase();
      const run = cmd === "custom" ? `npm ${s("customCommand") ?? ""}`.trim() : `npm ${cmd}${s("arguments") ? " " + s("arguments") : ""}`;
      return { run, shell: "bash", ...(s("workingDir") ? { workingDirectory: s("workingDir")! } : {}) };
    }
    case "maven": {
      const pom = s("mavenPomFile") ?? s("mavenPOMFile") ?? "pom.xml";
      return { run: ["mvn", "-B", "-f", pom, s("goals") ?? "package", s("options") ?? ""].filter(Boolean).join(" "), shell: "bash" };
    }
    case "docker": {
      const cmd = (s("command") ?? "buildAndPush").toLowerCase();
      const repo = s("repository") ?? "image";
      const tags = (s("tags") ?? "$(Build.BuildId)")
        .split(/[\n,]/)
        .map((t) => t.trim())
        .filter(Boolean);
      const file = s("Dockerfile") ?? s("dockerfile") ?? "Dockerfile";
      const build = `docker build -f ${file} ${tags.map((t) => `-t ${repo}:${t}`).join(" ")} ${s("buildContext") ?? "."}`.replace(/\s+/g, " ").trim();
      const push = tags.map((t) => `docker push ${repo}:${t}`).join("\n");
      if (cmd === "build") return { run: build, shell: "bash" };
      if (cmd === "push") return { run: push, shell: "bash" };
      if (cmd === "buildandpush") return { run: `${build}\n${push}`, shell: "bash" };
      return undefined;
    }
  }
  return undefined;
}

/** The artifact a plumbing step publishes or downloads, when it is one the neutral format can hold. */
type Plumbing =
  | { kind: "skip" }
  | { kind: "produce"; name: string; paths: string[] }
  | { kind: "consume"; name: string }
  | { kind: "copy"; name: string; paths: string[] }
  | { kind: "approval" }
  | undefined;

const MACRO = /\$\(|\$\[|\$\{\{/;

/** Downloads from another run or pipeline resource are not consumes of this pipeline's artifacts. */
function fromElsewhere(st: Record<string, unknown>, inputs: Record<string, unknown>): boolean {
  if (typeof st.download === "string") return st.download !== "current";
  const bt = toStr(inputs.buildType ?? inputs.source ?? "current").toLowerCase();
  return bt !== "current";
}

/** A matrix job's publish name `X-$(pipeglot_cell)` (one artifact per entry, compile/jobs.ts) is the artifact X. */
const cellless = (name: string): string => (name.endsWith(CELL_SUFFIX) && name.length > CELL_SUFFIX.length ? name.slice(0, -CELL_SUFFIX.length) : name);

/** The compile's download of a matrix producer's last entry (`Download X` of `X-<entry>`) consumes X. */
function entryDownload(st: Record<string, unknown>, name: string): string {
  const label = typeof st.displayName === "string" ? /^Download (.+)$/.exec(st.displayName)?.[1] : undefined;
  return label !== undefined && name.startsWith(`${label}-`) && /^[A-Za-z][A-Za-z0-9_]*$/.test(name.slice(label.length + 1)) ? label : name;
}

function plumbing(st: Record<string, unknown>, next: unknown): Plumbing {
  // A conditional or disabled publish/download is a step of its own (the neutral artifact has no condition).
  if (st.condition !== undefined || st.enabled === false || st.enabled === "false") return undefined;
  if (typeof st.checkout === "string" && Object.keys(st).every((k) => k === "checkout") && st.checkout === "self") return { kind: "skip" };
  if (st.download === "none") return { kind: "skip" };
  if (typeof st.download === "string" && typeof st.artifact === "string") return fromElsewhere(st, {}) ? undefined : { kind: "consume", name: st.artifact };
  if (typeof st.publish === "string" && typeof st.artifact === "string") return { kind: "produce", name: cellless(st.artifact), paths: [st.publish] };
  if (typeof st.task !== "string") return undefined;
  const tname = st.task.split("@")[0]!.toLowerCase();
  const inputs = isObject(st.inputs) ? st.inputs : {};
  if (tname === "manualvalidation") return { kind: "approval" };
  if (tname === "copyfiles" && typeof inputs.TargetFolder === "string" && inputs.TargetFolder.startsWith(`${STAGING}/`)) {
    const name = inputs.TargetFolder.slice(STAGING.length + 1);
    if (isObject(next) && next.publish === inputs.TargetFolder && typeof next.artifact === "string" && cellless(next.artifact) === name)
      return {
        kind: "copy",
        name,
        paths: toStr(inputs.Contents ?? "**")
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean),
      };
  }
  if (tname === "downloadpipelineartifact" || tname === "downloadbuildartifacts") {
    const a = inputs.artifactName ?? inputs.artifact;
    if (typeof a === "string" && !fromElsewhere(st, inputs)) return { kind: "consume", name: entryDownload(st, a) };
  }
  if (tname === "publishpipelineartifact" || tname === "publishbuildartifacts") {
    const a = inputs.artifactName ?? inputs.artifact ?? inputs.ArtifactName ?? "drop";
    const p = inputs.targetPath ?? inputs.path ?? inputs.PathtoPublish ?? inputs.pathtoPublish ?? inputs.pathToPublish ?? "$(Build.ArtifactStagingDirectory)";
    return { kind: "produce", name: toStr(a), paths: [toStr(p)] };
  }
  return undefined;
}

/** An artifact name in the neutral alphabet; undefined when it is only known at run time (a macro). */
function artifactName(ctx: ImportCtx, name: string, at: object, ptr: string): string | undefined {
  if (MACRO.test(name)) return undefined;
  const n = neutralName(name);
  if (n === undefined) return undefined;
  if (n !== name) report(ctx, "PG-ADO-IMPORT-NAME", `artifact name ${JSON.stringify(name)} became ${JSON.stringify(n)}`, at, ptr);
  return n;
}

/** Handle an artifact or checkout step; true when the step needs nothing more. */
function importPlumbing(ctx: ImportCtx, out: JobParts, pending: Map<string, string[]>, st: Record<string, unknown>, next: unknown, ptr: string): boolean {
  const p = plumbing(st, next);
  if (!p) return false;
  if (p.kind === "skip") return true;
  if (p.kind === "approval") {
    out.approval = { task: st };
    return true;
  }
  if (p.kind === "copy") {
    pending.set(p.name, p.paths);
    return true;
  }
  const name = artifactName(ctx, p.name, st, ptr);
  if (name === undefined) {
    report(
      ctx,
      "PG-ADO-IMPORT-ARTIFACT",
      `artifact ${JSON.stringify(p.name)} is named at run time; its ${p.kind === "produce" ? "publish" : "download"} step is kept as native.azure`,
      st,
      ptr,
    );
    return false;
  }
  if (p.kind === "consume") {
    if (!out.consumes.includes(name)) out.consumes.push(name);
    out.uses.push({ kind: "consume", name, raw: st, at: out.steps.length });
    return true;
  }
  const copied = pending.get(p.name);
  const paths = copied && p.paths[0] === `${STAGING}/${p.name}` ? copied : p.paths;
  pending.delete(p.name);
  const same = out.produces.find((a) => a.name === name);
  // Publishing twice under one name (build artifacts append to one container): one artifact, both paths.
  if (same) same.paths.push(...paths.filter((x) => !same.paths.includes(x)));
  else out.produces.push({ name, paths });
  out.uses.push({ kind: "produce", name, raw: st, at: out.steps.length });
  return true;
}

const NEUTRAL_KEYS = ["displayName", "name", "env", "condition", "continueOnError", "timeoutInMinutes", "retryCountOnTaskFailure"];
const strip = (st: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(st).filter(([k]) => !NEUTRAL_KEYS.includes(k)));

/** The command (or native block) of a step. */
function stepKind(ctx: ImportCtx, st: Record<string, unknown>, step: StepIR, kept: string[], sp: string): void {
  if (typeof st.bash === "string") step.run = importScript(st.bash, ctx.scope, kept);
  else if (typeof st.script === "string") step.run = importScript(st.script, ctx.scope, kept);
  else if (typeof st.pwsh === "string") {
    step.run = importScript(st.pwsh, ctx.scope, kept);
    step.shell = "pwsh";
  } else if (typeof st.powershell === "string") {
    step.run = importScript(st.powershell, ctx.scope, kept);
    step.shell = "pwsh";
    report(ctx, "PG-ADO-IMPORT-LOSSY", "powershell: (Windows PowerShell) imported as pwsh", st, sp);
  } else if (typeof st.task === "string") {
    const inputs = isObject(st.inputs) ? st.inputs : {};
    const t = taskRun(st.task, inputs);
    if (t) {
      step.run = t.shell === "bash" && !/^(bash|cmdline)@/i.test(st.task) ? value(ctx, t.run, kept) : importScript(t.run, ctx.scope, kept);
      step.shell = t.shell;
      if (t.workingDirectory) step.workingDirectory = value(ctx, t.workingDirectory, kept);
      if (!/^(bash|cmdline|powershell|pythonscript)@/i.test(st.task))
        report(
          ctx,
          "PG-ADO-IMPORT-LOSSY",
          `task ${st.task} imported as the command ${JSON.stringify(step.run)}; its other inputs (service connections, authentication) are not carried over`,
          st,
          sp,
        );
    } else {
      step.native = { azure: strip(st) };
      report(ctx, "PG-ADO-IMPORT-TASK-NATIVE", `task ${st.task} has no neutral equivalent; kept as native.azure`, st, sp);
    }
  } else {
    const rest = strip(st);
    step.native = { azure: rest };
    report(ctx, "PG-ADO-IMPORT-STEP-NATIVE", `step ${Object.keys(rest)[0] ?? "?"}: kept as native.azure`, st, sp);
  }
}

/** The neutral name of a step (unique in its job), from its name and displayName. */
function stepName(st: Record<string, unknown>, used: Set<string>): string | undefined {
  const n = typeof st.name === "string" ? st.name : undefined;
  const d = typeof st.displayName === "string" ? st.displayName : undefined;
  let name: string | undefined;
  if (d !== undefined && n !== undefined && neutralName(d) === d && sanitizeId(d).toLowerCase() === n.toLowerCase().replace(/_\d+$/, "").replace(/_\d+$/, ""))
    name = d;
  else if (d !== undefined && n !== undefined && neutralName(d) === d && n.toLowerCase().startsWith(sanitizeId(d).toLowerCase())) name = d;
  else if (n !== undefined) name = neutralName(n);
  else if (d !== undefined) name = neutralName(d);
  if (name === undefined) return undefined;
  let u = name;
  for (let k = 2; used.has(u.toLowerCase()); k++) u = `${name}-${k}`;
  used.add(u.toLowerCase());
  return u;
}

/**
 * A condition with no neutral form. On a native step it joins the native block; a command step
 * with such a condition becomes a native step as a whole (a step has one kind, and running the
 * command unconditionally elsewhere would not be the same pipeline).
 */
function nativeCondition(ctx: ImportCtx, st: Record<string, unknown>, step: StepIR, sp: string): void {
  const cond = st.condition as string;
  if (step.run === undefined) {
    step.native = { azure: { ...(step.native?.azure ?? {}), condition: cond } };
    report(ctx, "PG-ADO-IMPORT-CONDITION", `condition ${JSON.stringify(cond)} kept as native.azure.condition`, st, sp);
    return;
  }
  delete step.run;
  delete step.workingDirectory;
  step.shell = "bash";
  step.native = { azure: { ...strip(st), condition: cond } };
  report(
    ctx,
    "PG-ADO-IMPORT-CONDITION",
    `condition ${JSON.stringify(cond)} has no neutral form; the step is kept whole as native.azure (other providers do not run it)`,
    st,
    sp,
  );
}

/** Settings shared by every step kind. */
function stepSettings(ctx: ImportCtx, st: Record<string, unknown>, step: StepIR, kept: string[], sp: string): void {
  if (st.workingDirectory !== undefined && step.workingDirectory === undefined && step.run !== undefined)
    step.workingDirectory = value(ctx, st.workingDirectory, kept);
  if (isObject(st.env)) for (const [k, v] of Object.entries(st.env)) step.env[k] = branchEnv(k, v) ?? value(ctx, v, kept);
  readDataEnv(step);
  if (typeof st.condition === "string") {
    const c = importCondition(st.condition);
    if (c) step.condition = c;
    else nativeCondition(ctx, st, step, sp);
  }
  if (st.continueOnError === true || st.continueOnError === "true") step.continueOnError = true;
  if (st.timeoutInMinutes !== undefined && Number(st.timeoutInMinutes) > 0) step.timeoutSeconds = Number(st.timeoutInMinutes) * 60;
  if (st.retryCountOnTaskFailure !== undefined) step.retries = Math.min(10, Number(st.retryCountOnTaskFailure) || 0);
  if (step.run !== undefined) {
    const extra = Object.keys(st).filter((k) => !COMMON.has(k) && !["bash", "script", "pwsh", "powershell", "task", "inputs"].includes(k));
    if (extra.length) report(ctx, "PG-ADO-IMPORT-LOSSY", `step settings ${extra.join(", ")} dropped`, st, sp);
  }
}

/** Import a job's steps. */
export function importSteps(ctx: ImportCtx, raw: unknown[], ptr: string): JobParts {
  const out: JobParts = { steps: [], produces: [], consumes: [], uses: [] };
  const used = new Set<string>();
  const pending = new Map<string, string[]>();
  for (let i = 0; i < raw.length; i++) {
    const st = raw[i];
    if (!isObject(st)) continue;
    const sp = `${ptr}/${out.steps.length}`;
    if (isTemplateRef(st)) {
      out.steps.push(templateStep(ctx, st, `step-${out.steps.length + 1}`, sp));
      continue;
    }
    if (importPlumbing(ctx, out, pending, st, raw[i + 1], sp)) continue;
    const kept: string[] = [];
    const step: StepIR = { id: "", shell: "bash", env: {}, continueOnError: false, retries: 0 };
    stepKind(ctx, st, step, kept, sp);
    const name = stepName(st, used);
    if (name !== undefined) step.name = step.id = name;
    else step.id = `step-${out.steps.length + 1}`;
    stepSettings(ctx, st, step, kept, sp);
    if (st.enabled === false || st.enabled === "false") {
      report(ctx, "PG-ADO-IMPORT-LOSSY", "a disabled step (enabled: false) was left out", st, sp);
      continue;
    }
    if (kept.length) report(ctx, "PG-ADO-IMPORT-MACRO", `runtime syntax ${[...new Set(kept)].join(", ")} kept as literal text`, st, sp);
    mark(ctx, sp, st);
    out.steps.push(step);
  }
  for (const [name, paths] of pending) out.produces.push({ name, paths });
  return out;
}
