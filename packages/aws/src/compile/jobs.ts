/**
 * One neutral job (or one matrix cell) → one CodePipeline action + one CodeBuild project with an
 * inline buildspec 0.2. Jobs whose `native.aws.action` names another action type become that
 * action only.
 */
import { isObject, mergeNative, toYaml, type MatrixCell } from "@pipeglot/core";
import { renderTemplate, type JobIR } from "@pipeglot/schema";
import { COMPUTE_TYPES, type Buildspec, type CreateProjectInput } from "../native/codebuild.js";
import { CODEBUILD_TYPE, type ActionDeclaration } from "../native/codepipeline.js";
import { BUILDSPEC_SHELL, copyInputsCommand, TAG, MANAGED_BY, NO_STEPS, headerLine, toCodeBuildGlob, type JobMeta } from "../encoding.js";
import { actionArtifacts, type ArtifactPlan } from "./artifacts.js";
import type { Ctx } from "./context.js";
import { passThrough } from "./native-action.js";
import { injectJobEnv, jobEnv, type JobEnv } from "./job-env.js";
import { compileSteps, type CompiledSteps } from "./job-steps.js";

interface JobInput {
  path: string;
  job: JobIR;
  cell?: MatrixCell;
  actionName: string;
  projectName: string;
  runOrder: number;
  /** AWS artifact names of the whole pipeline. */
  artifacts: ArtifactPlan;
}

interface JobOutput {
  action: ActionDeclaration;
  project?: CreateProjectInput;
  buildspec?: string;
}

/** A job is a native action when its native.aws.action names an action type other than CodeBuild. */
function nativeActionOf(job: JobIR): Record<string, unknown> | undefined {
  const a = job.native?.aws?.action;
  if (!isObject(a)) return undefined;
  const t = a.actionTypeId;
  if (isObject(t) && t.provider !== undefined && t.provider !== "CodeBuild") return a;
  if (job.steps.length === 0 && isObject(t)) return a;
  return undefined;
}

export function compileJob(ctx: Ctx, inp: JobInput): JobOutput {
  const { job, path } = inp;
  const native = job.native?.aws ?? {};
  for (const k of Object.keys(native))
    if (!["action", "project", "buildspec"].includes(k))
      ctx.report(
        "PG-AWS-NATIVE-KEY",
        `${path}/native/aws/${k}`,
        `job-level native.aws.${k} is ignored: use action (merged into the CodePipeline action), project (the CodeBuild project) or buildspec`,
      );

  const nativeAction = nativeActionOf(job);
  const io = actionArtifacts(inp.artifacts, job, inp.cell?.suffix, nativeAction !== undefined);
  if (nativeAction) {
    const base: ActionDeclaration = { name: inp.actionName, actionTypeId: CODEBUILD_TYPE, runOrder: inp.runOrder };
    return { action: passThrough(ctx, withArtifacts(mergeNative(base, nativeAction), io), path) };
  }

  const cellValues = inp.cell?.values ?? {};
  const meta = jobMeta(ctx, inp);
  const env = jobEnv(ctx, cellValues);
  const { secretEnv, actionEnvKeys } = injectJobEnv(ctx, env, job, path, cellValues);
  if (Object.keys(secretEnv).length) meta.secretEnv = secretEnv;
  const steps = compileSteps(ctx, job, path, env);
  meta.steps = steps.steps;
  const { text: buildspecText, produced } = buildspecOf(inp, meta, env, steps, io.inputs.slice(1), actionEnvKeys);
  const project = projectOf(ctx, inp, buildspecText, steps.docker);
  const action = actionOf(ctx, inp, project.name, env, io, produced.length);
  return { action, project, buildspec: project.source.buildspec ?? buildspecText };
}

/** The header's job-level part: the neutral name, needs, environment, matrix cell. */
function jobMeta(ctx: Ctx, inp: JobInput): JobMeta {
  const { job, path } = inp;
  const meta: JobMeta = { job: job.name, steps: [] };
  if (job.needs.length) meta.needs = [...job.needs];
  if (job.environment !== undefined) {
    meta.environment = job.environment;
    ctx.report(
      "PG-AWS-ENVIRONMENT",
      `${path}/environment`,
      `environment ${JSON.stringify(job.environment)} has no CodePipeline object; kept as the ${TAG.environment} project tag (use native.aws.action for an ECS/CodeDeploy/CloudFormation deploy action)`,
    );
  }
  if (job.matrix && inp.cell) {
    meta.matrix = structuredClone(job.matrix);
    meta.cell = { ...inp.cell.values };
    if (job.image.includes("${{")) meta.image = job.image;
  }
  return meta;
}

/** The buildspec text (header first) and the AWS names of the artifacts it produces. */
function buildspecOf(
  inp: JobInput,
  meta: JobMeta,
  e: JobEnv,
  steps: CompiledSteps,
  consumed: string[],
  actionEnvKeys: string[],
): { text: string; produced: { aws: string; files: string[] }[] } {
  const { job } = inp;
  const phases = steps.phases;
  if (consumed.length) {
    const first = phases[steps.firstPhase]!;
    first.commands = [copyInputsCommand(consumed), ...(first.commands ?? []).filter((c) => c !== NO_STEPS)];
    meta.setup = 1;
  }
  const env: NonNullable<Buildspec["env"]> = { shell: BUILDSPEC_SHELL };
  if (Object.keys(e.variables).length) env.variables = e.variables;
  if (Object.keys(e.ps).length) env["parameter-store"] = e.ps;
  if (Object.keys(e.sm).length) env["secrets-manager"] = e.sm;
  const buildspec: Buildspec = { version: 0.2, env, phases };
  const produced = job.produces.map((a) => ({ aws: inp.artifacts.produced(job.id, inp.cell?.suffix, a.name), files: a.paths.map(toCodeBuildGlob) }));
  if (produced.length === 1) buildspec.artifacts = { files: produced[0]!.files };
  else if (produced.length > 1) buildspec.artifacts = { "secondary-artifacts": Object.fromEntries(produced.map((a) => [a.aws, { files: a.files }])) };
  let spec: Buildspec = buildspec;
  for (const f of steps.fragments) spec = mergeNative(spec, f);
  const native = job.native?.aws ?? {};
  if (isObject(native.buildspec)) spec = mergeNative(spec, native.buildspec);
  const renamed = job.produces.map((a, n) => [produced[n]!.aws, a.name] as const).filter(([aws, neutral]) => aws !== neutral);
  if (renamed.length) meta.artifacts = Object.fromEntries(renamed);
  if (actionEnvKeys.length) meta.actionEnv = actionEnvKeys;
  // Each step's command runs in its own bash process (wrapCommand): import reads the steps in that form.
  meta.isolated = true;
  return { text: toYaml(spec, [headerLine(meta)]), produced };
}

