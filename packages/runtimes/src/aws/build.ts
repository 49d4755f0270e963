/**
 * One CodeBuild action as CodePipeline runs it: the primary input artifact unpacked in a fresh
 * CODEBUILD_SRC_DIR (the commands' working directory), each secondary input in its own folder,
 * the buildspec's commands through the driver, then the output artifacts.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { shQuote } from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";
import { neutralJob, observe } from "../model.js";
import type { LocalRunOptions } from "../options.js";
import { fileSet, type Sandbox } from "../sandbox.js";
import { jobKey, type FileSet, type JobTrace } from "../trace.js";
import { ArtifactStore, artifactSpecs } from "./artifacts.js";
import { readBuildspec, readHeader, type Action, type Header, type Project } from "./compiled.js";
import { buildspecCommands, driverScript, readStatus, resumeEnv, type DriverCommand, type StepChannel } from "./driver.js";
import { buildEnv, codeBuildVariables, type VariableScope } from "./environment.js";
import { DOCS } from "./sources.js";
import { stepTraces } from "./steps.js";

export interface BuildContext {
  ir: PipelineIR;
  opts: LocalRunOptions;
  sandbox: Sandbox;
  store: ArtifactStore;
  scope: VariableScope;
  notes: string[];
  /** Neutral stage name of the CodePipeline stage. */
  stage: string;
}

/** The neutral job key of a CodeBuild action: its buildspec header's job and matrix cell, else its name. */
export function actionKey(stage: string, action: Action, project: Project | undefined): { key: string; header?: Header } {
  const header = project?.source.buildspec ? readHeader(project.source.buildspec) : undefined;
  return { key: jobKey(stage, header?.job ?? action.name, header?.cell), ...(header ? { header } : {}) };
}

interface Placed {
  src: string;
  secondary: Record<string, string>;
  missing: string[];
}

/** PrimarySource (or the only input) in CODEBUILD_SRC_DIR; every other input in a folder of its own (DOCS.codeBuildAction). */
function placeInputs(ctx: BuildContext, action: Action, label: string): Placed {
  const inputs = (action.inputArtifacts ?? []).map((a) => a.name);
  const primary = action.configuration?.PrimarySource ?? inputs[0];
  const src = ctx.sandbox.workspace(label, false);
  const missing: string[] = [];
  if (primary !== undefined && !ctx.store.restore(primary, src)) missing.push(primary);
  const secondary: Record<string, string> = {};
  for (const name of inputs.filter((n) => n !== primary)) {
    const dir = ctx.sandbox.workspace(`${label}-${name}`, false);
    if (!ctx.store.restore(name, dir)) missing.push(name);
    secondary[name] = dir;
  }
  return { src, secondary, missing };
}

interface BuildResult {
  job: JobTrace;
  succeeded: boolean;
}

/** Runs one CodeBuild action; retried whole up to the project's autoRetryLimit (DOCS.autoRetry). */
export async function runCodeBuild(ctx: BuildContext, action: Action, project: Project): Promise<BuildResult> {
  let last = await runOnce(ctx, action, project);
  for (let n = 0; !last.succeeded && n < (project.autoRetryLimit ?? 0); n++) last = await runOnce(ctx, action, project);
  return last;
}

async function runOnce(ctx: BuildContext, action: Action, project: Project): Promise<BuildResult> {
  const { key, header } = actionKey(ctx.stage, action, project);
  const text = project.source.buildspec ?? "";
  const spec = readBuildspec(text);
  const placed = placeInputs(ctx, action, key);
  let files = fileSet(placed.src);
  if (project.environment.image) ctx.notes.push("container images are not used: steps run on this machine with bash");
  const env = buildEnv({ ir: ctx.ir, opts: ctx.opts, scope: ctx.scope, action, project, spec, ...(header ? { header } : {}) });
  const fail = (why: string): BuildResult => {
    ctx.notes.push(`${key}: ${why}`);
    return { job: { key, status: "failed", files, steps: stepTraces(header, [], [], [], ctx.sandbox, placed.src), artifacts: {} }, succeeded: false };
  };
  if (placed.missing.length) return fail(`input artifact ${placed.missing.join(", ")} was never produced: the action fails`);
  if (env.unresolved.length) return fail(`CodePipeline cannot resolve ${env.unresolved.join(", ")}: the action fails (${DOCS.variables})`);

  const commands = attribute(buildspecCommands(spec), header, ctx.notes, key);
  const channels = stepChannels(ctx, header);
  const run = await execute(ctx, { spec: text, project, placed, env: env.env, commands, channels, setup: header?.setup ?? 0 });
  const status = readStatus(run.status, commands.length);
  // The files the first step starts with: after pipeglot's setup commands when there are some.
  if (run.snapshot && existsSync(run.snapshot)) files = fileSet(run.snapshot);
  const steps = stepTraces(header, commands, status.commands, channels, ctx.sandbox, placed.src);
  let ok = !run.timedOut && status.failedPhases.length === 0 && run.exit === 0;
  const artifacts: Record<string, FileSet> = {};
  if (ok) {
    for (const [name, aspec] of artifactSpecs(
      spec,
      (action.outputArtifacts ?? []).map((a) => a.name),
    )) {
      const set = aspec ? ctx.store.upload(name, placed.src, aspec) : undefined;
      // UPLOAD_ARTIFACTS fails when the globs match nothing: CLIENT_ERROR "no matching artifact paths found" (DOCS.noMatchingPaths).
      if (!set) {
        ctx.notes.push(`${key}: no file matches the artifact ${name}: CodeBuild fails the build (no matching artifact paths found)`);
        ok = false;
        break;
      }
      artifacts[header?.artifacts?.[name] ?? name] = set;
    }
  }
  return { job: { key, status: ok ? "succeeded" : "failed", files, steps, artifacts: ok ? artifacts : {} }, succeeded: ok };
}

