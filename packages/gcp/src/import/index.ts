/**
 * Cloud Build files → Pipeline IR. Reads build configs (cloudbuild.yaml / .json) and triggers
 * (REST JSON or `gcloud builds triggers export` YAML, with an inline build or a filename).
 * Pure; never throws for bad input.
 */
import { isObject, splitManifest } from "@pipeglot/core";
import type { ImportOptions, ImportResult, NativeFile } from "@pipeglot/core";
import {
  sortDiagnostics,
  type ConditionIR,
  type Diagnostic,
  type JobIR,
  type PipelineIR,
  type Position,
  type RunnerSize,
  type SourceMap,
  type StageIR,
} from "@pipeglot/schema";
import { reporter } from "@pipeglot/core";
import { CODES } from "../diagnostics.js";
import { STEP_FIELDS } from "../native/build.js";
import { GENERATED_PREFIX, neutralName, OWNER_TAG, PART_TAG, PIPELINE_TAG } from "../names.js";
import { camelizeKeys, parseFile, strList, type Json, type ParsedDoc } from "./parse.js";
import { canonicalBuild } from "./lenient.js";
import { importStep, nativeStep, type TextCtx } from "./steps.js";
import { inferShape, isPipeglotBuild, pipeglotShape, type RawStepRef } from "./structure.js";
import { importTriggers, triggerKind } from "./triggers.js";

const TRIGGER_KEYS = ["build", "filename", "github", "triggerTemplate", "repositoryEventConfig", "sourceToBuild", "pubsubConfig", "webhookConfig", "gitFileSource", "autodetect"];

const isBuild = (v: unknown): v is Json => isObject(v) && Array.isArray(v.steps);
const isTrigger = (v: unknown): v is Json => isObject(v) && !Array.isArray(v.steps) && TRIGGER_KEYS.some((k) => k in v);

/** Google's file name conventions: cloudbuild.yaml, cloudbuild.json, int.cloudbuild.yaml, cloudbuild_v2.yaml. */
const PASSED_BRANCH_KEY = "_PIPEGLOT_BRANCH";
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

interface Located {
  value: Json;
  file: string;
  /** Pointer of this object in its native file. */
  ptr: string;
  sm: SourceMap;
}

const MACHINE_RUNNER: Record<string, RunnerSize> = { E2_HIGHCPU_8: "large", N1_HIGHCPU_8: "large", E2_HIGHCPU_32: "xlarge", N1_HIGHCPU_32: "xlarge" };

