/**
 * Pipeline IR → AWS output: pipeline.json (CreatePipelineInput), one CreateProjectInput and its
 * buildspec per job (or matrix cell), transitions.json when transitions are disabled, and the
 * same pipeline as a CloudFormation template. Pure and deterministic.
 */
import { mergeNative, sortKeys, toJson, type CompileOptions, type OutputFile, type ProviderOutput } from "@pipeglot/core";
import { sortDiagnostics, type PipelineIR } from "@pipeglot/schema";
import { createHash } from "node:crypto";
import type { CreatePipelineInput, PipelineDeclaration, Tag } from "../native/codepipeline.js";
import { ARTIFACT_NAME, PIPELINE_NAME, STAGE_NAME, registry } from "../names.js";
import { MANAGED_BY, TAG } from "../encoding.js";
import { cloudFormation } from "./cloudformation.js";
import { planArtifacts } from "./artifacts.js";
import { makeContext } from "./context.js";
import { sourceStage } from "./source.js";
import { compileStages } from "./stages.js";
import { byText } from "@pipeglot/schema";

/**
 * The `pipeglot:hash` tag of one resource: sha256 of its own body (keys sorted, the hash tag left
 * out), so that an edit of the definition changes the hash of the resources it changes, no others.
 */
function withOwnHash<T extends { tags?: Tag[] }>(resource: T): T {
  const others = (resource.tags ?? []).filter((t) => t.key !== TAG.hash);
  const hash = createHash("sha256")
    .update(JSON.stringify(sortKeys({ ...resource, tags: others })))
    .digest("hex");
  return { ...resource, tags: (resource.tags ?? []).map((t) => (t.key === TAG.hash ? { ...t, value: hash } : t)) };
}

const CONCURRENCY = { queue: "QUEUED", supersede: "SUPERSEDED", parallel: "PARALLEL" } as const;

type Ctx = ReturnType<typeof makeContext>;

/** Pipeline variables: CodePipeline's fields, with its limits reported. */
function pipelineVariables(ctx: Ctx, ir: PipelineIR): PipelineDeclaration["variables"] {
  const vars = Object.entries(ir.variables);
  if (!vars.length) return undefined;
  for (const [name, v] of vars) {
    if (v.default.length > 1000)
      ctx.report("PG-AWS-LIMIT", `/variables/${name}`, `variable ${name}'s default is ${v.default.length} characters; CodePipeline allows 1000`);
    if (/[\n\r\u0085\u2028\u2029]/.test(v.default))
      ctx.report("PG-AWS-LIMIT", `/variables/${name}`, `variable ${name}'s default spans lines; CodePipeline variable values are one line`);
    if ((v.description?.length ?? 0) > 200)
      ctx.report("PG-AWS-LIMIT", `/variables/${name}/description`, `variable ${name}'s description is longer than CodePipeline's 200 characters`);
  }
  if (vars.length > 50) ctx.report("PG-AWS-LIMIT", "/variables", `${vars.length} variables; CodePipeline allows 50`);
  return vars.map(([name, v]) => ({
    name,
    ...(v.default !== "" ? { defaultValue: v.default } : {}),
    // CodePipeline's patterns (.*) stop at a line break: a description is written on one line.
    ...(v.description !== undefined ? { description: v.description.replace(/\r\n|[\n\r\u0085\u2028\u2029]/g, " ") } : {}),
  }));
}

