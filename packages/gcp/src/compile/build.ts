/**
 * One part of the pipeline → one Build: steps with waitFor edges, substitutions, secrets,
 * artifact transfer through Cloud Storage across parts, the step that starts the next part,
 * build timeout and machine type.
 */
import { shGlob, shQuote, shWord } from "@pipeglot/core";
import type { RunnerSize } from "@pipeglot/schema";
import type { Build, BuildStep } from "../native/build.js";
import { durationString } from "../native/build.js";
import { escapeSubstitutions } from "../native/substitution.js";
import { GENERATED_PREFIX, OWNER_TAG, PART_TAG, PIPELINE_TAG, stepId } from "../names.js";
import { MAX_SECONDS, type Ctx } from "./context.js";
import { BUILD_SHAPE, mergeChecked, STEP_SHAPE } from "./native-shape.js";
import type { Part } from "./parts.js";
import { BRANCH_SUBST, GIT_COMMIT } from "./render.js";
import { compileStep, notTranslated, type JobRef } from "./steps.js";

const FETCH_ID = `${GENERATED_PREFIX}fetch-artifacts`;
export const UPLOAD_ID = `${GENERATED_PREFIX}upload-artifacts`;
const NEXT_ID = `${GENERATED_PREFIX}next`;
const GSUTIL_IMAGE = "gcr.io/cloud-builders/gsutil";
const GCLOUD_IMAGE = "gcr.io/google.com/cloudsdktool/cloud-sdk:slim";
const RUNNER_RANK: Record<RunnerSize, number> = { small: 0, medium: 1, large: 2, xlarge: 3 };
const MACHINE_TYPE: Record<RunnerSize, string | undefined> = {
  small: undefined,
  medium: "E2_HIGHCPU_8",
  large: "E2_HIGHCPU_8",
  xlarge: "E2_HIGHCPU_32",
};

export interface PartLink {
  /** The trigger that runs the next part, and whether it is disabled. */
  next?: { trigger: string; disabled: boolean; region?: string };
  /** Artifacts produced here and consumed later: their paths. */
  upload: { name: string; paths: string[]; producers: JobRef[] }[];
  /** Tarballs of earlier parts consumed here (object names). */
  fetch: string[];
  bucket: string;
  /** Object name of this part's tarball. */
  tarball: string;
}

const lastStepId = (r: JobRef): string => stepId(r.stage.name, r.name, r.job.steps.length ? r.job.steps[r.job.steps.length - 1]!.id : "native");

/** Where a part's tarballs live: a quoted object name (the commit in it) and a quoted path in /tmp. */
function places(ctx: Ctx, link: PartLink) {
  // Bucket, pipeline name, tarballs and paths are data: each literal part is one quoted shell word.
  const object = (t: string) => `${escapeSubstitutions(shWord(`gs://${link.bucket}/${ctx.ir.name}/`))}${GIT_COMMIT}/${escapeSubstitutions(shWord(t))}`;
  const tmp = (t: string) => escapeSubstitutions(shWord(`/tmp/${t}`));
  return { object, tmp };
}

export function compileBuild(ctx: Ctx, part: Part, link: PartLink): Build {
  const { object, tmp } = places(ctx, link);
  const steps: BuildStep[] = [];
  if (link.fetch.length) {
    const cmds = link.fetch.map((t) => `gsutil cp ${object(t)} ${tmp(t)} && tar -xzf ${tmp(t)}`);
    steps.push({ id: FETCH_ID, name: GSUTIL_IMAGE, entrypoint: "bash", args: ["-c", cmds.join("\n")], waitFor: ["-"] });
  }
  const jobs = jobSteps(ctx, part, link, steps);
  if (link.upload.length) {
    const paths = [...new Set(link.upload.flatMap((u) => u.paths))];
    const tb = link.tarball;
    steps.push({
      id: UPLOAD_ID,
      name: GSUTIL_IMAGE,
      entrypoint: "bash",
      args: [
        "-c",
        `shopt -s globstar nullglob\n${emptyChecks(link.upload)}tar -czf ${tmp(tb)} -- ${paths.map((p) => escapeSubstitutions(shGlob(p))).join(" ")}\ngsutil cp ${tmp(tb)} ${object(tb)}`,
      ],
      waitFor: [...new Set(link.upload.flatMap((u) => u.producers).map(lastStepId))],
    });
  }
  if (link.next) steps.push(nextStep(ctx, part, link, link.next, steps));
  if (steps.length > 300) ctx.report("PG-GCB-STEP-LIMIT", "/stages", `the build ${part.index} has ${steps.length} steps; Cloud Build allows 300`);
  return buildOf(ctx, part, steps, jobs);
}