/** Buildspec commands → header steps, one to one in order (what pipeglot's compile writes). */
function attribute(commands: DriverCommand[], header: Header | undefined, notes: string[], key: string): DriverCommand[] {
  const n = header?.steps.length ?? 0;
  // The header's `setup` first commands are pipeglot's own (copying consumed artifacts): no step's.
  const setup = header?.setup ?? 0;
  if (header && n > 0 && n !== commands.length - setup) notes.push(`${key}: ${commands.length - setup} buildspec commands for ${n} steps: attributed in order`);
  return commands.map((c, i) => ({ ...c, step: i >= setup && i - setup < n ? i - setup : -1 }));
}

function stepChannels(ctx: BuildContext, header: Header | undefined): StepChannel[] {
  const job = header ? neutralJob(ctx.ir, ctx.stage, header.job) : undefined;
  return (header?.steps ?? []).map((s, i) => {
    const id = s.name ?? `step-${i + 1}`;
    const step = job?.steps.find((x) => x.id === id);
    const seen = observe(job, step);
    return { log: ctx.sandbox.record ? ctx.sandbox.newLog() : "", watch: seen.watch, makes: ctx.sandbox.record ? seen.makes : [] };
  });
}

interface Execution {
  spec: string;
  project: Project;
  placed: Placed;
  env: Record<string, string>;
  commands: DriverCommand[];
  channels: StepChannel[];
  setup: number;
}

/** One shell for the whole build: `sh` unless the buildspec's env.shell says otherwise (DOCS.shells, DOCS.buildspec). */
async function execute(ctx: BuildContext, x: Execution): Promise<{ exit: number; timedOut: boolean; status: string; snapshot?: string }> {
  const dir = join(ctx.sandbox.root, "aws");
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${x.project.name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  const spec = readBuildspec(x.spec);
  writeFileSync(`${base}.driver`, driverScript(spec, x.commands, x.channels, x.setup));
  const snapshot: Record<string, string> = x.setup ? { PG_AWS_SNAPSHOT: `${base}.files` } : {};
  writeFileSync(`${base}.status`, "");
  const shell = spec.env?.shell && /bash$/.test(spec.env.shell) ? "bash" : "sh";
  const n = ctx.notes.length + 1;
  const env = {
    ...x.env,
    ...codeBuildVariables(ctx.scope.pipeline.name, x.project, ctx.opts.inputs.commit, x.placed.src, x.placed.secondary, n),
    PG_AWS_STATUS: `${base}.status`,
    ...snapshot,
  };
  let extra: Record<string, string> = {};
  const total = (x.project.timeoutInMinutes ?? 60) * 60;
  let deadline = total;
  const started = Date.now();
  for (;;) {
    const r = await ctx.sandbox.bash(`exec ${shell} ${shQuote(`${base}.driver`)}\n`, {
      cwd: x.placed.src,
      env: { ...env, ...extra },
      timeoutSeconds: deadline,
    });
    const status = readFileSync(`${base}.status`, "utf8");
    const dead = readStatus(status, x.commands.length).commands.findIndex((c) => c.started && c.exit === undefined);
    if (r.timedOut || dead < 0) return { exit: r.exit, timedOut: r.timedOut, status, ...(x.setup ? { snapshot: `${base}.files` } : {}) };
    appendFileSync(`${base}.status`, `end ${dead} ${r.exit}\n`);
    extra = resumeEnv(x.commands, dead);
    deadline = Math.max(1, total - Math.floor((Date.now() - started) / 1000));
  }
}
