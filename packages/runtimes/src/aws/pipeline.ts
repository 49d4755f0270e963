/**
 * CodePipeline's walk: stages in order; in a stage, actions grouped by runOrder (same runOrder:
 * parallel; a group starts when the one before succeeded); a failed action fails its stage and the
 * run stops there; a rejected manual approval fails its stage; a disabled inbound transition holds
 * the run before that stage.
 */
import type { JobTrace, StageStatus } from "../trace.js";
import { actionKey, runCodeBuild, type BuildContext } from "./build.js";
import type { Action, Compiled, Stage } from "./compiled.js";
import { DOCS } from "./sources.js";

interface StageOutcome {
  status: StageStatus;
  jobs: JobTrace[];
}

const skippedJob = (key: string): JobTrace => ({ key, status: "skipped", files: {}, steps: [], artifacts: {} });

/** The jobs of a stage that does not run: every CodeBuild/other action but approvals, skipped. */
export function skippedStage(c: Compiled, stage: Stage, neutral: string): JobTrace[] {
  return stage.actions.filter((a) => a.actionTypeId.category !== "Approval").map((a) => skippedJob(actionKey(neutral, a, projectOf(c, a)).key));
}

const projectOf = (c: Compiled, a: Action) => (a.actionTypeId.provider === "CodeBuild" ? c.projects.get(a.configuration?.ProjectName ?? "") : undefined);

/** Action groups by runOrder, ascending; actions of one runOrder run in parallel (DOCS.pipelineStructure, runOrder). */
function groups(stage: Stage): Action[][] {
  const orders = [...new Set(stage.actions.map((a) => a.runOrder ?? 1))].sort((a, b) => a - b);
  return orders.map((o) => stage.actions.filter((a) => (a.runOrder ?? 1) === o));
}

export async function runStage(ctx: BuildContext, c: Compiled, stage: Stage): Promise<StageOutcome> {
  const jobs: JobTrace[] = [];
  let status: StageStatus = "succeeded";
  for (const group of groups(stage)) {
    if (status !== "succeeded") {
      for (const a of group) if (a.actionTypeId.category !== "Approval") jobs.push(skippedJob(actionKey(ctx.stage, a, projectOf(c, a)).key));
      continue;
    }
    const results = await Promise.all(group.map((a) => runAction(ctx, c, a)));
    for (const r of results) {
      if (r.job) jobs.push(r.job);
      if (r.rejected) status = "rejected";
      else if (!r.ok && status === "succeeded") status = "failed";
    }
  }
  return { status, jobs };
}

interface ActionOutcome {
  ok: boolean;
  rejected?: boolean;
  job?: JobTrace;
}

async function runAction(ctx: BuildContext, c: Compiled, a: Action): Promise<ActionOutcome> {
  // A manual approval waits for a response; Rejected fails the stage and the run (DOCS.approvals).
  if (a.actionTypeId.category === "Approval") return ctx.opts.reject.includes(ctx.stage) ? { ok: false, rejected: true } : { ok: true };
  const project = projectOf(c, a);
  if (project) {
    const r = await runCodeBuild(ctx, a, project);
    return { ok: r.succeeded, job: r.job };
  }
  const { key } = actionKey(ctx.stage, a, undefined);
  ctx.notes.push(`${key}: the ${a.actionTypeId.category}/${a.actionTypeId.provider} action is not modelled: it fails (${DOCS.actionDeclaration})`);
  return { ok: false, job: { key, status: "failed", files: {}, steps: [], artifacts: {} } };
}
