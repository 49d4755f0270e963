/**
 * Pipeline IR → OCI DevOps resources. Pure and deterministic: the same IR gives the same files,
 * sorted by path; diagnostics carry JSON pointers into the neutral document.
 */
import type { ProviderOutput } from "@pipeglot/core";
import { sortDiagnostics, type PipelineIR } from "@pipeglot/schema";
import { compileBuildPipeline } from "./build-pipeline.js";
import { Context } from "./context.js";
import { runsOnRunner } from "./build-spec.js";
import { compileDeployPipeline } from "./deploy.js";
import { compileTriggers } from "./triggers.js";
import { byText } from "@pipeglot/schema";

export function compile(ir: PipelineIR): ProviderOutput {
  const ctx = new Context(ir);
  reportPipeline(ctx);
  const preProduced = new Set<string>();
  const postGateProduced = new Set<string>();
  for (const u of ctx.units) for (const a of u.job.produces) (u.postGate ? postGateProduced : preProduced).add(a.name);
  const crossing = new Set<string>();
  for (const u of ctx.units) if (u.postGate) for (const a of u.job.consumes) if (preProduced.has(a) && !postGateProduced.has(a)) crossing.add(a);
  const hasDeploy = ctx.units.some((u) => u.postGate);
  compileBuildPipeline(ctx, { crossing, hasDeploy, postGateProduced });
  if (hasDeploy) compileDeployPipeline(ctx, { crossing, postGateProduced });
  compileTriggers(ctx);
  const files = [...ctx.files].sort(byText((x) => x.path));
  return { provider: "oci", pipeline: ir.name, files, diagnostics: sortDiagnostics(ctx.diagnostics) };
}

/** Diagnostics about the pipeline as a whole and per job (features OCI lacks). */
function reportPipeline(ctx: Context): void {
  const { ir, target } = ctx;
  if (!target.projectId)
    ctx.report(
      "PG-OCI-TARGET-MISSING",
      "/targets",
      "targets.oci.projectId is not set: `${target.projectId}` is written for apply to resolve",
      "set targets.oci.projectId to the DevOps project OCID",
    );
  if (!target.connectionId)
    ctx.report(
      "PG-OCI-TARGET-MISSING",
      "/targets",
      "targets.oci.connectionId is not set: `${target.connectionId}` (the external connection to the repository host) is written for apply to resolve",
    );
  if (ctx.units.some((u) => u.postGate) && !target.subnetId)
    ctx.report(
      "PG-OCI-TARGET-MISSING",
      "/targets",
      "targets.oci.subnetId is not set: the deploy pipeline's SHELL stages need a subnet; `${target.subnetId}` is written for apply to resolve",
    );
  const p = ir.source.provider;
  if (!p) ctx.report("PG-OCI-SOURCE-ASSUMED", "/source", `source.provider is not set: repository "${ir.source.repository}" is assumed to be on GitHub`);
  else if (p === "azure-repos" || p === "codecommit")
    ctx.report("PG-OCI-SOURCE-UNSUPPORTED", "/source/provider", `OCI DevOps has no external connection for ${p}: GITHUB is written instead`);
  if (ir.concurrency !== "queue")
    ctx.report(
      "PG-OCI-CONCURRENCY",
      "/concurrency",
      `concurrency "${ir.concurrency}" is dropped: OCI starts one build run per event, overlapping runs proceed in parallel`,
    );
  ir.stages.forEach((s, i) => {
    if (s.description !== undefined)
      ctx.report("PG-OCI-STAGE-DESCRIPTION", `/stages/${i}/description`, `the description of stage "${s.name}" is dropped: neutral stages have no OCI object`);
    if (s.condition) conditionDiags(ctx, s.condition, `/stages/${i}/condition`, `stage "${s.name}"`);
    s.jobs.forEach((j, k) => {
      const jp = `/stages/${i}/jobs/${k}`;
      const post = ctx.postGate.has(s.name);
      if (!post && !runsOnRunner(j.image))
        ctx.report(
          "PG-OCI-IMAGE-DOCKER-RUN",
          jp,
          `job "${j.id}" runs in image "${j.image}": the OCI runner image is fixed (${target.runnerImage ?? "OL8_X86_64_STANDARD_10"}), so each step runs through \`docker run ${j.image} ${"<shell>"} -c '<command>'\``,
        );
      if (j.retries) ctx.report("PG-OCI-JOB-RETRIES", jp, `job "${j.id}" asks for ${j.retries} retries: OCI build stages are not retried automatically`);
      if (j.matrix)
        ctx.report(
          "PG-OCI-MATRIX-EXPANDED",
          `${jp}/matrix`,
          `job "${j.id}" becomes ${ctx.unitsOf(s.name, j.name).length} OCI stages, one per matrix combination`,
        );
      if (j.environment !== undefined)
        ctx.report(
          "PG-OCI-ENVIRONMENT",
          `${jp}/environment`,
          `environment "${j.environment}" of job "${j.id}" has no OCI object (recorded in tag pipeglot-environment)`,
        );
      if (j.condition) conditionDiags(ctx, j.condition, `${jp}/condition`, `job "${j.id}"`);
      if (j.produces.length || j.consumes.length)
        ctx.report(
          "PG-OCI-ARTIFACT-ARCHIVE",
          `${jp}/artifacts`,
          `the artifacts of job "${j.id}" are packed into .tgz files (${[...j.produces.map((a) => a.name), ...j.consumes].join(", ")})`,
        );
    });
  });
  for (const u of ctx.units) {
    if (!u.postGate) continue;
    for (const a of u.job.consumes) {
      const producedBefore = ctx.units.some((p) => !p.postGate && p.job.produces.some((x) => x.name === a));
      if (producedBefore)
        ctx.report(
          "PG-OCI-ARTIFACT-DELIVER",
          `${u.path}/artifacts`,
          `artifact "${a}" is used after the approval: a DELIVER_ARTIFACT stage stores it in Artifact Registry (\${artifactRepository.id}) as deploy artifact "artifact-${a}"`,
        );
    }
  }
}

function conditionDiags(ctx: Context, c: NonNullable<PipelineIR["stages"][number]["condition"]>, path: string, what: string): void {
  if (c.status !== "success")
    ctx.report("PG-OCI-CONDITION-STATUS", path, `${what} has condition status "${c.status}": OCI runs it only after its predecessors succeed`);
  if (c.branches.length || Object.keys(c.variables).length)
    ctx.report(
      "PG-OCI-CONDITION-GUARD",
      path,
      `the condition of ${what} becomes a shell guard around each of its steps; the OCI stage itself always runs: where the condition does not hold, its steps are skipped and it succeeds (unless packing an artifact they did not make fails it), and what needs it runs`,
    );
}
