/**
 * Neutral stages → CodePipeline stages after the source stage: the stage DAG serialized in
 * topological order, each stage's job DAG as runOrder layers, matrix jobs expanded per cell.
 */
import { expandMatrix, mergeNative, type NameRegistry } from "@pipeglot/core";
import { ancestors, layers, topoSort, type StageIR } from "@pipeglot/schema";
import type { StageDeclaration, Transition } from "../native/codepipeline.js";
import type { CreateProjectInput } from "../native/codebuild.js";
import { ACTION_NAME, PROJECT_NAME, registry } from "../names.js";
import { cleanDisabledReason } from "../native/codepipeline.js";
import { approvalAction } from "./approval.js";
import type { ArtifactPlan } from "./artifacts.js";
import type { Ctx } from "./context.js";
import { compileJob } from "./jobs.js";

interface StagesOutput {
  stages: StageDeclaration[];
  projects: { project: CreateProjectInput; buildspec: string }[];
  transitions: Transition[];
  /** Stages whose needs differ from "the stage emitted before": name → needs. */
  stageNeeds: Record<string, string[]>;
}

export function compileStages(ctx: Ctx, stageNames: NameRegistry, artifacts: ArtifactPlan): StagesOutput {
  const { ir } = ctx;
  const byName = new Map(ir.stages.map((s, i) => [s.name, { s, i }]));
  const { order, stageNeeds } = stageOrder(ctx);
  const projects = registry(PROJECT_NAME);
  const out: StagesOutput = { stages: [], projects: [], transitions: [], stageNeeds };
  for (const n of order) {
    const { s, i } = byName.get(n)!;
    const path = `/stages/${i}`;
    const stageName = stageNames.take(s.name);
    if (stageName !== s.name)
      ctx.report("PG-AWS-NAME-CHANGED", `${path}/name`, `stage ${JSON.stringify(s.name)} is called ${JSON.stringify(stageName)} on AWS`);
    if (s.description !== undefined)
      ctx.report("PG-AWS-DESCRIPTION", `${path}/description`, `stage description dropped: CodePipeline stages have no description`);
    reportCondition(ctx, s, path);
    const actionNames = registry(ACTION_NAME);
    const stage: StageDeclaration = { name: stageName, actions: [] };
    if (s.approval) stage.actions.push(approvalAction(ctx, s.approval, actionNames.take("approval"), `${path}/approval`));
    stageJobs(ctx, s, path, { stage, actionNames, projects, artifacts, out, base: s.approval ? 1 : 0 });
    if (stage.actions.length > 50) ctx.report("PG-AWS-LIMIT", path, `stage ${s.name} has ${stage.actions.length} actions; CodePipeline allows 50`);
    out.stages.push(s.native?.aws ? mergeNative(stage, s.native.aws) : stage);
    const transition = transitionOf(ctx, s, stageName, path);
    if (transition) out.transitions.push(transition);
  }
  if (out.stages.length + 1 > 50) ctx.report("PG-AWS-LIMIT", "/stages", `${out.stages.length + 1} stages; CodePipeline allows 50`);
  return out;
}

/** The stages in topological order, and the needs of those whose needs are not "the stage before" (reported when that serializes them). */
function stageOrder(ctx: Ctx): { order: string[]; stageNeeds: Record<string, string[]> } {
  const { ir } = ctx;
  const names = ir.stages.map((s) => s.name);
  const byName = new Map(ir.stages.map((s, i) => [s.name, { s, i }]));
  const order = topoSort(names, (n) => byName.get(n)?.s.needs ?? []) ?? names;
  const stageNeeds: Record<string, string[]> = {};
  order.forEach((n, k) => {
    const { s, i } = byName.get(n)!;
    const prev = k === 0 ? [] : [order[k - 1]!];
    const same = s.needs.length === prev.length && s.needs.every((x, j) => x === prev[j]);
    if (same) return;
    stageNeeds[n] = [...s.needs];
    const indirect = prev.filter((p) => !ancestors(n, (x) => byName.get(x)?.s.needs ?? []).has(p));
    if (indirect.length || order.indexOf(n) !== i)
      ctx.report(
        "PG-AWS-STAGE-SERIALIZED",
        `/stages/${i}/needs`,
        `stage ${n} needs ${JSON.stringify(s.needs)} but CodePipeline runs stages in sequence: it runs after ${prev.join(", ") || "the source stage"}`,
      );
  });
  return { order, stageNeeds };
}