/** The CodeBuild project (native.aws.project merged in). */
function projectOf(ctx: Ctx, inp: JobInput, buildspecText: string, docker: boolean): CreateProjectInput {
  const { job, path } = inp;
  const cellValues = inp.cell?.values ?? {};
  const image = inp.cell
    ? renderTemplate(job.image, { text: (t) => t, var: () => "", secret: () => "", git: () => "", matrix: (n) => cellValues[n] ?? "" })
    : job.image;
  const computeType = ctx.settings.computeType ?? COMPUTE_TYPES[job.runner];
  const project: CreateProjectInput = {
    name: inp.projectName,
    ...(job.description !== undefined ? { description: job.description.slice(0, 255) } : {}),
    source: { type: "CODEPIPELINE", buildspec: buildspecText },
    artifacts: { type: "CODEPIPELINE" },
    environment: { type: "LINUX_CONTAINER", image, computeType, ...(docker ? { privilegedMode: true } : {}) },
    serviceRole: ctx.settings.codebuildRoleArn,
  };
  if (docker) ctx.report("PG-AWS-PRIVILEGED", `${path}/steps`, `job ${job.name} runs docker: its CodeBuild project runs in privileged mode`);
  if (job.timeoutSeconds !== undefined) {
    const min = Math.ceil(job.timeoutSeconds / 60);
    const clamped = Math.min(2160, Math.max(5, min));
    if (clamped * 60 !== job.timeoutSeconds)
      ctx.report("PG-AWS-TIMEOUT-ADJUSTED", path, `job timeout ${job.timeoutSeconds}s written as ${clamped} minutes (CodeBuild takes whole minutes, 5..2160)`);
    project.timeoutInMinutes = clamped;
  }
  if (job.retries) project.autoRetryLimit = job.retries;
  const tags: { key: string; value: string }[] = [
    { key: TAG.managedBy, value: MANAGED_BY },
    { key: TAG.hash, value: "" }, // filled in by compile's withOwnHash
  ];
  if (job.environment !== undefined) tags.push({ key: TAG.environment, value: job.environment.replace(/[^\p{L}\p{Z}\p{N}_.:/=@+-]/gu, "-").slice(0, 255) });
  project.tags = tags;
  const native = job.native?.aws ?? {};
  return isObject(native.project) ? mergeNative(project, native.project) : project;
}

/** The CodePipeline action that runs the project (native.aws.action merged in). */
function actionOf(ctx: Ctx, inp: JobInput, projectName: string, e: JobEnv, io: { inputs: string[]; outputs: string[] }, produced: number): ActionDeclaration {
  const { job, path } = inp;
  const configuration: Record<string, string> = { ProjectName: projectName };
  const inputs = io.inputs;
  const consumes = inputs.slice(1);
  if (inputs.length > 1) configuration.PrimarySource = inp.artifacts.source;
  if (e.actionEnv.size) {
    const list = [...e.actionEnv].map(([name, value]) => ({ name, value, type: "PLAINTEXT" }));
    configuration.EnvironmentVariables = JSON.stringify(list);
    if (configuration.EnvironmentVariables.length > 1000)
      ctx.report(
        "PG-AWS-LIMIT",
        path,
        `the action's EnvironmentVariables configuration is ${configuration.EnvironmentVariables.length} characters; CodePipeline allows 1000`,
      );
  }
  if (inputs.length > 5)
    ctx.report(
      "PG-AWS-LIMIT",
      `${path}/artifacts`,
      `a CodeBuild action takes at most 5 input artifacts; job ${job.name} has ${inputs.length} (the source and ${consumes.join(", ")})`,
    );
  if (produced > 5) ctx.report("PG-AWS-LIMIT", `${path}/artifacts`, `a CodeBuild action produces at most 5 artifacts; job ${job.name} has ${produced}`);
  const action: ActionDeclaration = { name: inp.actionName, actionTypeId: CODEBUILD_TYPE, runOrder: inp.runOrder, configuration };
  const native = job.native?.aws ?? {};
  return withArtifacts(isObject(native.action) ? passThrough(ctx, mergeNative(action, native.action), path) : action, io);
}

/** Set an action's artifact lists (after any native merge, which would replace them wholesale). */
function withArtifacts(action: ActionDeclaration, io: { inputs: string[]; outputs: string[] }): ActionDeclaration {
  const out: ActionDeclaration = { ...action };
  delete out.inputArtifacts;
  delete out.outputArtifacts;
  if (io.inputs.length) out.inputArtifacts = io.inputs.map((name) => ({ name }));
  if (io.outputs.length) out.outputArtifacts = io.outputs.map((name) => ({ name }));
  return out;
}
