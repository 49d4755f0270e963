/**
 * The live pipeline a run command names: its build pipeline (displayName = the definition's name,
 * tagged pipeglot-pipeline), the build stages, and the deploy pipeline its TRIGGER_DEPLOYMENT_PIPELINE
 * stage starts, with its stages.
 */
import { PipeglotError, type Obj } from "@pipeglot/core";
import { KIND, type OciLiveClient } from "../live/index.js";
import { TAG } from "../conventions.js";
import { listAll, refusal, str, tagsOf } from "./calls.js";

export interface LivePipeline {
  name: string;
  projectId: string;
  build: Obj;
  buildStages: Obj[];
  deploy?: Obj;
  deployStages: Obj[];
}

export function projectOf(client: OciLiveClient): string {
  const p = client.settings.projectId;
  if (!p) throw new PipeglotError("no OCI DevOps project: set targets.oci.projectId in the definition or PIPEGLOT_OCI_PROJECT_ID", "config");
  return p;
}

export async function livePipeline(client: OciLiveClient, name: string): Promise<LivePipeline> {
  const projectId = projectOf(client);
  const named = (await listAll(client, KIND.buildPipeline, { projectId, displayName: name }, `list the build pipelines of project ${projectId}`)).filter(
    (p) => p.displayName === name,
  );
  const build = named.find((p) => tagsOf(p)[TAG.pipeline] === name) ?? named[0];
  if (!build)
    throw new PipeglotError(`OCI DevOps project ${projectId} has no build pipeline ${name}: apply the definition first (pipeglot apply)`, "not-found");
  const buildStages = await listAll(client, KIND.buildStage, { buildPipelineId: String(build.id) }, `list the stages of build pipeline ${name}`);
  const trigger = buildStages.find((s) => s.buildPipelineStageType === "TRIGGER_DEPLOYMENT_PIPELINE");
  const deployId = trigger ? str(trigger.deployPipelineId) : undefined;
  if (!deployId) return { name, projectId, build, buildStages, deployStages: [] };
  let deploy: Obj;
  try {
    deploy = (await client.edge.call(() => client.api.kinds[KIND.deployPipeline].get(deployId))).body;
  } catch (e) {
    throw refusal(`read deploy pipeline ${deployId}`, e);
  }
  const deployStages = await listAll(
    client,
    KIND.deployStage,
    { deployPipelineId: deployId },
    `list the stages of deploy pipeline ${String(deploy.displayName)}`,
  );
  return { name, projectId, build, buildStages, deploy, deployStages };
}