interface StageBuild {
  stage: StageDeclaration;
  actionNames: NameRegistry;
  projects: NameRegistry;
  artifacts: ArtifactPlan;
  out: StagesOutput;
  /** runOrder before the first job layer (1 after an approval). */
  base: number;
}

/** A stage's jobs as actions: its job DAG as runOrder layers, each matrix cell one action and project. */
function stageJobs(ctx: Ctx, s: StageIR, path: string, b: StageBuild): void {
  const jobByName = new Map(s.jobs.map((j, k) => [j.name, { j, k }]));
  const lyr = layers(
    s.jobs.map((j) => j.name),
    (x) => jobByName.get(x)?.j.needs ?? [],
  );
  lyr.forEach((layer, li) => {
    const earlier = lyr.slice(0, li).flat();
    for (const jn of layer) {
      const { j, k } = jobByName.get(jn)!;
      const jp = `${path}/jobs/${k}`;
      const anc = ancestors(jn, (x) => jobByName.get(x)?.j.needs ?? []);
      const extra = earlier.filter((e) => !anc.has(e));
      if (extra.length)
        ctx.report(
          "PG-AWS-JOB-DAG-COARSENED",
          `${jp}/needs`,
          `job ${jn} runs at runOrder ${b.base + li + 1}, so it also waits for ${extra.join(", ")}, which it does not need`,
        );
      if (j.condition) reportJobCondition(ctx, j.condition, `${jp}/condition`, `job ${jn}`);
      const cells = expandMatrix(j);
      const variants = cells.length ? cells.map((c) => ({ cell: c, suffix: `-${c.suffix}` })) : [{ cell: undefined, suffix: "" }];
      for (const v of variants) {
        const actionName = b.actionNames.take(`${j.name}${v.suffix}`);
        const projectName = b.projects.take(`${ctx.ir.name}-${s.name}-${j.name}${v.suffix}`);
        const res = compileJob(ctx, {
          path: jp,
          job: j,
          ...(v.cell ? { cell: v.cell } : {}),
          actionName,
          projectName,
          runOrder: b.base + li + 1,
          artifacts: b.artifacts,
        });
        b.stage.actions.push(res.action);
        if (res.project) b.out.projects.push({ project: res.project, buildspec: res.buildspec! });
      }
    }
  });
}

/** The disabled transition into a stage (its reason cleaned to what DisableStageTransition takes), or undefined. */
function transitionOf(ctx: Ctx, s: StageIR, stageName: string, path: string): Transition | undefined {
  if (s.transition.enabled) {
    if (s.transition.reason !== undefined)
      ctx.report("PG-AWS-TRANSITION-ENABLED-REASON", `${path}/transition/reason`, `the reason on an enabled transition is dropped`);
    return undefined;
  }
  const reason = s.transition.reason ?? "Disabled by pipeglot";
  const clean = cleanDisabledReason(reason);
  if (clean !== reason) {
    ctx.report(
      "PG-AWS-TRANSITION-REASON",
      `${path}/transition/reason`,
      `reason ${JSON.stringify(reason)} written as ${JSON.stringify(clean)} (DisableStageTransition allows letters, digits, spaces and !@().*?- up to 300 characters)`,
    );
  }
  return { stageName, enabled: false, reason: clean };
}

function reportCondition(ctx: Ctx, s: StageIR, path: string) {
  if (s.condition) reportJobCondition(ctx, s.condition, `${path}/condition`, `stage ${s.name}`);
}

function reportJobCondition(ctx: Ctx, c: NonNullable<StageIR["condition"]>, path: string, what: string) {
  const parts = [
    c.status !== "success" && `status ${c.status}`,
    c.branches.length && `branches ${JSON.stringify(c.branches)}`,
    Object.keys(c.variables).length && `variables ${JSON.stringify(c.variables)}`,
  ].filter(Boolean);
  if (parts.length)
    ctx.report(
      "PG-AWS-CONDITION",
      path,
      `${what}: condition on ${parts.join(", ")} dropped; it runs whenever the run reaches it`,
      "gate it with a manual approval, or guard its commands in the buildspec",
    );
}