/** What the job steps say about the whole build: the longest chain of job timeouts, the runner sizes. */
interface JobsSummary {
  anyTimeout: boolean;
  buildSeconds: number;
  maxRunner: RunnerSize;
  runners: Set<RunnerSize>;
}

/** Every job's steps, in order, each job waiting for the jobs (and the stages' last jobs) it needs. */
function jobSteps(ctx: Ctx, part: Part, link: PartLink, steps: BuildStep[]): JobsSummary {
  const inPart = new Set(part.stages.map((s) => s.stage.name));
  const sinks = new Map<string, JobRef[]>();
  for (const { stage, jobs } of part.stages)
    sinks.set(
      stage.name,
      jobs.filter((j) => !jobs.some((o) => o.needs.includes(j.name))),
    );
  const consumesFetched = (r: JobRef) => link.fetch.length > 0 && r.job.consumes.length > 0 && r.job.consumes.some((a) => !producedInPart(part, a));
  const timeOf = new Map<string, number>();
  const out: JobsSummary = { anyTimeout: false, buildSeconds: 0, maxRunner: "small", runners: new Set() };
  for (const { stage, jobs } of part.stages) {
    for (const r of jobs) {
      const preds: JobRef[] = [...r.needs.map((n) => jobs.find((j) => j.name === n)!)];
      for (const s of stage.needs) if (inPart.has(s)) preds.push(...sinks.get(s)!);
      const first = preds.map(lastStepId);
      if (consumesFetched(r)) first.push(FETCH_ID);
      // Timeouts along the longest chain.
      if (r.job.timeoutSeconds !== undefined) {
        out.anyTimeout = true;
        ctx.report(
          "PG-GCB-JOB-TIMEOUT",
          `/stages/${r.si}/jobs/${r.ji}`,
          `job ${r.job.id} timeout ${r.job.timeoutSeconds}s has no per-job equivalent: it counts towards the build timeout`,
        );
      }
      const t = (r.job.timeoutSeconds ?? 3600) + Math.max(0, ...preds.map((p) => timeOf.get(`${p.stage.name}/${p.name}`) ?? 0));
      timeOf.set(`${stage.name}/${r.name}`, t);
      out.buildSeconds = Math.max(out.buildSeconds, t);
      out.runners.add(r.job.runner);
      if (RUNNER_RANK[r.job.runner] > RUNNER_RANK[out.maxRunner]) out.maxRunner = r.job.runner;
      steps.push(...stepsOfJob(ctx, stage.name, r, first.length ? first : ["-"]));
    }
  }
  return out;
}

/** A job's steps (a job with no steps: its native.gcp step, or a step that fails with a message). */
function stepsOfJob(ctx: Ctx, stageName: string, r: JobRef, waitFirst: string[]): BuildStep[] {
  if (!r.job.steps.length) {
    const frag = r.job.native?.gcp;
    const bare: BuildStep = { id: lastStepId(r), name: r.job.image, waitFor: waitFirst };
    if (!frag) notTranslated(ctx, bare, undefined, `/stages/${r.si}/jobs/${r.ji}`, `job ${r.job.id}`);
    return [frag ? mergeChecked(ctx, bare, frag, STEP_SHAPE, `/stages/${r.si}/jobs/${r.ji}/native/gcp`) : bare];
  }
  return r.job.steps.map((st, n) => {
    const id = stepId(stageName, r.name, st.id);
    const wait = n === 0 ? waitFirst : [stepId(stageName, r.name, r.job.steps[n - 1]!.id)];
    return compileStep(ctx, r, st, n, id, wait);
  });
}

