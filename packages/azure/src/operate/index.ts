/**
 * pipeglot's run commands on Azure Pipelines (issue #19): `operate` of the provider's live member.
 *   run      PipelinesApi.runPipeline (templateParameters for the YAML's parameters, variables for the rest, the branch)
 *   status   BuildApi.getBuild / getBuilds + getBuildTimeline + GET _apis/pipelines/approvals
 *   approve / reject   PATCH _apis/pipelines/approvals (environment-check approvals)
 *   hold / release     an Approval check on the stage's environments (hold-check.ts)
 */
import type { PipelineRun, ProviderOperate, RunRef, StartRunOptions } from "@pipeglot/core";
import type { AzureLiveClient } from "../live/client.js";
import { decide } from "./decide.js";
import { holdStage } from "./hold-check.js";
import { pipelineLayout, pipelineYaml, yamlParameters } from "./layout-source.js";
import { definitionOf, getBuild, runPipeline } from "./native.js";
import { runModel, status } from "./status.js";

async function start(az: AzureLiveClient, ref: RunRef, opts: StartRunOptions): Promise<PipelineRun> {
  const def = await definitionOf(az, ref.pipeline);
  const yaml = await pipelineYaml(az, ref, def.body);
  const params = new Set(yamlParameters(yaml ?? ""));
  const templateParameters: Record<string, string> = {};
  const variables: Record<string, { value: string }> = {};
  for (const [k, v] of Object.entries(opts.variables ?? {})) {
    if (params.has(k)) templateParameters[k] = v;
    else variables[k] = { value: v };
  }
  const run = await runPipeline(az, def.id, {
    ...(opts.branch ? { resources: { repositories: { self: { refName: opts.branch.startsWith("refs/") ? opts.branch : `refs/heads/${opts.branch}` } } } } : {}),
    ...(Object.keys(templateParameters).length ? { templateParameters } : {}),
    ...(Object.keys(variables).length ? { variables } : {}),
  });
  const build = run.id !== undefined ? await getBuild(az, run.id) : undefined;
  if (!build) throw new Error(`Azure DevOps started run ${String(run.id)} of ${ref.pipeline} but does not show it`);
  return runModel(az, ref.pipeline, build, await pipelineLayout(az, ref, def.body));
}

export const operate: ProviderOperate<AzureLiveClient> = {
  start,
  status: (az, ref, run) => status(az, ref, run),
  decide,
  hold: holdStage,
};
