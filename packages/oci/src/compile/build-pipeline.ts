/**
 * The build pipeline (CreateBuildPipelineDetails) and its stages (CreateBuildPipelineStageDetails):
 * one BUILD stage per job or matrix cell before the first gate, whose predecessors encode the DAG;
 * then, when the pipeline goes on past a gate, DELIVER_ARTIFACT and TRIGGER_DEPLOYMENT_PIPELINE.
 */
import { mergeNative, toYaml } from "@pipeglot/core";
import { PASSED_VARIABLES, REF, RUNNER_SHAPES, SPEC_DIR_IN_REPO, TAG } from "../conventions.js";
import {
  DEFAULT_RUNNER_IMAGE,
  type BuildSource,
  type CreateBuildPipelineDetails,
  type CreateBuildStageDetails,
  type CreateDeliverArtifactStageDetails,
  type CreateTriggerDeploymentStageDetails,
  type Predecessors,
} from "../native/resources.js";
import type { Context, Unit } from "./context.js";
import { buildSpec, runsOnRunner } from "./build-spec.js";

export const connectionTypeOf = (ctx: Context): BuildSource["connectionType"] => {
  const p = ctx.ir.source.provider;
  return p === "gitlab" ? "GITLAB" : p === "bitbucket" ? "BITBUCKET_CLOUD" : "GITHUB";
};

export function repositoryUrl(ctx: Context): string {
  if (ctx.target.repositoryUrl) return ctx.target.repositoryUrl;
  const host = connectionTypeOf(ctx) === "GITLAB" ? "gitlab.com" : connectionTypeOf(ctx) === "BITBUCKET_CLOUD" ? "bitbucket.org" : "github.com";
  return `https://${host}/${ctx.ir.source.repository}`;
}

export function connectionId(ctx: Context): string {
  return ctx.target.connectionId ?? REF.connection;
}

/** Predecessor ids of a unit (pre-gate: build stages; post-gate: deploy stages). */
export function predecessors(ctx: Context, u: Unit, ref: (name: string) => string, root: string, gateOf: (stage: string) => string | undefined): Predecessors {
  const ids: string[] = [];
  if (u.job.needs.length) {
    for (const n of u.job.needs) for (const p of ctx.unitsOf(u.stage.name, n)) ids.push(ref(p.name));
  } else {
    const gate = gateOf(u.stage.name);
    if (gate) ids.push(gate);
    else ids.push(...stageExits(ctx, u.stage.needs, u.postGate, ref));
  }
  const unique = [...new Set(ids)];
  return { items: (unique.length ? unique : [root]).map((id) => ({ id })) };
}

/** The last OCI stages of the given neutral stages, in the same pipeline (pre- or post-gate). */
export function stageExits(ctx: Context, stageNames: readonly string[], postGate: boolean, ref: (name: string) => string): string[] {
  const out: string[] = [];
  for (const d of stageNames) {
    const s = ctx.stageByName.get(d);
    if (!s || ctx.postGate.has(d) !== postGate) continue;
    for (const j of ctx.terminalJobs(s)) for (const p of ctx.unitsOf(d, j.name)) out.push(ref(p.name));
  }
  return out;
}

export function unitTags(ctx: Context, u: Unit) {
  const t: Record<string, string> = {
    [TAG.stage]: u.stage.name,
    [TAG.stageIndex]: String(u.stageIndex),
    [TAG.stageNeeds]: u.stage.needs.join(","),
    [TAG.job]: u.job.name,
    [TAG.jobIndex]: String(u.jobIndex),
    [TAG.image]: u.job.image,
  };
  if (u.cellIndex !== undefined) t[TAG.cell] = String(u.cellIndex);
  if (u.job.environment !== undefined) t[TAG.environment] = u.job.environment;
  return ctx.tags(t);
}

type PipelineOpts = { crossing: Set<string>; hasDeploy: boolean; postGateProduced: Set<string> };

export function compileBuildPipeline(ctx: Context, opts: PipelineOpts): void {
  const ir = ctx.ir;
  const pipelineTags: Record<string, string> = { [TAG.kind]: "build-pipeline" };
  const fixed = Object.entries(ir.variables)
    .filter(([, v]) => !v.overridable)
    .map(([k]) => k);
  if (fixed.length) pipelineTags[TAG.fixedVariables] = fixed.join(",");
  pipelineTags[TAG.sourceProvider] = ir.source.provider ?? "";
  for (const k of fixed)
    ctx.report(
      "PG-OCI-VARIABLE-FIXED",
      `/variables/${k}`,
      `variable "${k}" is not overridable, but OCI build pipeline parameters can always be set when a run starts`,
    );
  const parameters = Object.entries(ir.variables).map(([k, v]) => ({
    name: ctx.param(k),
    defaultValue: v.default,
    ...(v.description !== undefined ? { description: v.description } : {}),
  }));
  if (opts.hasDeploy)
    for (const p of PASSED_VARIABLES) parameters.push({ name: p, defaultValue: "unset", description: "set by pipeglot for the deploy pipeline" });
  let pipeline: CreateBuildPipelineDetails = {
    projectId: ctx.projectId(),
    displayName: ir.name,
    ...(ir.description !== undefined ? { description: ir.description } : {}),
    ...(parameters.length ? { buildPipelineParameters: { items: parameters } } : {}),
    freeformTags: ctx.tags(pipelineTags),
  };
  pipeline = mergeNative(pipeline, ir.native?.oci);
  ctx.emitJson("build_pipeline.json", "oci.CreateBuildPipelineDetails", pipeline);

  const pre = ctx.units.filter((u) => !u.postGate);
  // Units no other pre-gate unit waits for: they export the values the deploy pipeline needs.
  const waitedFor = new Set<string>();
  for (const u of pre)
    for (const p of predecessors(
      ctx,
      u,
      (n) => n,
      "",
      () => undefined,
    ).items)
      waitedFor.add(p.id);
  const terminal = pre.filter((u) => !waitedFor.has(u.name));
  const connectionType = connectionTypeOf(ctx);
  for (const u of pre) buildStage(ctx, u, opts, opts.hasDeploy && terminal.includes(u), connectionType);
  if (opts.hasDeploy) deployHandOff(ctx, opts, terminal);
}