/**
 * The step that starts the next part's trigger, after every sink. It first asks whether that
 * trigger is disabled (a disabled transition in the definition, or `pipeglot hold`): then it
 * starts nothing and the run stays held before the next stage (`pipeglot release` enables the
 * trigger and runs it for the held run). The substitutions it passes on go as one argument ($1),
 * never through the shell's parser.
 */
function nextStep(ctx: Ctx, part: Part, link: PartLink, next: NonNullable<PartLink["next"]>, steps: BuildStep[]): BuildStep {
  const waited = new Set(steps.flatMap((s) => s.waitFor ?? []));
  const sinksAll = part.stages.flatMap((s) => s.jobs.map(lastStepId)).filter((id) => !waited.has(id));
  const wait = [...sinksAll, ...(link.upload.length ? [UPLOAD_ID] : [])];
  // Trigger names and regions are [A-Za-z0-9-]: plain shell words.
  const region = next.region ? ` --region=${next.region}` : "";
  const held = escapeSubstitutions(
    shQuote(`pipeglot: held: trigger ${next.trigger} is disabled; pipeglot release (or enabling the trigger) lets the run through`),
  );
  const script = [
    `if [ "$$(gcloud builds triggers describe ${next.trigger}${region} --format='value(disabled)')" = True ]; then`,
    `  echo ${held}`,
    "  exit 0",
    "fi",
    `gcloud builds triggers run ${next.trigger} --sha=${GIT_COMMIT} "$$1"${region}`,
  ].join("\n");
  return { id: NEXT_ID, name: GCLOUD_IMAGE, entrypoint: "bash", args: ["-c", script, "pipeglot", passOn(ctx)], waitFor: wait };
}

/** The build around its steps: timeout, substitutions, secrets, options, tags, native.gcp. */
function buildOf(ctx: Ctx, part: Part, steps: BuildStep[], jobs: JobsSummary): Build {
  const ir = ctx.ir;
  const build: Build = { steps };
  if (jobs.anyTimeout) {
    let t = jobs.buildSeconds;
    if (t > MAX_SECONDS) {
      ctx.report("PG-GCB-TIMEOUT-CLAMPED", "/stages", `the build timeout (${t}s, the longest chain of job timeouts) is above 24h; clamped`);
      t = MAX_SECONDS;
    }
    build.timeout = durationString(t);
  }
  const subs: Record<string, string> = Object.fromEntries(Object.entries(ir.variables).map(([k, v]) => [ctx.subst.get(k)!, v.default]));
  // Started by hand, the gated trigger builds its sourceToBuild ref: the definition's branch.
  if (part.index > 0) subs[BRANCH_SUBST] = ir.source.branch;
  if (Object.keys(subs).length) build.substitutions = subs;
  const used = [...new Set(steps.flatMap((s) => s.secretEnv ?? []))].filter((s) => s in ir.secrets).sort();
  if (used.length)
    build.availableSecrets = {
      secretManager: used.map((s) => ({ versionName: ir.secrets[s]!.gcp ?? `projects/$PROJECT_ID/secrets/${s}/versions/latest`, env: s })),
    };
  const options = buildOptions(ctx, part, jobs, build.substitutions !== undefined);
  if (Object.keys(options).length) build.options = options;
  build.tags = [OWNER_TAG, `${PIPELINE_TAG}${ir.name}`, `${PART_TAG}${part.index}`];
  const frag = ir.native?.gcp;
  if (!frag) return build;
  const { trigger: _t, ...rest } = frag as Record<string, unknown>;
  if (!Object.keys(rest).length) return build;
  const merged = mergeChecked(ctx, build, rest, BUILD_SHAPE, "/native/gcp");
  if (merged !== build) ctx.report("PG-GCB-NATIVE", "/native/gcp", `native.gcp merged into build ${part.index}: ${Object.keys(rest).sort().join(", ")}`);
  return merged;
}

