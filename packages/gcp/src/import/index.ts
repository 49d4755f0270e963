/**
 * Cloud Build files → Pipeline IR. Reads build configs (cloudbuild.yaml / .json) and triggers
 * (REST JSON or `gcloud builds triggers export` YAML, with an inline build or a filename).
 * Pure; never throws for bad input. Each concept is read by its own module (read, pipeline,
 * build, variables, stages, jobs, steps, triggers); this one puts them together.
 */
import { canonicalJson, isObject } from "@pipeglot/core";
import type { ImportOptions, ImportResult, NativeFile } from "@pipeglot/core";
import { sortDiagnostics, type ConditionIR, type StageIR } from "@pipeglot/schema";
import { STEP_FIELDS } from "../native/build.js";
import { OWNER_TAG, PART_TAG } from "../names.js";
import { camelizeKeys, DUPLICATE_KEY, parseFile, strList, type Json } from "./parse.js";
import { canonicalBuild } from "./lenient.js";
import { importBuild } from "./build.js";
import { importReporter, isBuild, isTrigger, type Located, type PipelineCx } from "./context.js";
import { irSourceMap, pipelineHead } from "./pipeline.js";
import { readBuilds, resolveTriggerBuilds } from "./read.js";
import { declareUsed } from "./variables.js";

/** Google's file name conventions: cloudbuild.yaml, cloudbuild.json, int.cloudbuild.yaml, cloudbuild_v2.yaml. */
const CLOUDBUILD_NAME = /cloudbuild[^/]*\.(ya?ml|json)$/i;
/** A neutral pipeglot definition is no provider's format. */
export const NEUTRAL_DOC = /^pipeglot\s*:/m;
/** Marks of a Cloud Build config in text that does not parse. */
const RAW_MARKS = [
  /^\s*-?\s*waitFor\s*:/m,
  /^\s*-?\s*name\s*:\s*["']?(gcr\.io|[a-z0-9-]+-docker\.pkg\.dev)\//m,
  /^\s*-?\s*entrypoint\s*:/m,
  /^\s*-?\s*args\s*:/m,
  /\$\{?(PROJECT_ID|COMMIT_SHA|SHORT_SHA|BUILD_ID|_[A-Z0-9_]+)\b/,
];

/** 0..1: how sure we are that the file is a Cloud Build config or trigger. */
export function detect(file: NativeFile): number {
  if (NEUTRAL_DOC.test(file.content)) return 0;
  const named = CLOUDBUILD_NAME.test(file.path.split("/").pop() ?? "");
  const parsed = parseFile(file.path, file.content);
  if (parsed.errors.length && !parsed.docs.length) {
    // Broken YAML: the name, else the text, says whose it is (so that the error gets our code).
    if (named) return 0.9;
    const marks = RAW_MARKS.filter((r) => r.test(file.content)).length;
    return /^steps\s*:/m.test(file.content) && marks >= 2 ? (marks >= 3 ? 0.75 : 0.6) : 0;
  }
  const score = shapeScore(parsed.docs[0] ? camelizeKeys(parsed.docs[0].value) : undefined);
  return named ? Math.max(Math.min(1, score + 0.1), 0.7) : score;
}

function shapeScore(v: unknown): number {
  if (isBuild(v)) {
    const steps = v.steps as unknown[];
    if (!steps.length) return 0.3;
    const ok = steps.every((s) => isObject(s) && typeof s.name === "string" && Object.keys(s).every((k) => STEP_FIELDS.has(k)));
    if (!ok) return 0;
    const strong = steps.some((s) => isObject(s) && ("args" in s || "entrypoint" in s || "waitFor" in s || "script" in s));
    return strong ? 0.85 : 0.6;
  }
  if (isTrigger(v)) return "build" in v || "filename" in v ? 0.85 : 0.6;
  return 0;
}

export function importFiles(files: NativeFile[], opts: ImportOptions = {}): ImportResult {
  const rep = importReporter();
  const { diagnostics } = rep;
  const { builds, triggers } = readBuilds(rep, files);
  resolveTriggerBuilds(rep, triggers, builds, opts);
  if (diagnostics.some((d) => d.code === DUPLICATE_KEY)) return { diagnostics: sortDiagnostics(diagnostics) };
  // What Google reads leniently ("30m", options.workerPool) becomes the documented form.
  for (const b of [...builds, ...triggers.flatMap((t) => (t.build ? [t.build] : []))])
    for (const c of canonicalBuild(b.value)) rep.at("PG-GCB-IMPORT-LENIENT", b, `${b.ptr}${c.ptr}`, c.message);
  // The parts: builds in order (pipeglot part tags first), each with the triggers that run it.
  const partOf = (b: Json): number | undefined => {
    const tag = strList(b.tags).find((x) => x.startsWith(PART_TAG));
    return tag ? Number(tag.slice(PART_TAG.length)) : undefined;
  };
  const distinct: Located[] = [];
  // The same build as a trigger's inline build and as a file: equal whatever the member order.
  const key = (b: Located) => canonicalJson(b.value);
  for (const b of [...triggers.flatMap((t) => (t.build ? [t.build] : [])), ...builds]) if (!distinct.some((d) => key(d) === key(b))) distinct.push(b);
  if (!distinct.length) {
    if (!diagnostics.some((d) => d.severity === "error")) rep.atPos("PG-GCB-IMPORT-SHAPE", undefined, "no build config was found in the given files");
    return { diagnostics: sortDiagnostics(diagnostics) };
  }
  distinct.sort((a, b) => (partOf(a.value) ?? 1e9) - (partOf(b.value) ?? 1e9));
  const own = distinct.every((b) => strList(b.value.tags).includes(OWNER_TAG));
  const trigOf = (b: Located) => triggers.filter((t) => t.build && key(t.build) === key(b));
  const { ir, gcp } = pipelineHead(rep, distinct, triggers, trigOf, own);
  const cx: PipelineCx = {
    rep,
    ir,
    gcp,
    own,
    trigOf,
    tctx: { usedKeys: new Set(), builtins: new Set(), dynamic: false, dynamicSeen: false },
    irMap: new Map(),
    nativeBuild: {},
    secretsPtr: new Map(),
  };
  distinct.forEach((b, k) => importBuild(cx, b, k));
  declareUsed(cx, distinct[0]!);
  if (Object.keys(cx.nativeBuild).length) ir.native = { gcp: cx.nativeBuild };
  if (Object.keys(gcp).length) ir.targets.gcp = gcp;
  const sourceMap = irSourceMap(distinct[0]!, cx.irMap, cx.secretsPtr);
  return { pipeline: ir, diagnostics: sortDiagnostics(diagnostics), sourceMap };
}

export type { ConditionIR, StageIR };
