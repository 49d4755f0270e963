/**
 * One neutral job (or one matrix cell) → one CodePipeline action + one CodeBuild project with an
 * inline buildspec 0.2. Jobs whose `native.aws.action` names another action type become that
 * action only.
 */
import { isObject, mergeNative, toYaml, type MatrixCell } from "@pipeglot/core";
import { parseTemplate, renderTemplate, type JobIR, type StepIR } from "@pipeglot/schema";
import { COMPUTE_TYPES, type Buildspec, type BuildspecPhase, type CreateProjectInput, type PhaseName } from "../native/codebuild.js";
import { CODEBUILD_TYPE, type ActionDeclaration } from "../native/codepipeline.js";
import {
  BUILDSPEC_SHELL,
  copyInputsCommand,
  GIT_BRANCH_VALUE,
  GIT_BRANCH_VAR,
  GIT_COMMIT_VALUE,
  GIT_COMMIT_VAR,
  TAG,
  MANAGED_BY,
  NO_STEPS,
  headerLine,
  needsWrapper,
  renderCommand,
  toCodeBuildGlob,
  wrapCommand,
  type JobMeta,
  type StepMeta,
} from "../encoding.js";
import { actionArtifacts, type ArtifactPlan } from "./artifacts.js";
import type { Ctx } from "./context.js";
import { passThrough } from "./native-action.js";
import { secretTarget } from "./secrets.js";

export interface JobInput {
  path: string;
  job: JobIR;
  cell?: MatrixCell;
  actionName: string;
  projectName: string;
  runOrder: number;
  /** AWS artifact names of the whole pipeline. */
  artifacts: ArtifactPlan;
}

export interface JobOutput {
  action: ActionDeclaration;
  project?: CreateProjectInput;
  buildspec?: string;
}

