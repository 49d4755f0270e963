/**
 * The artifact pass, once every stage is read: a download of an artifact that no job of this file
 * publishes before it (a template not read published it, a matrix cell named it at run time, or a
 * later stage publishes it) is not a neutral consume. It goes back to being the Azure step it was,
 * a native step in its place, so that a recompile to Azure downloads the same thing. Likewise an
 * artifact name published by a second job (Azure build artifacts append to one container; the
 * neutral format has one producer per name) stays a native publish step.
 */
import { ancestors, type JobIR, type StageIR, type StepIR } from "@pipeglot/schema";
import { report, type ArtifactUse, type ImportCtx } from "./context.js";

interface Where {
  stage: StageIR;
  job: JobIR;
}

function runsBefore(stages: StageIR[], consumer: Where, producer: Where): boolean {
  if (producer.stage === consumer.stage)
    return ancestors(consumer.job.name, (n) => consumer.stage.jobs.find((j) => j.name === n)?.needs ?? []).has(producer.job.name);
  return ancestors(consumer.stage.name, (n) => stages.find((s) => s.name === n)?.needs ?? []).has(producer.stage.name);
}

/** Put the given artifact steps back into their job as native steps, where they stood. */
function restore(job: JobIR, uses: ArtifactUse[]): void {
  const order = uses.map((u, seq) => ({ u, seq })).sort((a, b) => b.u.at - a.u.at || b.seq - a.seq);
  for (const { u } of order) {
    const step: StepIR = { id: "", shell: "bash", env: {}, continueOnError: false, retries: 0, native: { azure: structuredClone(u.raw) } };
    job.steps.splice(u.at, 0, step);
  }
  // Unnamed steps are numbered by position (normalize's rule), so renumber after inserting.
  job.steps.forEach((s, n) => {
    if (s.name === undefined) s.id = `step-${n + 1}`;
  });
}

function firstProducers(ctx: ImportCtx, stages: StageIR[], back: Map<JobIR, ArtifactUse[]>): Map<string, Where> {
  const producers = new Map<string, Where>();
  stages.forEach((stage, i) =>
    stage.jobs.forEach((job, k) => {
      for (const u of ctx.uses.get(job) ?? []) {
        if (u.kind !== "produce") continue;
        const p = producers.get(u.name);
        if (!p) producers.set(u.name, { stage, job });
        else if (p.job !== job) {
          job.produces = job.produces.filter((a) => a.name !== u.name);
          back.set(job, [...(back.get(job) ?? []), u]);
          report(
            ctx,
            "PG-ADO-IMPORT-ARTIFACT",
            `artifact ${u.name} is also published by ${p.stage.name}.${p.job.name}; this publish step is kept as native.azure`,
            u.raw,
            `/stages/${i}/jobs/${k}/artifacts/produce`,
          );
        }
      }
    }),
  );
  return producers;
}

/** Turn downloads and publishes the neutral artifact flow cannot hold back into native steps. */
export function settleArtifacts(ctx: ImportCtx, stages: StageIR[]): void {
  const back = new Map<JobIR, ArtifactUse[]>();
  const producers = firstProducers(ctx, stages, back);
  stages.forEach((stage, i) =>
    stage.jobs.forEach((job, k) => {
      for (const u of ctx.uses.get(job) ?? []) {
        if (u.kind !== "consume" || !job.consumes.includes(u.name)) continue;
        const p = producers.get(u.name);
        if (p && p.job !== job && runsBefore(stages, { stage, job }, p)) continue;
        const uses = (ctx.uses.get(job) ?? []).filter((x) => x.kind === "consume" && x.name === u.name);
        job.consumes = job.consumes.filter((a) => a !== u.name);
        back.set(job, [...(back.get(job) ?? []), ...uses]);
        const why = p
          ? `its publisher ${p.stage.name}.${p.job.name} does not run before it`
          : "no job of this file publishes it (a template not read, or a name known only at run time)";
        report(
          ctx,
          "PG-ADO-IMPORT-ARTIFACT",
          `job ${job.name} downloads artifact ${u.name}, but ${why}; the download step is kept as native.azure`,
          u.raw,
          `/stages/${i}/jobs/${k}/artifacts/consume`,
        );
      }
    }),
  );
  for (const [job, uses] of back) restore(job, uses);
}