/** Build options: the machine of the largest runner (runner sizes sharing one build reported), loose substitutions. */
function buildOptions(ctx: Ctx, part: Part, jobs: JobsSummary, substitutions: boolean): Record<string, unknown> {
  const { maxRunner, runners } = jobs;
  const options: Record<string, unknown> = {};
  const machine = ctx.ir.targets.gcp?.machineType ?? MACHINE_TYPE[maxRunner];
  if (machine) options.machineType = machine;
  if (runners.size > 1 || runners.has("medium")) {
    const first = part.stages.flatMap((s) => s.jobs).find((r) => r.job.runner !== maxRunner || r.job.runner === "medium")!;
    ctx.report(
      "PG-GCB-RUNNER",
      `/stages/${first.si}/jobs/${first.ji}/runner`,
      `runner sizes ${[...runners].sort().join(", ")} share one build: it runs on ${machine ?? "the default machine"} (runner ${maxRunner === "medium" ? "large" : maxRunner})`,
    );
  }
  if (substitutions) options.substitutionOption = "ALLOW_LOOSE";
  return options;
}

/**
 * Before the tarball: each uploaded artifact's globs must match a file (as an artifact matching
 * nothing fails its job in the definition's semantics); one that matches none prints the fixed
 * marker `pipeglot: artifact NAME matched no file` on stderr, and the step fails — so the next
 * build does not start, and a reader of the log knows whose artifact it was.
 */
function emptyChecks(upload: PartLink["upload"]): string {
  const lines = upload.map((u) => {
    const msg = escapeSubstitutions(shQuote(`pipeglot: artifact ${u.name} matched no file`));
    return `pg_files=(${u.paths.map((p) => escapeSubstitutions(shGlob(p))).join(" ")}); [ $\${#pg_files[@]} -gt 0 ] || { echo ${msg} >&2; pg_empty=1; }\n`;
  });
  return `${lines.join("")}[ -z "$\${pg_empty}" ] || exit 1\n`;
}

/** The substitution that names the build which started this one (what `pipeglot status` follows from part to part). */
export const PARENT_SUBST = "_PIPEGLOT_PARENT";

/** The delimiter of the --substitutions list (gcloud's `^DELIM^` escaping: values may hold commas). */
const SUBST_DELIM = "~pipeglot~";

/**
 * The build the next trigger starts is started with --sha (the same commit), so it has no branch,
 * and would get its trigger's substitution defaults: this build passes on its branch (as the
 * substitution _PIPEGLOT_BRANCH) and the values of the variables it was started with
 * (https://cloud.google.com/sdk/gcloud/reference/builds/triggers/run: --substitutions; the list
 * delimiter: https://cloud.google.com/sdk/gcloud/reference/topic/escaping).
 */
function passOn(ctx: Ctx): string {
  const keys = Object.keys(ctx.ir.variables).map((k) => ctx.subst.get(k)!);
  const items = [`${BRANCH_SUBST}=${ctx.branch}`, `${PARENT_SUBST}=\${BUILD_ID}`, ...keys.map((k) => `${k}=\${${k}}`)];
  return `--substitutions=^${SUBST_DELIM}^${items.join(SUBST_DELIM)}`;
}

function producedInPart(part: Part, artifact: string): boolean {
  return part.stages.some((s) => s.jobs.some((j) => j.job.produces.some((p) => p.name === artifact)));
}
