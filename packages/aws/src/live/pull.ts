/**
 * Provider.pull: a live pipeline as the files the aws importer reads — `pipeline.json`
 * (CreatePipelineInput with the live tags), `codebuild/<project>.json` for every project its
 * CodeBuild actions name, and `transitions.json` when a transition is disabled. Bodies are the
 * client's canonical live bodies, minus the defaults canonical form makes explicit (so that a job
 * without a timeout does not come back with CodeBuild's 60 minutes). Works for pipelines pipeglot
 * does not own too (pull only reads). lastChangedBy (the IAM caller) is never written.
 * Calls (AwsLiveClient): GetPipeline + ListTagsForResource + GetPipelineState + BatchGetProjects.
 */
import { isObject, toJson, type LiveClient, type NativeFile } from "@pipeglot/core";
import { projectsOf } from "./client.js";
import { KIND_PIPELINE, KIND_PROJECT, KIND_TRANSITIONS } from "./kinds.js";
import { type Obj } from "./normalize.js";
import { byText } from "@pipeglot/schema";

function forImport(project: Obj): Obj {
  const p = { ...project };
  if (p.timeoutInMinutes === 60) delete p.timeoutInMinutes;
  if (p.queuedTimeoutInMinutes === 480) delete p.queuedTimeoutInMinutes;
  if (isObject(p.environment) && p.environment.imagePullCredentialsType === "CODEBUILD") {
    const { imagePullCredentialsType: _, ...env } = p.environment;
    p.environment = env;
  }
  return p;
}

export async function pull(client: LiveClient, pipeline: string): Promise<NativeFile[]> {
  const [p, t] = await client.read([
    { kind: KIND_PIPELINE, name: pipeline },
    { kind: KIND_TRANSITIONS, name: pipeline },
  ]);
  if (!p) return [];
  const body = p.body as { pipeline: Obj; tags?: unknown };
  const files: NativeFile[] = [{ path: "pipeline.json", content: toJson(body) }];
  const names = projectsOf(body.pipeline);
  if (names.length) {
    const projects = await client.read(names.map((name) => ({ kind: KIND_PROJECT, name })));
    projects.forEach((l, i) => {
      if (l) files.push({ path: `codebuild/${names[i]}.json`, content: toJson(forImport(l.body as Obj)) });
    });
  }
  if (t && Array.isArray(t.body) && t.body.length) files.push({ path: "transitions.json", content: toJson(t.body) });
  return files.sort(byText((x) => x.path));
}