/** A job is a native action when its native.aws.action names an action type other than CodeBuild. */
export function nativeActionOf(job: JobIR): Record<string, unknown> | undefined {
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
      ctx.report("PG-AWS-NATIVE-KEY", `${path}/native/aws/${k}`, `job-level native.aws.${k} is ignored: use action (merged into the CodePipeline action), project (the CodeBuild project) or buildspec`);

  const nativeAction = nativeActionOf(job);
  const io = actionArtifacts(inp.artifacts, job, inp.cell?.suffix, nativeAction !== undefined);
  if (nativeAction) {
    const base: ActionDeclaration = { name: inp.actionName, actionTypeId: CODEBUILD_TYPE, runOrder: inp.runOrder };
    return { action: passThrough(ctx, withArtifacts(mergeNative(base, nativeAction), io), path) };
  }

  const cellValues = inp.cell?.values ?? {};
  const meta: JobMeta = { job: job.name, steps: [] };
  if (job.needs.length) meta.needs = [...job.needs];
  if (job.environment !== undefined) {
    meta.environment = job.environment;
    ctx.report("PG-AWS-ENVIRONMENT", `${path}/environment`, `environment ${JSON.stringify(job.environment)} has no CodePipeline object; kept as the ${TAG.environment} project tag (use native.aws.action for an ECS/CodeDeploy/CloudFormation deploy action)`);
  }
  if (job.matrix && inp.cell) {
    meta.matrix = structuredClone(job.matrix);
    meta.cell = { ...cellValues };
    if (job.image.includes("${{")) meta.image = job.image;
  }

  // Environment: what the buildspec and the action inject.
  const variables: Record<string, string> = {};
  const sm: Record<string, string> = {};
  const ps: Record<string, string> = {};
  const actionEnv = new Map<string, string>();
  const injectSecret = (env: string, secret: string, p: string) => {
    const t = secretTarget(ctx, secret, p);
    if (t) (t.store === "secrets-manager" ? sm : ps)[env] = t.id;
  };
  const injectRefs = (text: string, p: string) => {
    for (const s of parseTemplate(text).segments) {
      if (s.kind === "var") actionEnv.set(s.name, `#{variables.${s.name}}`);
      else if (s.kind === "secret") injectSecret(s.name, s.name, p);
      else if (s.kind === "git") actionEnv.set(s.name === "commit" ? GIT_COMMIT_VAR : GIT_BRANCH_VAR, s.name === "commit" ? GIT_COMMIT_VALUE : GIT_BRANCH_VALUE);
    }
  };
  for (const [k, v] of Object.entries(cellValues)) variables[k] = v;

  const secretEnv: Record<string, string> = {};
  const actionEnvKeys: string[] = [];
  for (const [k, v] of Object.entries(job.env)) {
    const p = `${path}/env/${k}`;
    const segs = parseTemplate(v).segments;
    if (segs.length === 1 && segs[0]!.kind === "secret") {
      secretEnv[k] = segs[0]!.name;
      injectSecret(k, segs[0]!.name, p);
    } else if (segs.every((s) => s.kind === "text")) {
      variables[k] = v;
    } else if (segs.some((s) => s.kind === "secret")) {
      const s = segs.find((x) => x.kind === "secret") as { name: string };
      ctx.report("PG-AWS-ENV-UNSUPPORTED", p, `${k} mixes the secret ${s.name} with other text; CodeBuild injects a secret only as a whole value, so ${k} is the secret alone`);
      secretEnv[k] = s.name;
      injectSecret(k, s.name, p);
    } else {
      if (segs.some((s) => s.kind === "matrix"))
        ctx.report("PG-AWS-ENV-UNSUPPORTED", p, `${k} uses a matrix value in an env value; written with this cell's value`);
      const value = renderTemplate(v, {
        text: (t) => t,
        var: (n) => `#{variables.${n}}`,
        secret: () => "",
        matrix: (n) => cellValues[n] ?? "",
        git: (n) => (n === "commit" ? GIT_COMMIT_VALUE : GIT_BRANCH_VALUE),
      });
      actionEnv.set(k, value);
      actionEnvKeys.push(k);
    }
  }
  if (Object.keys(secretEnv).length) meta.secretEnv = secretEnv;

  // Steps → phases.
  type Segment = { commands: string[]; finally: string[] };
  const segments: Segment[] = [{ commands: [], finally: [] }];
  let docker = false;
  const buildspecFragments: Record<string, unknown>[] = [];
  job.steps.map((st, n) => notTranslated(ctx, st, `${path}/steps/${n}`)).forEach((st: StepIR, n) => {
    const p = `${path}/steps/${n}`;
    if (st.native?.aws) buildspecFragments.push(st.native.aws);
    if (st.run === undefined) return;
    const m: StepMeta = {};
    if (st.name !== undefined) m.name = st.name;
    else if (st.id !== `step-${n + 1}`) m.name = st.id;
    if (st.shell !== "bash") m.shell = st.shell;
    if (st.workingDirectory !== undefined) m.workingDirectory = st.workingDirectory;
    if (Object.keys(st.env).length) m.env = { ...st.env };
    if (st.timeoutSeconds !== undefined) m.timeout = st.timeoutSeconds;
    if (st.retries) m.retries = st.retries;
    if (st.continueOnError) m.continueOnError = true;
    const c = st.condition;
    if (c) {
      // Branch/variable conditions: a shell guard on PIPEGLOT_BRANCH and the pipeline variables.
      if (c.branches.length) {
        m.branches = [...c.branches];
        injectRefs("${{ git.branch }}", `${p}/condition/branches`);
      }
      if (Object.keys(c.variables).length) {
        m.variables = { ...c.variables };
        for (const [k, v] of Object.entries(c.variables)) {
          if (k in ctx.ir.variables) injectRefs(`\${{ vars.${k} }}`, `${p}/condition/variables/${k}`);
          injectRefs(v, `${p}/condition/variables/${k}`);
        }
      }
      if (c.status === "always") m.when = "always";
      if (c.status === "failure") {
        m.when = "failure";
        ctx.report("PG-AWS-STEP-FAILURE-ONLY", `${p}/condition`, `step ${st.id} runs only on failure: emulated in the buildspec finally block with a CODEBUILD_BUILD_SUCCEEDING guard`);
      }
    }
    injectRefs(st.run, `${p}/run`);
    for (const [k, v] of Object.entries(st.env)) injectRefs(v, `${p}/env/${k}`);
    if (/\bdocker\b/.test(st.run)) docker = true;
    if (needsWrapper(m)) {
      const what = [
        m.shell && `shell ${m.shell}`,
        m.workingDirectory !== undefined && "workingDirectory",
        m.env && "env",
        m.timeout !== undefined && "timeout",
        m.retries && "retries",
        m.continueOnError && "continueOnError",
        (m.branches || m.variables) && `condition on ${[m.branches && "branches", m.variables && "variables"].filter(Boolean).join(" and ")}`,
      ].filter(Boolean);
      if (what.length) ctx.report("PG-AWS-STEP-EMULATED", p, `step ${st.id}: ${what.join(", ")} emulated with a shell wrapper around the command`);
    }
    const command = wrapCommand(renderCommand(st.run), m);
    let seg = segments[segments.length - 1]!;
    if (m.when) seg.finally.push(command);
    else {
      if (seg.finally.length) {
        ctx.report("PG-AWS-STEP-ORDER", p, `step ${st.id} follows a step that always runs: it starts the next buildspec phase`);
        seg = { commands: [], finally: [] };
        segments.push(seg);
      }
      seg.commands.push(command);
    }
    meta.steps.push(m);
  });
  const phaseNames: PhaseName[][] = [[], ["build"], ["build", "post_build"], ["pre_build", "build", "post_build"], ["install", "pre_build", "build", "post_build"]];
  if (segments.length > 4) {
    ctx.report("PG-AWS-STEP-ORDER", `${path}/steps`, `${segments.length} groups of always-run steps; a buildspec has 4 phases: the last groups share post_build`);
    while (segments.length > 4) {
      const last = segments.pop()!;
      segments[3]!.finally.push(...last.commands, ...last.finally);
    }
  }
  const phases: Partial<Record<PhaseName, BuildspecPhase>> = {};
  segments.forEach((seg, i) => {
    const ph: BuildspecPhase = {};
    if (seg.commands.length || !seg.finally.length) ph.commands = seg.commands;
    if (seg.finally.length) ph.finally = seg.finally;
    if (!ph.commands?.length && !ph.finally) ph.commands = [NO_STEPS];
    phases[phaseNames[segments.length]![i]!] = ph;
  });

  const consumed = io.inputs.slice(1);
  if (consumed.length) {
    const first = phases[phaseNames[segments.length]![0]!]!;
    first.commands = [copyInputsCommand(consumed), ...(first.commands ?? []).filter((c) => c !== NO_STEPS)];
    meta.setup = 1;
  }

  const buildspec: Buildspec = { version: 0.2 };
  const env: NonNullable<Buildspec["env"]> = { shell: BUILDSPEC_SHELL };
  if (Object.keys(variables).length) env.variables = variables;
  if (Object.keys(ps).length) env["parameter-store"] = ps;
  if (Object.keys(sm).length) env["secrets-manager"] = sm;
  buildspec.env = env;
  buildspec.phases = phases;
  const produced = job.produces.map((a) => ({ aws: inp.artifacts.produced(job.id, inp.cell?.suffix, a.name), files: a.paths.map(toCodeBuildGlob) }));
  if (produced.length === 1) buildspec.artifacts = { files: produced[0]!.files };
  else if (produced.length > 1) buildspec.artifacts = { "secondary-artifacts": Object.fromEntries(produced.map((a) => [a.aws, { files: a.files }])) };
  let spec: Buildspec = buildspec;
  for (const f of buildspecFragments) spec = mergeNative(spec, f);
  if (isObject(native.buildspec)) spec = mergeNative(spec, native.buildspec);
  const renamed = job.produces.map((a, n) => [produced[n]!.aws, a.name] as const).filter(([aws, neutral]) => aws !== neutral);
  if (renamed.length) meta.artifacts = Object.fromEntries(renamed);
  if (actionEnvKeys.length) meta.actionEnv = actionEnvKeys;
  // Each step's command runs in its own bash process (wrapCommand): import reads the steps in that form.
  meta.isolated = true;
  const buildspecText = toYaml(spec, [headerLine(meta)]);

  // The CodeBuild project.
  const image = inp.cell ? renderTemplate(job.image, { text: (t) => t, var: () => "", secret: () => "", git: () => "", matrix: (n) => cellValues[n] ?? "" }) : job.image;
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
  const finalProject = isObject(native.project) ? mergeNative(project, native.project) : project;

  // The action.
  const configuration: Record<string, string> = { ProjectName: finalProject.name };
  const inputs = io.inputs;
  const consumes = inputs.slice(1);
  if (inputs.length > 1) configuration.PrimarySource = inp.artifacts.source;
  if (actionEnv.size) {
    const list = [...actionEnv].map(([name, value]) => ({ name, value, type: "PLAINTEXT" }));
    configuration.EnvironmentVariables = JSON.stringify(list);
    if (configuration.EnvironmentVariables.length > 1000)
      ctx.report("PG-AWS-LIMIT", path, `the action's EnvironmentVariables configuration is ${configuration.EnvironmentVariables.length} characters; CodePipeline allows 1000`);
  }
  if (inputs.length > 5) ctx.report("PG-AWS-LIMIT", `${path}/artifacts`, `a CodeBuild action takes at most 5 input artifacts; job ${job.name} has ${inputs.length} (the source and ${consumes.join(", ")})`);
  if (produced.length > 5) ctx.report("PG-AWS-LIMIT", `${path}/artifacts`, `a CodeBuild action produces at most 5 artifacts; job ${job.name} has ${produced.length}`);
  const action: ActionDeclaration = {
    name: inp.actionName,
    actionTypeId: CODEBUILD_TYPE,
    runOrder: inp.runOrder,
    configuration,
  };
  const finalAction = withArtifacts(isObject(native.action) ? passThrough(ctx, mergeNative(action, native.action), path) : action, io);
  return { action: finalAction, project: finalProject, buildspec: finalProject.source.buildspec ?? buildspecText };
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

/**
 * A step with only another provider's `native` has nothing CodeBuild can run: it becomes a command
 * that fails with a message (as on the other clouds), never a step that silently vanishes.
 */
function notTranslated(ctx: Ctx, st: StepIR, path: string): StepIR {
  if (st.run !== undefined || st.native?.aws || !st.native) return st;
  const others = Object.keys(st.native).sort();
  const what = `step ${st.id} is native.${others.join("/native.")} only`;
  ctx.report("PG-AWS-NOT-TRANSLATED", `${path}/native`, `${what}: it became a command that fails with a message`);
  return { ...st, run: `echo '${`pipeglot: ${what}, it has no CodeBuild translation; translate it by hand (see PG-AWS-NOT-TRANSLATED)`}' >&2; exit 1` };
}
