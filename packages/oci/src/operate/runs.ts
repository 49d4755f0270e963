/**
 * Finding runs: a build run by id (or the deployment it started), the latest one, the neutral run
 * of a build run with its deployment (GetBuildRun, then GetDeployment of the trigger stage's one).
 */
import { noRuns, runNotFound, type Obj, type PipelineRun } from "@pipeglot/core";
import { runs } from "./calls.js";
import type { OperateContext } from "./context.js";
import { deploymentIdOf, toRun } from "./model.js";

/** How many of the newest build runs are searched for a deployment's build run. */
const SEARCH = 50;

export async function recentBuildRuns(ctx: OperateContext, limit: number): Promise<Obj[]> {
  const pipelineId = String(ctx.live.build.id);
  return (await runs(ctx.client, `list the build runs of ${ctx.ref.pipeline}`, (api) => api.listBuildRuns({ buildPipelineId: pipelineId, limit }))).items;
}

async function notFound(ctx: OperateContext, run: string): Promise<Error> {
  const known = (await recentBuildRuns(ctx, 5)).map((r) => String(r.id));
  return runNotFound(ctx.ref.pipeline, run, known);
}

async function buildRunFor(ctx: OperateContext, run: string): Promise<Obj> {
  if (run.startsWith("ocid1.devopsdeployment.")) {
    for (const summary of await recentBuildRuns(ctx, SEARCH)) {
      const b = await runs(ctx.client, `read build run ${String(summary.id)}`, (api) => api.getBuildRun(String(summary.id)));
      if (deploymentIdOf(b) === run) return b;
    }
    throw await notFound(ctx, run);
  }
  let b: Obj;
  try {
    b = await runs(ctx.client, `read build run ${run}`, (api) => api.getBuildRun(run));
  } catch (e) {
    if ((e as { kind?: string }).kind === "not-found") throw await notFound(ctx, run);
    throw e;
  }
  if (b.buildPipelineId !== ctx.live.build.id) throw await notFound(ctx, run);
  return b;
}

/** The neutral run of a build run (read again unless given), with the deployment it started. */
export async function runOf(ctx: OperateContext, buildRun: Obj): Promise<PipelineRun> {
  const deploymentId = deploymentIdOf(buildRun);
  const deployment = deploymentId ? await runs(ctx.client, `read deployment ${deploymentId}`, (api) => api.getDeployment(deploymentId)) : undefined;
  return toRun(ctx.ref.pipeline, ctx.layout, { buildRun, ...(deployment ? { deployment } : {}) }, ctx.live.deploy !== undefined);
}

/** A run by pipeglot's id (the build run), a deployment's id, or the latest run. */
export async function findRun(ctx: OperateContext, run?: string): Promise<PipelineRun> {
  if (run) return runOf(ctx, await buildRunFor(ctx, run));
  const latest = (await recentBuildRuns(ctx, 1))[0];
  if (!latest) throw noRuns(ctx.ref.pipeline);
  return runOf(ctx, await runs(ctx.client, `read build run ${String(latest.id)}`, (api) => api.getBuildRun(String(latest.id))));
}