/** A unit's build spec (a file committed with the source) and the BUILD stage that runs it. */
function buildStage(ctx: Context, u: Unit, opts: PipelineOpts, exports: boolean, connectionType: ReturnType<typeof connectionTypeOf>): void {
  const ir = ctx.ir;
  const spec = buildSpec(ctx, u, { crossing: opts.crossing, exports, postGateProduced: opts.postGateProduced });
  const specPath = `build_specs/${u.name}.yaml`;
  ctx.files.push({
    path: specPath,
    kind: "oci.BuildSpec",
    content: toYaml(spec, [
      `Generated by pipeglot from pipeline "${ir.name}", job "${u.job.id}"${
        u.cell
          ? ` (${Object.entries(u.cell.values)
              .map(([k, v]) => `${k}=${v}`)
              .join(", ")})`
          : ""
      }.`,
      `Commit it as ${SPEC_DIR_IN_REPO}${specPath}; the BUILD stage reads it from there.`,
    ]),
  });
  const runner = runsOnRunner(u.job.image) ? u.job.image : (ctx.target.runnerImage ?? DEFAULT_RUNNER_IMAGE);
  let stage: CreateBuildStageDetails = {
    buildPipelineStageType: "BUILD",
    buildPipelineId: REF.buildPipeline,
    displayName: u.name,
    ...(u.job.description !== undefined ? { description: u.job.description } : {}),
    buildPipelineStagePredecessorCollection: predecessors(ctx, u, REF.buildStage, REF.buildPipeline, () => undefined),
    image: runner,
    buildSpecFile: `${SPEC_DIR_IN_REPO}${specPath}`,
    ...(u.job.timeoutSeconds !== undefined ? { stageExecutionTimeoutInSeconds: u.job.timeoutSeconds } : {}),
    buildSourceCollection: {
      items: [{ name: "source", connectionType, repositoryUrl: repositoryUrl(ctx), branch: ir.source.branch, connectionId: connectionId(ctx) }],
    },
    primaryBuildSource: "source",
    ...(u.job.runner !== "small" ? { buildRunnerShapeConfig: { buildRunnerType: "CUSTOM" as const, ...RUNNER_SHAPES[u.job.runner] } } : {}),
    freeformTags: unitTags(ctx, u),
  };
  stage = mergeNative(mergeNative(stage, u.stage.native?.oci), withoutSpec(u.job.native?.oci));
  ctx.emitJson(`build_stages/${u.name}.json`, "oci.CreateBuildPipelineStageDetails", stage);
}

/** After the last build stages: deliver the artifacts used after the gate, then start the deploy pipeline. */
function deployHandOff(ctx: Context, opts: PipelineOpts, terminal: Unit[]): void {
  let last = terminal.map((u) => ({ id: REF.buildStage(u.name) }));
  if (last.length === 0) last = [{ id: REF.buildPipeline }];
  if (opts.crossing.size) {
    const name = ctx.take("deliver-artifacts", "");
    const deliver: CreateDeliverArtifactStageDetails = {
      buildPipelineStageType: "DELIVER_ARTIFACT",
      buildPipelineId: REF.buildPipeline,
      displayName: name,
      description: "Artifacts used after the approval, delivered to Artifact Registry",
      buildPipelineStagePredecessorCollection: { items: last },
      deliverArtifactCollection: { items: [...opts.crossing].map((a) => ({ artifactName: a, artifactId: REF.deployArtifact(`artifact-${a}`) })) },
      freeformTags: ctx.tags({ [TAG.kind]: "deliver-artifacts" }),
    };
    ctx.emitJson(`build_stages/${name}.json`, "oci.CreateBuildPipelineStageDetails", deliver);
    last = [{ id: REF.buildStage(name) }];
  }
  const name = ctx.take("trigger-deploy", "");
  const trigger: CreateTriggerDeploymentStageDetails = {
    buildPipelineStageType: "TRIGGER_DEPLOYMENT_PIPELINE",
    buildPipelineId: REF.buildPipeline,
    displayName: name,
    description: "Starts the deploy pipeline that holds the approvals and the jobs after them",
    buildPipelineStagePredecessorCollection: { items: last },
    deployPipelineId: REF.deployPipeline,
    isPassAllParametersEnabled: true,
    freeformTags: ctx.tags({ [TAG.kind]: "trigger-deploy" }),
  };
  ctx.emitJson(`build_stages/${name}.json`, "oci.CreateBuildPipelineStageDetails", trigger);
}

export function withoutSpec(n: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!n) return undefined;
  const { buildSpec: _b, ...rest } = n;
  void _b;
  return Object.keys(rest).length ? rest : undefined;
}