/** The pipeline's tags: ownership, and what CodePipeline has no field for (each reported). */
function pipelineTags(ctx: Ctx, ir: PipelineIR, stageNeeds: Record<string, unknown>): Tag[] {
  const tags: Tag[] = [
    { key: TAG.managedBy, value: MANAGED_BY },
    { key: TAG.hash, value: "" }, // filled in by withOwnHash
  ];
  if (ir.description !== undefined) {
    tags.push({ key: TAG.description, value: ir.description.slice(0, 256) });
    ctx.report(
      "PG-AWS-DESCRIPTION",
      "/description",
      `CodePipeline has no description field: kept in the ${TAG.description} tag${ir.description.length > 256 ? " (cut to 256 characters)" : ""}`,
    );
  }
  if (ir.source.provider !== undefined && ir.source.provider !== "codecommit") {
    tags.push({ key: TAG.sourceProvider, value: ir.source.provider });
    ctx.report(
      "PG-AWS-SOURCE-PROVIDER",
      "/source/provider",
      `source.provider ${ir.source.provider} is kept in the ${TAG.sourceProvider} tag; the CodeStar connection decides the host`,
    );
  }
  const fixed = Object.entries(ir.variables)
    .filter(([, v]) => !v.overridable)
    .map(([n]) => n);
  if (fixed.length) {
    tags.push({ key: TAG.fixedVariables, value: fixed.join(" ").slice(0, 256) });
    ctx.report(
      "PG-AWS-VARIABLE-FIXED",
      `/variables/${fixed[0]}`,
      `CodePipeline lets whoever starts a run override any variable; ${fixed.join(", ")} ${fixed.length === 1 ? "is" : "are"} listed in the ${TAG.fixedVariables} tag`,
    );
  }
  if (Object.keys(stageNeeds).length) {
    const v = JSON.stringify(stageNeeds);
    if (v.length <= 256) tags.push({ key: TAG.stageNeeds, value: v });
  }
  return tags;
}

export function compile(ir: PipelineIR, opts: CompileOptions = {}): ProviderOutput {
  const ctx = makeContext(ir);
  const pipelineName = registry(PIPELINE_NAME).take(ir.name);
  const stageNames = registry(STAGE_NAME);
  const artifactNames = registry(ARTIFACT_NAME);
  const sourceStageName = stageNames.take("Source");
  const artifacts = planArtifacts(ctx, artifactNames);
  const src = sourceStage(ctx, sourceStageName, artifacts.source);
  const st = compileStages(ctx, stageNames, artifacts);

  const pipeline: PipelineDeclaration = {
    name: pipelineName,
    roleArn: ctx.settings.roleArn,
    artifactStore: { type: "S3", location: ctx.settings.artifactBucket },
    stages: [src.stage, ...st.stages],
    executionMode: CONCURRENCY[ir.concurrency],
    pipelineType: "V2",
  };
  const variables = pipelineVariables(ctx, ir);
  if (variables) pipeline.variables = variables;
  if (src.triggers.length) pipeline.triggers = src.triggers;
  const tags = pipelineTags(ctx, ir, st.stageNeeds);

  let input: CreatePipelineInput = { pipeline, tags };
  if (ir.native?.aws) input = { ...input, pipeline: mergeNative(pipeline, ir.native.aws) };
  input = withOwnHash(input);
  for (const p of st.projects) p.project = withOwnHash(p.project);

  const files: OutputFile[] = [{ path: "pipeline.json", kind: "codepipeline.CreatePipelineInput", content: toJson(input) }];
  for (const { project, buildspec } of st.projects) {
    files.push({ path: `codebuild/${project.name}.json`, kind: "codebuild.CreateProjectInput", content: toJson(project) });
    files.push({ path: `codebuild/${project.name}.buildspec.yml`, kind: "codebuild.Buildspec", content: buildspec });
  }
  if (st.transitions.length) files.push({ path: "transitions.json", kind: "codepipeline.Transitions", content: toJson(st.transitions) });
  if (opts.extras !== false) {
    const template = cloudFormation(
      input,
      st.projects.map((p) => p.project),
      st.transitions,
      ctx.refs,
    );
    files.push({ path: "cloudformation.yaml", kind: "cloudformation.Template", content: template });
  }
  files.sort(byText((x) => x.path));
  return { provider: "aws", pipeline: ir.name, files, diagnostics: sortDiagnostics(ctx.diagnostics) };
}
