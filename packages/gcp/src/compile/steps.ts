/**
 * Neutral steps → Cloud Build steps: one step per neutral step, in the job's image, through a
 * shell entrypoint; env, secretEnv, dir, timeout and allowFailure natively; retries, conditions
 * and renamed secrets through the wrapper script (../wrapper.ts).
 */
import { parseTemplate, type ConditionIR, type JobIR, type StageIR, type StepIR } from "@pipeglot/schema";
import { headerLine, retryLoop } from "@pipeglot/core";
import type { BuildStep } from "../native/build.js";
import { durationString } from "../native/build.js";
import { escapeSubstitutions } from "../native/substitution.js";
import { casePattern, DIALECT, sq, joinPieces, lit, raw, shellRunner, WRAPPER_ARG0, type Piece, type WrapperSpec } from "../wrapper.js";
import { MAX_SECONDS, type Ctx } from "./context.js";
import { inheritedConditions } from "./inherit.js";
import { mergeChecked, STEP_SHAPE } from "./native-shape.js";
import { BRANCH_ENV, MATRIX_ENV_PREFIX, renderText, shellEnv, type RenderEnv } from "./render.js";

export interface JobRef {
  stage: StageIR;
  si: number;
  job: JobIR;
  /** Index of the neutral job (before matrix expansion), for diagnostics. */
  ji: number;
  /** The job's name in step ids (with the matrix suffix). */
  name: string;
  matrix?: Record<string, string>;
  /** Names (expanded) of the jobs of the same stage it needs. */
  needs: string[];
}

const isPlainSecretRef = (value: string): string | undefined => {
  const segs = parseTemplate(value).segments;
  return segs.length === 1 && segs[0]!.kind === "secret" ? segs[0]!.name : undefined;
};

/**
 * The wrapper's condition tests: the branch and variable values are read from the step's env
 * (data), globs and messages quoted. A test that fails prints the fixed marker
 * `pipeglot: <stage|job|step> skipped: …` as the step's first line on stderr and exits 0, so a
 * reader of the log (the local runtime model) can tell a guarded-off step from one that ran.
 */
function condPieces(c: ConditionIR, subst: ReadonlyMap<string, string>, what: string, shell: Set<string>): Piece[] {
  const out: Piece[] = [];
  if (c.branches.length) {
    shell.add(BRANCH_ENV);
    const skip = sq(`pipeglot: ${what} skipped: branch condition ${c.branches.join(", ")}`);
    out.push(lit(`case "\${${BRANCH_ENV}}" in ${c.branches.map(casePattern).join("|")}) ;; *) echo ${skip} >&2; exit 0 ;; esac\n`));
  }
  for (const [k, v] of Object.entries(c.variables)) {
    const key = subst.get(k) ?? "_" + k;
    shell.add(key);
    out.push(lit(`[ "\${${key}}" = ${sq(v)} ] || { echo ${sq(`pipeglot: ${what} skipped: ${k} is not ${v}`)} >&2; exit 0; }\n`));
  }
  return out;
}

