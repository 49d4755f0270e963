/**
 * CloudFormation / SAM template → the API shapes (PipelineDeclaration, CreateProjectInput[],
 * transitions), resolving intrinsics statically where possible (intrinsics.ts).
 */
import type { SourceMap } from "@pipeglot/schema";
import { fromCfn, PIPELINE_RESOURCE, PROJECT_RESOURCE, type Template } from "../native/cloudformation.js";
import type { PipelineDeclaration, Tag, Transition } from "../native/codepipeline.js";
import type { CreateProjectInput } from "../native/codebuild.js";
import type { ImportReport } from "./parse.js";
import { isObject } from "@pipeglot/core";
import { Intrinsics } from "./intrinsics.js";

interface CfnPipeline {
  logicalId: string;
  declaration: PipelineDeclaration;
  tags: Tag[];
  transitions: Transition[];
  /** The native pointer of the pipeline's properties. */
  base: string;
}

interface CfnResult {
  pipelines: CfnPipeline[];
  projects: { project: CreateProjectInput; ptr: string; logicalId: string }[];
}

export function readTemplate(t: Template, map: SourceMap, report: ImportReport): CfnResult {
  const resources = isObject(t.Resources) ? t.Resources : {};
  const intrinsics = new Intrinsics(t, map, report);
  const resolve = (v: unknown, ptr: string) => intrinsics.resolve(v, ptr);
  const out: CfnResult = { pipelines: [], projects: [] };
  for (const [id, r] of Object.entries(resources)) {
    if (!isObject(r) || !isObject(r.Properties)) continue;
    const base = `/Resources/${id}/Properties`;
    if (r.Type === PROJECT_RESOURCE) {
      const props = resolve(r.Properties, base) as Record<string, unknown>;
      const p = fromCfn(props) as CreateProjectInput;
      if (typeof p.name !== "string") p.name = id;
      out.projects.push({ project: p, ptr: base, logicalId: id });
    } else if (r.Type === PIPELINE_RESOURCE) {
      const props = resolve(r.Properties, base) as Record<string, unknown>;
      const transitions: Transition[] = (Array.isArray(props.DisableInboundStageTransitions) ? props.DisableInboundStageTransitions : [])
        .filter(isObject)
        .map((t) => ({ stageName: String(t.StageName), enabled: false as const, reason: String(t.Reason ?? "") }));
      const tags = (Array.isArray(props.Tags) ? props.Tags : []).filter(isObject).map((t) => ({ key: String(t.Key), value: String(t.Value ?? "") }));
      const rest = { ...props };
      delete rest.DisableInboundStageTransitions;
      delete rest.Tags;
      delete rest.RestartExecutionOnUpdate;
      const decl = fromCfn(rest) as PipelineDeclaration;
      if (typeof decl.name !== "string") decl.name = id;
      out.pipelines.push({ logicalId: id, declaration: decl, tags, transitions, base });
    }
  }
  return out;
}
