/**
 * A job's steps → the phases of its buildspec: each step one command (its options applied by the
 * shell wrapper, encoding.ts wrapCommand), steps that always run in a phase's `finally` block.
 */
import type { JobIR, StepIR } from "@pipeglot/schema";
import type { BuildspecPhase, PhaseName } from "../native/codebuild.js";
import { NO_STEPS, needsWrapper, renderCommand, wrapCommand, type StepMeta } from "../encoding.js";
import type { Ctx } from "./context.js";
import type { JobEnv } from "./job-env.js";

/** Commands up to (and including) a run of always-run steps: one buildspec phase. */
interface Segment {
  commands: string[];
  finally: string[];
}

export interface CompiledSteps {
  phases: Partial<Record<PhaseName, BuildspecPhase>>;
  /** The name of the first phase (where setup commands go). */
  firstPhase: PhaseName;
  /** Each step's options, for the header. */
  steps: StepMeta[];
  /** Some step runs docker (the project needs privileged mode). */
  docker: boolean;
  /** Steps' native.aws fragments, merged into the buildspec. */
  fragments: Record<string, unknown>[];
}

const PHASE_NAMES: PhaseName[][] = [
  [],
  ["build"],
  ["build", "post_build"],
  ["pre_build", "build", "post_build"],
  ["install", "pre_build", "build", "post_build"],
];

export function compileSteps(ctx: Ctx, job: JobIR, path: string, env: JobEnv): CompiledSteps {
  const segments: Segment[] = [{ commands: [], finally: [] }];
  const out: CompiledSteps = { phases: {}, firstPhase: "build", steps: [], docker: false, fragments: [] };
  job.steps
    .map((st, n) => notTranslated(ctx, st, `${path}/steps/${n}`))
    .forEach((st: StepIR, n) => {
      const p = `${path}/steps/${n}`;
      if (st.native?.aws) out.fragments.push(st.native.aws);
      if (st.run === undefined) return;
      const m = stepMeta(ctx, st, n, p, env);
      env.injectRefs(st.run, `${p}/run`);
      for (const [k, v] of Object.entries(st.env)) env.injectRefs(v, `${p}/env/${k}`);
      if (/\bdocker\b/.test(st.run)) out.docker = true;
      reportEmulated(ctx, m, st, p);
      place(ctx, segments, wrapCommand(renderCommand(st.run), m), m, st, p);
      out.steps.push(m);
    });
  const names = phaseNames(ctx, segments, path);
  segments.forEach((seg, i) => {
    const ph: BuildspecPhase = {};
    if (seg.commands.length || !seg.finally.length) ph.commands = seg.commands;
    if (seg.finally.length) ph.finally = seg.finally;
    if (!ph.commands?.length && !ph.finally) ph.commands = [NO_STEPS];
    out.phases[names[i]!] = ph;
  });
  out.firstPhase = names[0]!;
  return out;
}

/** A step's options as the header records them; its condition's references are injected. */
function stepMeta(ctx: Ctx, st: StepIR, n: number, p: string, env: JobEnv): StepMeta {
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
  if (!c) return m;
  // Branch/variable conditions: a shell guard on PIPEGLOT_BRANCH and the pipeline variables.
  if (c.branches.length) {
    m.branches = [...c.branches];
    env.injectRefs("${{ git.branch }}", `${p}/condition/branches`);
  }
  if (Object.keys(c.variables).length) {
    m.variables = { ...c.variables };
    for (const [k, v] of Object.entries(c.variables)) {
      if (k in ctx.ir.variables) env.injectRefs(`\${{ vars.${k} }}`, `${p}/condition/variables/${k}`);
      env.injectRefs(v, `${p}/condition/variables/${k}`);
    }
  }
  if (c.status === "always") m.when = "always";
  if (c.status === "failure") {
    m.when = "failure";
    ctx.report(
      "PG-AWS-STEP-FAILURE-ONLY",
      `${p}/condition`,
      `step ${st.id} runs only on failure: emulated in the buildspec finally block with a CODEBUILD_BUILD_SUCCEEDING guard`,
    );
  }
  return m;
}

function reportEmulated(ctx: Ctx, m: StepMeta, st: StepIR, p: string): void {
  if (!needsWrapper(m)) return;
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

/** Put a step's command in the last segment (its finally block for an always-run step); a step after always-run steps starts a segment. */
function place(ctx: Ctx, segments: Segment[], command: string, m: StepMeta, st: StepIR, p: string): void {
  let seg = segments[segments.length - 1]!;
  if (m.when) return void seg.finally.push(command);
  if (seg.finally.length) {
    ctx.report("PG-AWS-STEP-ORDER", p, `step ${st.id} follows a step that always runs: it starts the next buildspec phase`);
    seg = { commands: [], finally: [] };
    segments.push(seg);
  }
  seg.commands.push(command);
}

/** The phase of each segment; over 4 segments, the last ones share post_build. */
function phaseNames(ctx: Ctx, segments: Segment[], path: string): PhaseName[] {
  if (segments.length > 4) {
    ctx.report(
      "PG-AWS-STEP-ORDER",
      `${path}/steps`,
      `${segments.length} groups of always-run steps; a buildspec has 4 phases: the last groups share post_build`,
    );
    while (segments.length > 4) {
      const last = segments.pop()!;
      segments[3]!.finally.push(...last.commands, ...last.finally);
    }
  }
  return PHASE_NAMES[segments.length]!;
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