export function importFiles(files: NativeFile[], opts: ImportOptions = {}): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const report = reporter(CODES, diagnostics);
  const at = (code: keyof typeof CODES, where: { sm: SourceMap; file: string }, ptr: string, message: string) => {
    report(code, "", message);
    const d = diagnostics[diagnostics.length - 1]!;
    const p = where.sm.locate(ptr);
    Object.assign(d, { file: where.file, line: p.line, column: p.column });
  };
  const builds: Located[] = [];
  const triggers: (Located & { build?: Located })[] = [];
  for (const f of splitManifest(files).files) {
    const parsed = parseFile(f.path, f.content);
    for (const e of parsed.errors) diagnostics.push({ severity: "error", code: "PG-GCB-IMPORT-SYNTAX", message: e.message, path: "", file: e.file, line: e.line, column: e.column });
    for (const e of parsed.lenient) diagnostics.push({ severity: "info", code: "PG-GCB-IMPORT-LENIENT", message: e.what, path: "", file: e.file, line: e.line, column: e.column });
    // A key given twice: what a reviewer read may not be what would be imported (the import stops below).
    diagnostics.push(...parsed.duplicates);
    if (parsed.duplicates.length) continue;
    for (const d of parsed.docs) {
      const items = Array.isArray(d.value) && d.value.every(isTrigger) ? d.value.map((v, i) => ({ v, ptr: `/${i}` })) : [{ v: d.value, ptr: "" }];
      for (const { v: rawV, ptr } of items) {
        const v = camelizeKeys(rawV);
        if (isBuild(v)) builds.push({ value: v, file: f.path, ptr, sm: d.sm });
        else if (isTrigger(v)) triggers.push({ value: v, file: f.path, ptr, sm: d.sm });
        else at("PG-GCB-IMPORT-SHAPE", { sm: d.sm, file: f.path }, ptr, `${f.path} is neither a build config (no steps list) nor a build trigger`);
      }
    }
  }
  // Resolve each trigger's build: inline, or a file named by `filename`.
  for (const t of triggers) {
    if (isBuild(t.value.build)) t.build = { value: t.value.build as Json, file: t.file, ptr: `${t.ptr}/build`, sm: t.sm };
    else if (typeof t.value.filename === "string") {
      const fn = t.value.filename;
      const given = builds.find((b) => b.file === fn || b.file.endsWith("/" + fn));
      if (given) t.build = given;
      else {
        const text = opts.readFile?.(fn);
        const parsed = text !== undefined ? parseFile(fn, text) : undefined;
        diagnostics.push(...(parsed?.duplicates ?? []));
        const v = parsed?.docs[0] ? camelizeKeys(parsed.docs[0].value) : undefined;
        if (parsed?.duplicates.length) continue;
        if (parsed && isBuild(v)) t.build = { value: v, file: fn, ptr: "", sm: parsed.docs[0]!.sm };
        else at("PG-GCB-IMPORT-FILENAME", t, `${t.ptr}/filename`, `trigger ${String(t.value.name ?? "")} builds ${fn}, which was not given`);
      }
    }
  }
  if (diagnostics.some((d) => d.code === "PG-GCB-IMPORT-DUPLICATE-KEY")) return { diagnostics: sortDiagnostics(diagnostics) };
  // What Google reads leniently ("30m", options.workerPool) becomes the documented form.
  for (const b of [...builds, ...triggers.flatMap((t) => (t.build ? [t.build] : []))])
    for (const c of canonicalBuild(b.value)) at("PG-GCB-IMPORT-LENIENT", b, `${b.ptr}${c.ptr}`, c.message);
  // The parts: builds in order (pipeglot part tags first), each with the triggers that run it.
  const partOf = (b: Json): number | undefined => {
    const tag = strList(b.tags).find((x) => x.startsWith(PART_TAG));
    return tag ? Number(tag.slice(PART_TAG.length)) : undefined;
  };
  const distinct: Located[] = [];
  const key = (b: Located) => JSON.stringify(b.value);
  for (const b of [...triggers.flatMap((t) => (t.build ? [t.build] : [])), ...builds]) if (!distinct.some((d) => key(d) === key(b))) distinct.push(b);
  if (!distinct.length) {
    if (!diagnostics.some((d) => d.severity === "error")) diagnostics.push({ severity: "error", code: "PG-GCB-IMPORT-SHAPE", message: "no build config was found in the given files", path: "" });
    return { diagnostics: sortDiagnostics(diagnostics) };
  }
  distinct.sort((a, b) => (partOf(a.value) ?? 1e9) - (partOf(b.value) ?? 1e9));
  const own = distinct.every((b) => strList(b.value.tags).includes(OWNER_TAG));
  const trigOf = (b: Located) => triggers.filter((t) => t.build && key(t.build) === key(b));

  // Pipeline-level facts.
  const tctx: TextCtx = { usedKeys: new Set(), builtins: new Set(), dynamic: false, dynamicSeen: false };
  const nameTag = strList(distinct[0]!.value.tags).find((x) => x.startsWith(PIPELINE_TAG));
  const firstTriggers = trigOf(distinct[0]!);
  const baseFile = (distinct[0]!.file.split("/").pop() ?? "pipeline").replace(/\.(ya?ml|json)$/i, "");
  const name = nameTag
    ? nameTag.slice(PIPELINE_TAG.length)
    : neutralName(String(firstTriggers[0]?.value.name ?? baseFile), "pipeline").slice(0, 64);
  const ti = importTriggers(own ? firstTriggers.map((t) => t.value) : triggers.map((t) => t.value));
  for (const p of ti.problems) {
    const t = triggers.find((x) => x.value === p.trigger)!;
    at(p.code, t, t.ptr, p.message);
  }
  if (!triggers.length) at("PG-GCB-IMPORT-NO-SOURCE", distinct[0]!, distinct[0]!.ptr, `${distinct[0]!.file} has no trigger: the repository is unknown and the default triggers (push to main, manual) were used`);
  const ir: PipelineIR = {
    version: 1,
    name,
    source: ti.source,
    triggers: triggers.length ? ti.triggers : { push: { branches: { include: ["main"], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } }, schedules: [], manual: true },
    concurrency: "parallel",
    variables: {},
    secrets: {},
    defaults: {},
    stages: [],
    targets: {},
  };
  if (!triggers.length) ir.source = { repository: `unknown/${name}`, branch: "main" };
  if (ti.description !== undefined && own) ir.description = ti.description;
  const gcp: NonNullable<PipelineIR["targets"]["gcp"]> = {};
  if (ti.connection) gcp.connection = ti.connection;
  const sa = triggers.find((t) => typeof t.value.serviceAccount === "string")?.value.serviceAccount as string | undefined;
  if (sa) gcp.serviceAccount = sa;

  const irMap = new Map<string, { loc: Located; ptr: string }>();
  const nativeBuild: Json = {};
  const secretsPtr = new Map<string, string>();

  distinct.forEach((b, k) => {
    const build = b.value;
    const steps: RawStepRef[] = (build.steps as unknown[]).map((raw, index) => ({ raw: isObject(raw) ? raw : {}, index }));
    const pipeglot = own && isPipeglotBuild(steps);
    tctx.dynamic = isObject(build.options) && build.options.dynamicSubstitutions === true;
    // A pipeglot build started by a previous one reads the branch from _PIPEGLOT_BRANCH (compile/build.ts passOn).
    tctx.passedBranch = pipeglot && isObject(build.substitutions) && PASSED_BRANCH_KEY in build.substitutions;
    // Substitutions → variables.
    for (const [sk, sv] of Object.entries(isObject(build.substitutions) ? build.substitutions : {})) {
      if (!sk.startsWith("_") || (tctx.passedBranch && sk === PASSED_BRANCH_KEY)) continue;
      ir.variables[sk.slice(1)] ??= { default: String(sv), overridable: true };
    }
    for (const t of trigOf(b)) for (const [sk, sv] of Object.entries(isObject(t.value.substitutions) ? t.value.substitutions : {})) if (sk.startsWith("_") && !(tctx.passedBranch && sk === PASSED_BRANCH_KEY)) ir.variables[sk.slice(1)] ??= { default: String(sv), overridable: true };
    // Secrets.
    const avail = isObject(build.availableSecrets) ? build.availableSecrets : {};
    (Array.isArray(avail.secretManager) ? avail.secretManager : []).forEach((s: unknown, i: number) => {
      if (!isObject(s) || typeof s.env !== "string") return;
      ir.secrets[s.env] ??= { gcp: String(s.versionName ?? "") };
      secretsPtr.set(s.env, `${b.ptr}/availableSecrets/secretManager/${i}`);
    });
    const legacy = [...(Array.isArray(build.secrets) ? build.secrets : []), ...(Array.isArray(avail.inline) ? avail.inline : [])];
    legacy.forEach((s: unknown) => {
      if (!isObject(s)) return;
      const m = isObject(s.secretEnv) ? s.secretEnv : isObject(s.envMap) ? s.envMap : {};
      for (const env of Object.keys(m)) {
        ir.secrets[env] ??= { description: `KMS-encrypted with ${String(s.kmsKeyName ?? "")}; move it to Secret Manager and set its gcp reference` };
        at("PG-GCB-IMPORT-KMS-SECRET", b, `${b.ptr}/secrets`, `secret ${env} is KMS-encrypted ciphertext: not imported; store it in Secret Manager and reference it`);
      }
    });
    // Steps → stages and jobs.
    const userSteps = steps.filter((s) => !(typeof s.raw.id === "string" && s.raw.id.startsWith(GENERATED_PREFIX)));
    for (const s of steps) {
      const id = s.raw.id;
      if (typeof id !== "string" || !id.startsWith(GENERATED_PREFIX) || !pipeglot) continue;
      const args = strList(s.raw.args).join(" ");
      const bm = /gs:\/\/([^/\s]+)\//.exec(args);
      if (bm && bm[1] !== "REPLACE-WITH-ARTIFACT-BUCKET") gcp.artifactBucket = bm[1]!;
      const rm = /--region=(\S+)/.exec(args);
      if (rm) gcp.region = rm[1]!;
    }
    if (!pipeglot && userSteps.length) at("PG-GCB-IMPORT-STRUCTURE", b, `${b.ptr}/steps`, `${b.file} was not written by pipeglot: ${userSteps.length} step(s) grouped into jobs along the waitFor graph`);
    const shapes = pipeglot ? pipeglotShape(userSteps) : inferShape(pipeglot ? userSteps : steps, k === 0 ? "build" : `build-${k + 1}`, (id, fb) => (id === undefined ? fb : neutralName(id, fb)));
    const opt = isObject(build.options) ? build.options : {};
    const runner: RunnerSize = MACHINE_RUNNER[String(opt.machineType ?? "")] ?? "small";
    const firstStageOfPart = ir.stages.length;
    for (const sh of shapes) {
      let stage = ir.stages.find((s) => s.name === sh.stage);
      if (!stage) {
        stage = { id: sh.stage, name: sh.stage, needs: [], transition: { enabled: true }, jobs: [] };
        ir.stages.push(stage);
      }
      for (const n of sh.stageNeeds) if (!stage.needs.includes(n)) stage.needs.push(n);
      const si = ir.stages.indexOf(stage);
      const job: JobIR = { id: `${stage.name}.${sh.job}`, name: sh.job, needs: [...sh.needs], image: "", runner, env: {}, steps: [], produces: [], consumes: [], retries: 0 };
      const ji = stage.jobs.length;
      stage.jobs.push(job);
      let imported = sh.steps.map(({ ref }) => importStep(ref.raw, tctx));
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
        const sname = sh.steps[n]!.stepName;
        st.id = sname ?? `step-${n + 1}`;
        if (sname !== undefined && sname !== `step-${n + 1}`) st.name = sname;
        if (im.native) {
          const g = st.native!.gcp as Json;
          if (g.name === job.image) delete g.name;
          at("PG-GCB-IMPORT-NATIVE-STEP", b, `${b.ptr}/steps/${sh.steps[n]!.ref.index}`, `step ${String(sh.steps[n]!.ref.raw.id ?? sh.steps[n]!.ref.index + 1)} (${im.image}) is not a shell command: kept as a native step`);
        }
        if (im.jobRetries) job.retries = im.jobRetries;
        if (im.jobCondition) job.condition = im.jobCondition;
        if (im.stageCondition) stage!.condition = im.stageCondition;
        job.steps.push(st);
        irMap.set(`/stages/${si}/jobs/${ji}/steps/${n}`, { loc: b, ptr: `${b.ptr}/steps/${sh.steps[n]!.ref.index}` });
      });
      liftEnv(job);
      irMap.set(`/stages/${si}/jobs/${ji}`, { loc: b, ptr: `${b.ptr}/steps/${sh.steps[0]?.ref.index ?? 0}` });
    }
    // A later part: its first stage is gated by the trigger that runs it.
    if (k > 0 && ir.stages.length > firstStageOfPart) {
      const gate = ir.stages[firstStageOfPart]!;
      const prevStages = ir.stages.slice(0, firstStageOfPart);
      if (!gate.needs.length) gate.needs = prevStages.filter((s) => !prevStages.some((o) => o.needs.includes(s.name))).map((s) => s.name);
      const t = trigOf(b)[0]?.value;
      const desc = typeof t?.description === "string" ? t.description : "";
      const line = (p: string) => desc.split("\n").find((l) => l.startsWith(p))?.slice(p.length);
      if (t && isObject(t.approvalConfig) && t.approvalConfig.approvalRequired === true) {
        gate.approval = { approvers: [], notify: [] };
        const ins = line("Approval: ");
        if (ins !== undefined) gate.approval.instructions = ins;
      }
      if (t?.disabled === true) {
        gate.transition = { enabled: false };
        const r = line("Held: ");
        if (r !== undefined) gate.transition.reason = r;
      }
    } else if (k > 0 && !own) {
      /* foreign builds of other triggers: appended as further stages */
    }
    // Build-level fields without a neutral home → native.gcp.
    for (const [fk, fv] of Object.entries(build)) {
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
        at("PG-GCB-IMPORT-FIELD", b, `${b.ptr}/${fk}`, `build field ${fk} has no neutral equivalent: kept in native.gcp`);
      }
    }
    if (tctx.dynamicSeen) {
      at("PG-GCB-IMPORT-DYNAMIC", b, `${b.ptr}/options`, "bash-style dynamic substitutions are kept as text (they become shell expansions)");
      tctx.dynamicSeen = false;
    }
  });
  // Variables used but not declared.
  for (const key of [...tctx.usedKeys].sort()) {
    const v = key.slice(1);
    if (!(v in ir.variables)) {
      ir.variables[v] = { default: "", overridable: true };
      at("PG-GCB-IMPORT-UNDEFINED-SUBST", distinct[0]!, `${distinct[0]!.ptr}/steps`, `substitution ${key} is used but has no default: variable ${v} declared with an empty default`);
    }
  }
  for (const k of [...tctx.builtins].sort())
    at("PG-GCB-IMPORT-BUILTIN-SUBST", distinct[0]!, `${distinct[0]!.ptr}/steps`, `built-in substitution $${k} has no neutral equivalent: kept as the shell variable $${k}`);
  // Secrets referenced by steps but not declared (e.g. secretEnv from build options).
  for (const s of ir.stages) for (const j of s.jobs) for (const e of [j.env, ...j.steps.map((x) => x.env)]) for (const v of Object.values(e)) {
    const m = /^\$\{\{ secrets\.([A-Za-z_][A-Za-z0-9_]*) \}\}$/.exec(v);
    if (m && !(m[1]! in ir.secrets)) ir.secrets[m[1]!] = {};
  }
  if (Object.keys(nativeBuild).length) ir.native = { gcp: nativeBuild };
  if (Object.keys(gcp).length) ir.targets.gcp = gcp;
  const sourceMap = irSourceMap(distinct[0]!, irMap, secretsPtr);
  return { pipeline: ir, diagnostics: sortDiagnostics(diagnostics), sourceMap };
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

function irSourceMap(main: Located, map: Map<string, { loc: Located; ptr: string }>, secrets: Map<string, string>): SourceMap {
  const locate = (ptr: string): Position => {
    let p = ptr;
    for (;;) {
      const m = /^\/secrets\/([^/]+)/.exec(p);
      if (m && secrets.has(m[1]!)) return main.sm.locate(secrets.get(m[1]!)!);
      const hit = map.get(p);
      if (hit) return hit.loc.sm.locate(hit.ptr);
      if (!p) return main.sm.locate(main.ptr);
      p = p.slice(0, p.lastIndexOf("/"));
    }
  };
  return { file: main.file, locate, locateInString: (ptr) => locate(ptr) };
}

export type { ConditionIR, StageIR };
