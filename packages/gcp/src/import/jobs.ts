/**
 * A build's job shapes (structure.ts) → neutral jobs in their stages: steps imported (steps.ts),
 * the job's image and native fragment, step ids and names, job/stage conditions and retries that
 * pipeglot's wrappers recorded, env common to every step lifted to the job.
 */
import type { JobIR, RunnerSize, StageIR } from "@pipeglot/schema";
import { liftConditions } from "./conditions.js";
import { importStep, nativeStep } from "./steps.js";
import type { JobShape } from "./structure.js";
import type { Json } from "./parse.js";
import type { Located, PipelineCx } from "./context.js";

export function importJobs(cx: PipelineCx, b: Located, shapes: JobShape[], runner: RunnerSize): void {
  const { ir } = cx;
  for (const sh of shapes) {
    let stage = ir.stages.find((s) => s.name === sh.stage);
    if (!stage) {
      stage = { id: sh.stage, name: sh.stage, needs: [], transition: { enabled: true }, jobs: [] };
      ir.stages.push(stage);
    }
    for (const n of sh.stageNeeds) if (!stage.needs.includes(n)) stage.needs.push(n);
    const si = ir.stages.indexOf(stage);
    const job: JobIR = {
      id: `${stage.name}.${sh.job}`,
      name: sh.job,
      needs: [...sh.needs],
      image: "",
      runner,
      env: {},
      steps: [],
      produces: [],
      consumes: [],
      retries: 0,
    };
    const ji = stage.jobs.length;
    stage.jobs.push(job);
    importJobSteps(cx, b, sh, stage, job, `/stages/${si}/jobs/${ji}`);
    liftEnv(job);
    cx.irMap.set(`/stages/${si}/jobs/${ji}`, { loc: b, ptr: `${b.ptr}/steps/${sh.steps[0]?.ref.index ?? 0}` });
  }
}

function importJobSteps(cx: PipelineCx, b: Located, sh: JobShape, stage: StageIR, job: JobIR, irJob: string): void {
  let imported = sh.steps.map(({ ref }) => importStep(ref.raw, cx.tctx));
  job.image = (imported.find((x) => !x.native) ?? imported[0])?.image ?? "";
  // Fields a shell step cannot say: the job's native fragment when every step has the same, else native steps.
  const shellSteps = imported.filter((x) => !x.native);
  const lo = JSON.stringify(shellSteps[0]?.leftover ?? null);
  if (shellSteps.length === imported.length && lo !== "null" && shellSteps.every((x) => JSON.stringify(x.leftover ?? null) === lo)) {
    job.native = { gcp: structuredClone(shellSteps[0]!.leftover!) };
    imported.forEach((x) => delete x.leftover);
  }
  imported = imported.map((x, n) => (!x.native && (x.leftover || x.image !== job.image) ? nativeStep(sh.steps[n]!.ref.raw, x.image) : x));
  imported.forEach((im, n) => {
    const st = im.step;
    const ref = sh.steps[n]!.ref;
    const sname = sh.steps[n]!.stepName;
    st.id = sname ?? `step-${n + 1}`;
    if (sname !== undefined && sname !== `step-${n + 1}`) st.name = sname;
    if (im.native) {
      const g = st.native!.gcp as Json;
      if (g.name === job.image) delete g.name;
      cx.rep.at(
        "PG-GCB-IMPORT-NATIVE-STEP",
        b,
        `${b.ptr}/steps/${ref.index}`,
        `step ${String(ref.raw.id ?? ref.index + 1)} (${im.image}) is not a shell command: kept as a native step`,
      );
    }
    if (im.jobRetries) job.retries = im.jobRetries;
    liftConditions(im, job, stage);
    job.steps.push(st);
    cx.irMap.set(`${irJob}/steps/${n}`, { loc: b, ptr: `${b.ptr}/steps/${ref.index}` });
  });
}

/** Env set to the same value on every step of a job belongs to the job. */
function liftEnv(job: JobIR): void {
  if (!job.steps.length || job.steps.some((s) => s.run === undefined)) return;
  const first = job.steps[0]!.env;
  for (const [k, v] of Object.entries(first)) {
    if (job.steps.every((s) => s.env[k] === v)) {
      job.env[k] = v;
      for (const s of job.steps) delete s.env[k];
    }
  }
}
