/**
 * Provider.desired: what apply writes, from compile's files (same bodies, in canonical form — see
 * normalize.ts):
 *   codebuild/<project>.json  → codebuild.Project/<project>           (CreateProjectInput)
 *   pipeline.json             → codepipeline.Pipeline/<pipeline>      (CreatePipelineInput {pipeline, tags}), after every project
 *   transitions.json          → codepipeline.Transitions/<pipeline>   (the disabled transitions), after the pipeline
 * The transitions resource is always there (an empty list when no transition is disabled), so that
 * a transition someone disabled by hand, or one the definition enables again, shows in the plan:
 * disabled transitions are not part of the pipeline's declaration or its version.
 * Every project and the pipeline get the `pipeglot:pipeline` tag (ownership.ts): the identity that
 * keeps two pipelines whose names fold to the same project name apart.
 */
import { keyString, type DesiredResource, type ProviderOutput } from "@pipeglot/core";
import { KIND_PIPELINE, KIND_PROJECT, KIND_TRANSITIONS } from "./kinds.js";
import { canonicalPipelineInput, canonicalProject, canonicalTransitions } from "./normalize.js";
import { withPipelineTag } from "./ownership.js";
import { byText } from "@pipeglot/schema";

export function desired(output: ProviderOutput): DesiredResource[] {
  const projects: DesiredResource[] = [];
  let pipeline: DesiredResource | undefined;
  let transitions: unknown = [];
  for (const f of output.files) {
    if (f.kind === "codebuild.CreateProjectInput") {
      const body = withPipelineTag(canonicalProject(JSON.parse(f.content)), output.pipeline);
      if (typeof body.name !== "string") throw new Error(`${f.path}: a CodeBuild project without a name`);
      projects.push({ key: { kind: KIND_PROJECT, name: body.name }, body, dependsOn: [] });
    } else if (f.kind === "codepipeline.CreatePipelineInput") {
      const body = withPipelineTag(canonicalPipelineInput(JSON.parse(f.content)), output.pipeline);
      if (typeof body.pipeline.name !== "string") throw new Error(`${f.path}: a pipeline without a name`);
      pipeline = { key: { kind: KIND_PIPELINE, name: body.pipeline.name }, body, dependsOn: [] };
    } else if (f.kind === "codepipeline.Transitions") {
      transitions = JSON.parse(f.content);
    }
  }
  if (!pipeline) throw new Error(`the aws output of ${output.pipeline} has no pipeline.json`);
  projects.sort(byText((x) => x.key.name));
  pipeline.dependsOn = projects.map((p) => keyString(p.key));
  const t: DesiredResource = {
    key: { kind: KIND_TRANSITIONS, name: pipeline.key.name },
    body: canonicalTransitions(transitions),
    dependsOn: [keyString(pipeline.key)],
  };
  return [...projects, pipeline, t];
}
