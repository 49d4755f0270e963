/**
 * The steps of a job (semantics item 6): each as `bash -c RUN` (sh, pwsh, python through their
 * interpreter) in the workspace or its workingDirectory, with the job's and the step's env, its
 * condition judged against the earlier steps, `retries` attempts while it fails, `timeout` (exit
 * 124), and `continueOnError` keeping a failure from failing the job.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { StepIR } from "@pipeglot/schema";
import { observe } from "../model.js";
import { interpreterCommand } from "../sandbox.js";
import type { StepTrace } from "../trace.js";
import { conditionHolds } from "./conditions.js";
import { secondsLeft, type JobContext } from "./context.js";
import { expandScript, renderText, type RefValues } from "./expand.js";

/** The exit status of a step killed by its (or its job's) timeout. */
const TIMEOUT_EXIT = 124;

/** A step that did not run. */
function skippedStep(id: string): StepTrace {
  return { id, status: "skipped", exit: 0, attempts: 0, commands: [] };
}

/** Env values with their references replaced by the values. */
function renderEnv(env: Record<string, string>, values: RefValues): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, renderText(v, values)]));
}

/** The folder a step runs in, or undefined when its workingDirectory is not a folder of the workspace. */
function stepFolder(ctx: JobContext, step: StepIR): string | undefined {
  if (!step.workingDirectory) return ctx.workspace;
  const dir = join(ctx.workspace, renderText(step.workingDirectory, ctx.values));
  return existsSync(dir) && !relative(ctx.workspace, dir).startsWith("..") ? dir : undefined;
}

/** The smaller of the step's timeout and the time its job has left. */
function attemptTimeout(ctx: JobContext, step: StepIR): number | undefined {
  const left = secondsLeft(ctx);
  if (left === undefined) return step.timeoutSeconds;
  return step.timeoutSeconds === undefined ? left : Math.min(step.timeoutSeconds, left);
}

/** Runs one step that its condition lets run: every attempt, until one succeeds or none is left. */
export async function runStep(ctx: JobContext, step: StepIR): Promise<StepTrace> {
  if (step.run === undefined) return nativeStep(ctx, step);
  const cwd = stepFolder(ctx, step);
  if (!cwd) {
    ctx.notes.push(`${ctx.key}/${step.id}: workingDirectory ${step.workingDirectory} is not a folder of the workspace: the step fails`);
    return { id: step.id, status: "failed", exit: 1, attempts: 1, commands: [] };
  }
  const expanded = expandScript(step.run, step.shell, ctx.values);
  const env = { ...renderEnv(ctx.job.env, ctx.values), ...renderEnv(step.env, ctx.values), ...expanded.env };
  const script = interpreterCommand(step.shell, expanded.script) + "\n";
  const log = ctx.opts.record ? ctx.sandbox.newLog() : undefined;
  const seen = observe(ctx.job, step);
  let exit = 0;
  let attempts = 0;
  while (attempts <= step.retries) {
    attempts++;
    const timeoutSeconds = attemptTimeout(ctx, step);
    if (timeoutSeconds === 0) {
      exit = TIMEOUT_EXIT;
      break;
    }
    exit = (await ctx.sandbox.bash(script, { cwd, env, timeoutSeconds, log, ...seen, makesRoot: ctx.workspace })).exit;
    if (exit === 0 || secondsLeft(ctx) === 0) break;
  }
  return { id: step.id, status: exit === 0 ? "succeeded" : "failed", exit, attempts, commands: ctx.sandbox.records(log, ctx.workspace) };
}

/** The steps of a job in order; `failed` when one failed without continueOnError (later steps then run only if their condition says failure or always). */
export async function runSteps(ctx: JobContext): Promise<{ steps: StepTrace[]; failed: boolean }> {
  const steps: StepTrace[] = [];
  let failed = false;
  for (const step of ctx.job.steps) {
    const outOfTime = secondsLeft(ctx) === 0;
    if (outOfTime || !conditionHolds(step.condition, { succeeded: !failed, failed }, ctx.values.inputs)) {
      steps.push(skippedStep(step.id));
      continue;
    }
    const t = await runStep(ctx, step);
    steps.push(t);
    if (t.status === "failed" && !step.continueOnError) failed = true;
  }
  return { steps, failed };
}

/**
 * A native step is its provider's: the reference cannot say what it does, so it assumes it
 * succeeds (and, in record mode, leaves what its job's artifacts name, as a recorded command does).
 */
function nativeStep(ctx: JobContext, step: StepIR): StepTrace {
  ctx.notes.push(`${ctx.key}/${step.id}: a native step is not run by the reference: assumed to succeed`);
  if (ctx.opts.record) {
    for (const p of observe(ctx.job, step).makes) {
      const file = join(ctx.workspace, p);
      if (existsSync(file)) continue;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, "made by a native step (pipeglot run --record)\n");
    }
  }
  return { id: step.id, status: "succeeded", exit: 0, attempts: 1, commands: [] };
}
