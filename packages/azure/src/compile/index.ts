/**
 * Pipeline IR → azure-pipelines.yml + BuildDefinition (+ environments and approval checks).
 * Orchestration only; each concept lives in its own file.
 */
import { mergeNative, reporter, toJson, toYaml, type OutputFile, type ProviderOutput } from "@pipeglot/core";
import { sortDiagnostics, type Diagnostic, type PipelineIR, type StageIR } from "@pipeglot/schema";
import { CODES } from "../diagnostics.js";
import { fileName, idRegistry } from "../names.js";
import type { CheckConfiguration } from "../native/definition.js";
import type { AzJob, AzPipeline, AzStage } from "../native/pipeline.js";
import { approvalCheck, approvalJob } from "./approvals.js";
import type { Ctx } from "./context.js";
import { compileDefinition, compileEnvironment } from "./definition.js";
import { compileJob, downloadNames } from "./jobs.js";
import { compileCondition, templateFragment } from "./steps.js";
import { compileTriggers } from "./triggers.js";
import { compileVariables, secretNames } from "./variables.js";
import { byText } from "@pipeglot/schema";

export const DEFAULT_YAML_PATH = "azure-pipelines.yml";
export const DEFAULT_POOL = { vmImage: "ubuntu-latest" };

function compileStage(ctx: Ctx, stage: StageIR, i: number, stageIds: Map<string, string>, checks: Map<string, CheckConfiguration>): AzStage {
  const path = `/stages/${i}`;
  const tpl = templateFragment(ctx, stage.native?.azure, path);
  if (tpl) return tpl;
  const id = stageIds.get(stage.name)!;
  let out: AzStage = { stage: id };
  if (id !== stage.name) out.displayName = stage.name;
  out.dependsOn = stage.needs.map((n) => stageIds.get(n) ?? n);
  const cond = compileCondition(ctx, stage.condition, `${path}/condition`);
  if (cond) out.condition = cond;
  if (!stage.transition.enabled) {
    out.trigger = "manual";
    ctx.report(
      "PG-ADO-TRANSITION",
      `${path}/transition`,
      `stage ${stage.name} waits for someone to start it (trigger: manual)${stage.transition.reason ? `; the reason ${JSON.stringify(stage.transition.reason)} is not written` : ""}`,
    );
  }
  if (stage.description !== undefined) ctx.report("PG-ADO-DESCRIPTION", `${path}/description`, `the description of stage ${stage.name} is not written`);
  const jobIds = idRegistry();
  const ids = new Map(stage.jobs.map((j) => [j.name, jobIds.take(j.name)] as const));
  stage.jobs.forEach((j, k) => {
    const jid = ids.get(j.name)!;
    if (jid !== j.name) ctx.report("PG-ADO-NAME-SANITIZED", `${path}/jobs/${k}/name`, `job name ${JSON.stringify(j.name)} written as ${jid}`);
  });
  let gateJob: string | undefined;
  const jobs: AzJob[] = [];
  if (stage.approval) {
    const envs = [...new Set(stage.jobs.filter((j) => j.environment !== undefined && !j.matrix).map((j) => j.environment!))];
    if (ctx.target.approvalMode === "environment" && envs.length) {
      for (const e of envs) checks.set(e, approvalCheck(ctx, stage, path, e));
    } else {
      if (ctx.target.approvalMode === "environment")
        ctx.report(
          "PG-ADO-APPROVAL-NO-ENVIRONMENT",
          `${path}/approval`,
          `stage ${stage.name} has no job with an environment to attach an approval check to; a ManualValidation job is written instead`,
        );
      gateJob = jobIds.take("approval");
      jobs.push(approvalJob(ctx, stage, path, gateJob));
    }
  }
  stage.jobs.forEach((j, k) => {
    const deps = j.needs.map((n) => ids.get(n) ?? n);
    // A job whose condition is failure/always would run after a rejected validation: it waits for
    // the gate and runs only when the gate succeeded (a rejection skips every job of the stage).
    const guarded = gateJob !== undefined && j.condition !== undefined && j.condition.status !== "success";
    if (gateJob && (deps.length === 0 || guarded)) deps.push(gateJob);
    jobs.push(compileJob(ctx, j, `${path}/jobs/${k}`, ids.get(j.name)!, deps, guarded ? gateJob : undefined));
  });
  out.jobs = jobs;
  const native = stage.native?.azure;
  if (native) {
    out = mergeNative(out, native);
    ctx.report("PG-ADO-NATIVE", `${path}/native/azure`, "native.azure stage fragment merged as written");
  }
  return out;
}

export function compile(ir: PipelineIR): ProviderOutput {
  const diagnostics: Diagnostic[] = [];
  const report = reporter(CODES, diagnostics);
  const target = ir.targets.azure ?? {};
  const ctx: Ctx = { ir, target, report, diagnostics, refs: { secret: (n) => n }, artifactNames: downloadNames({ ir }) };
  const secrets = secretNames(ctx);
  ctx.refs = { secret: (n) => secrets.names.get(n) ?? n };

  const stageReg = idRegistry();
  const stageIds = new Map(ir.stages.map((s) => [s.name, stageReg.take(s.name)] as const));
  ir.stages.forEach((s, i) => {
    const id = stageIds.get(s.name)!;
    if (id !== s.name) report("PG-ADO-NAME-SANITIZED", `/stages/${i}/name`, `stage name ${JSON.stringify(s.name)} written as ${id}`);
  });

  const checks = new Map<string, CheckConfiguration>();
  const vars = compileVariables(ctx, secrets.groups);
  let doc: AzPipeline = {
    ...(vars.parameters ? { parameters: vars.parameters } : {}),
    ...compileTriggers(ctx),
    ...(vars.variables ? { variables: vars.variables } : {}),
    pool: target.pool ? { name: target.pool } : { ...DEFAULT_POOL },
    stages: ir.stages.map((s, i) => compileStage(ctx, s, i, stageIds, checks)),
  };
  if (ir.native?.azure) {
    doc = mergeNative(doc, ir.native.azure);
    report("PG-ADO-NATIVE", "/native/azure", "native.azure pipeline fragment merged as written");
  }

  const yamlPath = target.yamlPath ?? DEFAULT_YAML_PATH;
  const header = [`Generated by pipeglot from pipeline ${ir.name}. Edit the pipeglot definition, not this file.`, ...secrets.header];
  const yaml = toYaml(doc, header);
  const files: OutputFile[] = [
    { path: yamlPath, kind: "azure.PipelineYaml", content: yaml },
    { path: "definition.json", kind: "azure.BuildDefinition", content: toJson(compileDefinition(ctx, yamlPath, yaml)) },
  ];
  const envs = new Set<string>();
  for (const s of ir.stages) for (const j of s.jobs) if (j.environment !== undefined && !j.matrix) envs.add(j.environment);
  for (const e of envs) files.push({ path: `environments/${fileName(e)}.json`, kind: "azure.Environment", content: toJson(compileEnvironment(ctx, e)) });
  for (const [e, c] of checks) files.push({ path: `checks/${fileName(e)}.json`, kind: "azure.CheckConfiguration", content: toJson(c) });
  files.sort(byText((x) => x.path));
  return { provider: "azure", pipeline: ir.name, files, diagnostics: sortDiagnostics(diagnostics) };
}
