/**
 * How AWS files of one pipeline name each other other than by path, for the audit's grouping
 * (ProviderBase.links): a CodePipeline declaration (get-pipeline output or a bare declaration) is
 * `codepipeline:NAME` and uses the CodeBuild projects its actions name (`codebuild:NAME`); a
 * projects list (batch-get-projects) or a project file is each project it holds; a
 * get-pipeline-state output is part of its pipeline. Never throws.
 */
import { isObject, type NativeFile, type PipelineLinks } from "@pipeglot/core";
import { classify, parseNative } from "./parse.js";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The ProjectName of every action of a declaration's stages. */
function projectsRun(decl: Record<string, unknown>): string[] {
  const stages = Array.isArray(decl.stages) ? decl.stages.filter(isObject) : [];
  return stages.flatMap((s) =>
    (Array.isArray(s.actions) ? s.actions.filter(isObject) : []).flatMap((a) => {
      const name = isObject(a.configuration) ? str(a.configuration.ProjectName) : undefined;
      return name ? [`codebuild:${name}`] : [];
    }),
  );
}

export function links(file: NativeFile): PipelineLinks {
  const none: PipelineLinks = { is: [], uses: [], partOf: [] };
  const p = parseNative(file);
  if (p.error || !isObject(p.data)) return none;
  const d = p.data;
  switch (classify(d).kind) {
    case "declaration": {
      const decl = isObject(d.pipeline) ? d.pipeline : d;
      const name = str(decl.name);
      return { is: name ? [`codepipeline:${name}`] : [], uses: projectsRun(decl), partOf: [] };
    }
    case "projects":
      return { ...none, is: (d.projects as unknown[]).flatMap((x) => (isObject(x) && str(x.name) ? [`codebuild:${String(x.name)}`] : [])) };
    case "project":
      return { ...none, is: [`codebuild:${String(d.name)}`] };
    case "state":
      return { ...none, partOf: str(d.pipelineName) ? [`codepipeline:${String(d.pipelineName)}`] : [] };
    default:
      return none;
  }
}
