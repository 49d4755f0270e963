/**
 * One build config (a part of the pipeline) → its variables, secrets, stages and jobs, the
 * targets its generated steps name, and its fields without a neutral home (native.gcp).
 */
import { isObject } from "@pipeglot/core";
import type { RunnerSize } from "@pipeglot/schema";
import { GENERATED_PREFIX, neutralName, OWNER_TAG, PART_TAG, PIPELINE_TAG } from "../names.js";
import { strList, type Json } from "./parse.js";
import { inferShape, isPipeglotBuild, pipeglotShape, type RawStepRef } from "./structure.js";
import type { Located, PipelineCx } from "./context.js";
import { importJobs } from "./jobs.js";
import { gatePart } from "./stages.js";
import { importSecrets, importVariables, PASSED_BRANCH_KEY } from "./variables.js";

const MACHINE_RUNNER: Record<string, RunnerSize> = { E2_HIGHCPU_8: "large", N1_HIGHCPU_8: "large", E2_HIGHCPU_32: "xlarge", N1_HIGHCPU_32: "xlarge" };

/** Build `b`, the k-th part. */
export function importBuild(cx: PipelineCx, b: Located, k: number): void {
  const { ir, tctx } = cx;
  const build = b.value;
  const steps: RawStepRef[] = (build.steps as unknown[]).map((raw, index) => ({ raw: isObject(raw) ? raw : {}, index }));
  const pipeglot = cx.own && isPipeglotBuild(steps);
  tctx.dynamic = isObject(build.options) && build.options.dynamicSubstitutions === true;
  // A pipeglot build started by a previous one reads the branch from _PIPEGLOT_BRANCH (compile/build.ts passOn).
  tctx.passedBranch = pipeglot && isObject(build.substitutions) && PASSED_BRANCH_KEY in build.substitutions;
  importVariables(cx, b);
  importSecrets(cx, b);
  // Steps → stages and jobs.
  const userSteps = steps.filter((s) => !(typeof s.raw.id === "string" && s.raw.id.startsWith(GENERATED_PREFIX)));
  if (pipeglot) readGeneratedTargets(cx, steps);
  if (!pipeglot && userSteps.length)
    cx.rep.at(
      "PG-GCB-IMPORT-STRUCTURE",
      b,
      `${b.ptr}/steps`,
      `${b.file} was not written by pipeglot: ${userSteps.length} step(s) grouped into jobs along the waitFor graph`,
    );
  const shapes = pipeglot
    ? pipeglotShape(userSteps)
    : inferShape(pipeglot ? userSteps : steps, k === 0 ? "build" : `build-${k + 1}`, (id, fb) => (id === undefined ? fb : neutralName(id, fb)));
  const opt = isObject(build.options) ? build.options : {};
  const runner: RunnerSize = MACHINE_RUNNER[String(opt.machineType ?? "")] ?? "small";
  const firstStageOfPart = ir.stages.length;
  importJobs(cx, b, shapes, runner);
  // A later part: its first stage is gated by the trigger that runs it (foreign builds of other triggers are appended as further stages).
  if (k > 0 && ir.stages.length > firstStageOfPart) gatePart(cx, b, firstStageOfPart);
  keepBuildFields(cx, b, pipeglot);
  if (tctx.dynamicSeen) {
    cx.rep.at("PG-GCB-IMPORT-DYNAMIC", b, `${b.ptr}/options`, "bash-style dynamic substitutions are kept as text (they become shell expansions)");
    tctx.dynamicSeen = false;
  }
}

/** pipeglot's generated steps name the artifact bucket and region. */
function readGeneratedTargets(cx: PipelineCx, steps: RawStepRef[]): void {
  for (const s of steps) {
    const id = s.raw.id;
    if (typeof id !== "string" || !id.startsWith(GENERATED_PREFIX)) continue;
    const args = strList(s.raw.args).join(" ");
    const bm = /gs:\/\/([^/\s]+)\//.exec(args);
    if (bm && bm[1] !== "REPLACE-WITH-ARTIFACT-BUCKET") cx.gcp.artifactBucket = bm[1]!;
    const rm = /--region=(\S+)/.exec(args);
    if (rm) cx.gcp.region = rm[1]!;
  }
}

/** Build-level fields without a neutral home → native.gcp. */
function keepBuildFields(cx: PipelineCx, b: Located, pipeglot: boolean): void {
  const { nativeBuild } = cx;
  for (const [fk, fv] of Object.entries(b.value)) {
    if (["steps", "substitutions", "availableSecrets", "secrets"].includes(fk)) continue;
    if (pipeglot && (fk === "tags" || fk === "timeout")) continue;
    if (fk === "options" && isObject(fv)) {
      const rest: Json = {};
      for (const [ok, ov] of Object.entries(fv)) {
        if (ok === "machineType") continue;
        if (pipeglot && ok === "substitutionOption") continue;
        rest[ok] = ov;
      }
      if (Object.keys(rest).length) nativeBuild.options = { ...(nativeBuild.options as Json | undefined), ...rest };
      continue;
    }
    if (fk === "tags" && !pipeglot) {
      const tags = strList(fv).filter((x) => x !== OWNER_TAG && !x.startsWith(PIPELINE_TAG) && !x.startsWith(PART_TAG));
      if (tags.length) nativeBuild.tags = tags;
      continue;
    }
    if (!(fk in nativeBuild)) {
      nativeBuild[fk] = structuredClone(fv);
      cx.rep.at("PG-GCB-IMPORT-FIELD", b, `${b.ptr}/${fk}`, `build field ${fk} has no neutral equivalent: kept in native.gcp`);
    }
  }
}