/** A neutral value inside a bash double-quoted string (references rendered for Cloud Build). */
function dqValue(value: string, env: RenderEnv): Piece[] {
  return parseTemplate(value).segments.map((s): Piece => {
    switch (s.kind) {
      case "text":
        return lit(s.value.replace(/["$`\\]/g, (c) => "\\" + c));
      case "secret":
        env.secrets?.add(s.name);
        return lit(`\${${s.name}}`);
      default:
        return raw(
          renderText(s.kind === "var" ? `\${{ vars.${s.name} }}` : s.kind === "git" ? `\${{ git.${s.name} }}` : `\${{ matrix.${s.name} }}`, {
            ...env,
            shell: env.shell ?? new Set(),
          }),
        );
    }
  });
}

export function compileStep(ctx: Ctx, ref: JobRef, step: StepIR, n: number, id: string, waitFor: string[]): BuildStep {
  const { job } = ref;
  const sp = `/stages/${ref.si}/jobs/${ref.ji}/steps/${n}`;
  const secrets = new Set<string>();
  /** What the step's scripts read from its env (variables, the branch): see render.ts. */
  const shell = new Set<string>();
  const renv: RenderEnv = { subst: ctx.subst, matrix: ref.matrix, secrets, branch: ctx.branch };
  const senv: RenderEnv = { ...renv, shell };
  const image = renderText(job.image, { subst: ctx.subst, matrix: ref.matrix, branch: ctx.branch });
  let out: BuildStep = { id, name: image };
  const merged = { ...job.env, ...step.env };
  const { envEntries, runtimeEnv } = stepEnv(ctx, ref, step, sp, merged, renv);
  if (step.run !== undefined) runStep(ctx, ref, step, n, out, runtimeEnv, renv, senv);
  if (step.run === undefined && !step.native?.gcp) notTranslated(ctx, out, step, sp, `step ${id}`);
  envEntries.push(...dataEnv(ctx, shell, merged, sp, ref.matrix));
  if (envEntries.length) out.env = envEntries;
  if (secrets.size) out.secretEnv = [...secrets].sort();
  if (step.workingDirectory !== undefined) out.dir = renderText(step.workingDirectory, renv);
  out.waitFor = waitFor;
  stepTimeout(ctx, step, sp, out);
  if (step.continueOnError) out.allowFailure = true;
  out = mergeNatives(ctx, ref, step, sp, id, out);
  argLimit(ctx, out, id, step.run !== undefined ? `${sp}/run` : sp);
  return out;
}

/** The step's env (job env, then step env): env entries, secrets by their own name, and what the wrapper exports at run time (values holding a secret). */
function stepEnv(
  ctx: Ctx,
  ref: JobRef,
  step: StepIR,
  sp: string,
  merged: Record<string, string>,
  renv: RenderEnv,
): { envEntries: string[]; runtimeEnv: Record<string, string> } {
  const envEntries: string[] = [];
  const runtimeEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(merged)) {
    const secret = isPlainSecretRef(v);
    if (secret !== undefined && secret === k) renv.secrets!.add(k);
    else if (parseTemplate(v).segments.some((s) => s.kind === "secret")) {
      runtimeEnv[k] = v;
      const from = k in step.env ? `${sp}/env/${k}` : `/stages/${ref.si}/jobs/${ref.ji}/env/${k}`;
      ctx.report("PG-GCB-SECRET-ALIAS", from, `env ${k} holds ${JSON.stringify(v)}: set by an export in the step's wrapper script from the secret variable`);
    } else envEntries.push(`${k}=${renderText(v, renv)}`);
  }
  return { envEntries, runtimeEnv };
}

/** The step's entrypoint and args: its shell with the command, or the wrapper (retries, conditions, exports) around it. */
function runStep(ctx: Ctx, ref: JobRef, step: StepIR, n: number, out: BuildStep, runtimeEnv: Record<string, string>, renv: RenderEnv, senv: RenderEnv): void {
  const { job, stage } = ref;
  const sp = `/stages/${ref.si}/jobs/${ref.ji}/steps/${n}`;
  const spec: WrapperSpec = {};
  const cmd = commandText(ctx, step, renv, senv, sp);
  if (parseTemplate(step.run!).segments.some((s) => s.kind === "secret"))
    ctx.report("PG-GCB-SECRET-IN-COMMAND", `${sp}/run`, `a secret in the command became the shell variable reference \${NAME} (availableSecrets + secretEnv)`);
  if (step.retries > 0) {
    spec.retries = step.retries;
    ctx.report("PG-GCB-RETRY", `${sp}/retries`, `retries: ${step.retries} became a shell retry loop (${step.retries + 1} attempts)`);
  }
  if (job.retries > 0) {
    spec.jobRetries = job.retries;
    if (n === 0)
      ctx.report(
        "PG-GCB-JOB-RETRY",
        `/stages/${ref.si}/jobs/${ref.ji}/retries`,
        `job retries: ${job.retries} became a retry loop around each of its ${job.steps.length} step(s)`,
      );
  }
  const when: NonNullable<WrapperSpec["when"]> = {};
  if (stage.condition) when.stage = stage.condition;
  if (job.condition) when.job = job.condition;
  if (step.condition) when.step = step.condition;
  if (Object.keys(when).length) spec.when = when;
  const after = inheritedConditions(ctx.ir, stage, job);
  if (after.stage.length || after.job.length)
    spec.after = { ...(after.stage.length ? { stage: after.stage } : {}), ...(after.job.length ? { job: after.job } : {}) };
  if (Object.keys(runtimeEnv).length) spec.env = runtimeEnv;
  const needsWrapper =
    spec.retries !== undefined || spec.jobRetries !== undefined || spec.when !== undefined || spec.after !== undefined || spec.env !== undefined;
  if (step.shell !== "bash")
    ctx.report("PG-GCB-SHELL", `${sp}/shell`, `shell ${step.shell} runs as the step entrypoint; the image ${job.image} must provide it`);
  if (!needsWrapper) {
    const [entry, flag] = step.shell === "pwsh" ? ["pwsh", "-Command"] : [step.shell, "-c"];
    out.entrypoint = entry;
    out.args = [flag, cmd];
  } else {
    if (step.shell !== "bash") spec.shell = step.shell;
    out.entrypoint = "bash";
    out.args = ["-c", wrapperScript(ctx, spec, runtimeEnv, senv, senv.shell!, step.shell), WRAPPER_ARG0, cmd];
  }
}

/** The step timeout (clamped to Cloud Build's 24h). */
function stepTimeout(ctx: Ctx, step: StepIR, sp: string, out: BuildStep): void {
  if (step.timeoutSeconds === undefined) return;
  let t = step.timeoutSeconds;
  if (t > MAX_SECONDS) {
    ctx.report("PG-GCB-TIMEOUT-CLAMPED", `${sp}/timeout`, `step timeout ${t}s is above 24h; clamped to ${MAX_SECONDS}s`);
    t = MAX_SECONDS;
  }
  out.timeout = durationString(t);
}

/** The stage's, job's and step's native.gcp merged into the step (each reported). */
function mergeNatives(ctx: Ctx, ref: JobRef, step: StepIR, sp: string, id: string, out: BuildStep): BuildStep {
  const { job, stage } = ref;
  for (const [frag, p] of [
    [stage.native?.gcp, `/stages/${ref.si}/native/gcp`],
    [job.native?.gcp, `/stages/${ref.si}/jobs/${ref.ji}/native/gcp`],
    [step.native?.gcp, `${sp}/native/gcp`],
  ] as const) {
    if (frag) {
      const merged = mergeChecked(ctx, out, frag as Record<string, unknown>, STEP_SHAPE, p);
      if (merged !== out) ctx.report("PG-GCB-NATIVE", p, `native.gcp merged into step ${id}: ${Object.keys(frag).sort().join(", ")}`);
      out = merged;
    }
  }
  return out;
}

/** The wrapper script: its header, the guards (inherited ones first, then stage, job, step), the runtime exports, the retry loop or exec. */
function wrapperScript(ctx: Ctx, spec: WrapperSpec, runtimeEnv: Record<string, string>, senv: RenderEnv, shell: Set<string>, sh: StepIR["shell"]): string {
  const pieces: Piece[] = [lit(headerLine(spec) + "\n")];
  const { when = {}, after = {} } = spec;
  const at =
    (lvl: string) =>
    (c: ConditionIR | undefined): [string, ConditionIR | undefined] => [lvl, c];
  const guards = [
    ...(after.stage ?? []).map(at("stage")),
    at("stage")(when.stage),
    ...(after.job ?? []).map(at("job")),
    at("job")(when.job),
    at("step")(when.step),
  ];
  for (const [lvl, c] of guards) if (c) pieces.push(...condPieces(c, ctx.subst, lvl, shell));
  for (const [k, v] of Object.entries(runtimeEnv)) pieces.push(lit(`export ${k}="`), ...dqValue(v, senv), lit('"\n'));
  const attempts = 1 + Math.max(spec.retries ?? 0, spec.jobRetries ?? 0);
  const runner = shellRunner(sh);
  if (attempts > 1) pieces.push(lit(retryLoop(runner, attempts, DIALECT)));
  else pieces.push(lit(`exec ${runner}\n`));
  return joinPieces(pieces);
}

/** The longest step argument Cloud Build accepts ("invalid build: build step N arg M too long (max: 10000)"). */
const MAX_ARG_CHARS = 10000;

/** A step argument Cloud Build would refuse, measured as Cloud Build reads it ($$ is one $ once substitutions are applied). */
function argLimit(ctx: Ctx, out: BuildStep, id: string, path: string): void {
  (out.args ?? []).forEach((a, i) => {
    if (typeof a !== "string" || a.length <= MAX_ARG_CHARS) return;
    const chars = a.split("$$").join("$").length;
    if (chars > MAX_ARG_CHARS)
      ctx.report(
        "PG-GCB-ARG-LIMIT",
        path,
        `step ${id}: argument ${i + 1} is ${chars} characters; Cloud Build refuses a step argument over ${MAX_ARG_CHARS} ("build step arg too long (max: ${MAX_ARG_CHARS})")`,
      );
  });
}

/** The command text: in bash and sh, variables and the branch are read from the env; other shells get them pasted (with a warning). */
function commandText(ctx: Ctx, step: StepIR, renv: RenderEnv, senv: RenderEnv, sp: string): string {
  if (step.shell === "bash" || step.shell === "sh") return renderText(step.run!, senv);
  const pasted = parseTemplate(step.run!).segments.filter((s) => s.kind === "var" || (s.kind === "git" && s.name === "branch"));
  if (pasted.length)
    ctx.report(
      "PG-GCB-VARIABLE-TEXT",
      `${sp}/run`,
      `shell ${step.shell}: ${pasted.map((s) => (s.kind === "var" ? `vars.${s.name}` : "git.branch")).join(", ")} pasted into the script by Cloud Build's substitution pass; a value given when a build starts becomes ${step.shell} code`,
    );
  return renderText(step.run!, renv);
}

/** The env entries that carry variables and the branch as data; a user env of the same name wins, with a warning. */
function dataEnv(ctx: Ctx, shell: ReadonlySet<string>, userEnv: Record<string, string>, sp: string, matrix?: Record<string, string>): string[] {
  const taken = [...shell].filter((n) => n in userEnv);
  const what = (n: string) =>
    n === BRANCH_ENV ? "the branch" : n.startsWith(MATRIX_ENV_PREFIX) ? `matrix value ${n.slice(MATRIX_ENV_PREFIX.length)}` : `substitution ${n}`;
  for (const n of taken)
    ctx.report("PG-GCB-ENV-RESERVED", `${sp}/env`, `env ${n} is also the name the step's script reads ${what(n)} from: the script sees the env value instead`);
  return shellEnv(new Set([...shell].filter((n) => !(n in userEnv))), matrix, ctx.branch);
}

/**
 * A step (or a job) with nothing Cloud Build can run — only another provider's `native` — becomes
 * a step that fails with a message: a bare step would silently run the image's default command.
 */
export function notTranslated(ctx: Ctx, out: BuildStep, step: StepIR | undefined, path: string, what: string): void {
  const others = Object.keys(step?.native ?? {}).sort();
  const why = others.length ? `is native.${others.join("/native.")} only` : "has no steps";
  ctx.report("PG-GCB-NOT-TRANSLATED", step?.native ? `${path}/native` : path, `${what} ${why}: it became a step that fails with a message`);
  out.entrypoint = "bash";
  out.args = [
    "-c",
    escapeSubstitutions(
      `echo ${sq(`pipeglot: ${what} ${why}, it has no Cloud Build translation; translate it by hand (see PG-GCB-NOT-TRANSLATED)`)} >&2\nexit 1`,
    ),
  ];
}

export { escapeSubstitutions };
