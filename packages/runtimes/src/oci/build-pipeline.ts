/**
 * The build pipeline run: its stages in their predecessor DAG (dag.ts), each by its type —
 * BUILD (build-stage.ts), DELIVER_ARTIFACT (deliver.ts), TRIGGER_DEPLOYMENT_PIPELINE (deploy.ts),
 * WAIT (no delay modelled).
 * https://docs.oracle.com/iaas/Content/devops/using/managing_build_pipelines.htm
 */
import { runBuildStage } from "./build-stage.js";
import type { RunContext } from "./context.js";
import { runDag } from "./dag.js";
import { runDeliver } from "./deliver.js";
import { runDeployPipeline } from "./deploy.js";
import type { PipelineStage } from "./files.js";

async function runStage(ctx: RunContext, s: PipelineStage): Promise<boolean> {
  switch (s.type) {
    case "BUILD":
      return runBuildStage(ctx, s);
    case "DELIVER_ARTIFACT": {
      const ok = runDeliver(ctx, s);
      if (!ok) ctx.pipelineFailed = true;
      return ok;
    }
    case "TRIGGER_DEPLOYMENT_PIPELINE": {
      // isPassAllParametersEnabled: the build run's parameters, with the exported variables'
      // values, become the deployment's arguments (triggerdeploy_stage.htm).
      const passed = s.raw.isPassAllParametersEnabled === true ? { ...ctx.params, ...ctx.exported } : {};
      const ok = await runDeployPipeline(ctx, passed);
      if (!ok) ctx.pipelineFailed = true;
      return ok;
    }
    case "WAIT":
      return true;
    default:
      ctx.notes.push(`build stage type ${s.type} (${s.displayName}) is not modelled: it fails`);
      ctx.pipelineFailed = true;
      return false;
  }
}

export async function runBuildPipeline(ctx: RunContext): Promise<void> {
  await runDag(ctx.files.buildStages, (s) => runStage(ctx, s));
}
