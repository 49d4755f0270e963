/**
 * Pipeline IR → Cloud Build: cloudbuild[.<part>].yaml per part and triggers/<name>.json per trigger.
 * Pure and deterministic.
 */
import { toJson, toYaml, type OutputFile, type ProviderOutput } from "@pipeglot/core";
import { sortDiagnostics, type PipelineIR } from "@pipeglot/schema";
import type { Build, BuildStep } from "../native/build.js";
import { ID_SEP, slug, substitutionKey, triggerNames } from "../names.js";
import { compileBuild, type PartLink } from "./build.js";
import { makeCtx, type Ctx } from "./context.js";
import { splitParts, type Part } from "./parts.js";
import { GIT_BRANCH, PASSED_BRANCH } from "./render.js";
import type { JobRef } from "./steps.js";
import { eventTriggers, finishTrigger, sourceOf } from "./triggers.js";
import { byText } from "@pipeglot/schema";

export const KIND_BUILD = "cloudbuild.BuildConfig";
export const KIND_TRIGGER = "cloudbuild.BuildTrigger";

function pipelineChecks(ctx: Ctx): void {
  const ir = ctx.ir;
  if (ir.concurrency !== "parallel")
    ctx.report("PG-GCB-CONCURRENCY", "/concurrency", `concurrency ${ir.concurrency} cannot be expressed: builds of a Cloud Build trigger run in parallel`);
  const notOverridable: string[] = [];
  for (const [k, v] of Object.entries(ir.variables)) {
    const key = substitutionKey(k);
    ctx.subst.set(k, key);
    if (key !== "_" + k)
      ctx.report(
        "PG-GCB-VARIABLE-RENAMED",
        `/variables/${k}`,
        `variable ${k} became the substitution ${key} (keys are _[A-Z0-9_]+); import gives back ${key.slice(1)}`,
      );
    if (v.description !== undefined)
      ctx.report("PG-GCB-VARIABLE-OVERRIDABLE", `/variables/${k}/description`, `the description of variable ${k} has no place in a build`);
    if (!v.overridable) notOverridable.push(k);
  }
  if (notOverridable.length)
    ctx.report(
      "PG-GCB-VARIABLE-OVERRIDABLE",
      `/variables/${notOverridable[0]}`,
      `every substitution can be overridden when a build starts, also ${notOverridable.join(", ")}`,
    );
  let jobs = 0;
  ir.stages.forEach((s, si) => {
    const sp = `/stages/${si}`;
    jobs += s.jobs.length;
    if (s.name.includes(ID_SEP)) ctx.report("PG-GCB-ID-SEPARATOR", `${sp}/name`, `stage name ${s.name} contains ${ID_SEP}, the separator of step ids`);
    if (s.description !== undefined) ctx.report("PG-GCB-DESCRIPTION", `${sp}/description`, `the description of stage ${s.name} is dropped`);
    s.jobs.forEach((j, ji) => {
      const jp = `${sp}/jobs/${ji}`;
      if (j.name.includes(ID_SEP)) ctx.report("PG-GCB-ID-SEPARATOR", `${jp}/name`, `job name ${j.name} contains ${ID_SEP}, the separator of step ids`);
      if (j.description !== undefined) ctx.report("PG-GCB-DESCRIPTION", `${jp}/description`, `the description of job ${j.id} is dropped`);
      if (j.environment !== undefined)
        ctx.report("PG-GCB-ENVIRONMENT", `${jp}/environment`, `environment ${j.environment} of job ${j.id} has no Cloud Build equivalent and is dropped`);
      if (j.matrix) ctx.report("PG-GCB-MATRIX", `${jp}/matrix`, `job ${j.id} was expanded into one chain of steps per matrix combination`);
      j.steps.forEach((st, n) => {
        if (st.id.includes(ID_SEP))
          ctx.report("PG-GCB-ID-SEPARATOR", `${jp}/steps/${n}/name`, `step name ${st.id} contains ${ID_SEP}, the separator of step ids`);
      });
      const conds: [typeof j.condition, string][] = [
        [j.condition, `${jp}/condition`],
        ...j.steps.map((st, n) => [st.condition, `${jp}/steps/${n}/condition`] as [typeof j.condition, string]),
      ];
      if (si >= 0 && ji === 0) conds.unshift([s.condition, `${sp}/condition`]);
      for (const [c, p] of conds) {
        if (!c) continue;
        if (c.status !== "success")
          ctx.report(
            "PG-GCB-CONDITION-STATUS",
            p,
            `condition ${c.status} cannot be expressed: Cloud Build stops at the first failed step (the step runs only after success)`,
          );
        if (c.branches.length || Object.keys(c.variables).length)
          ctx.report(
            "PG-GCB-CONDITION",
            p,
            `the condition became a shell guard in each step it covers (${[...c.branches.map((b) => `branch ${b}`), ...Object.entries(c.variables).map(([k, v]) => `${k} = ${v}`)].join(", ")})`,
          );
      }
    });
  });
  if (ir.stages.length > 1 || jobs > 1)
    ctx.report(
      "PG-GCB-STAGES-FLATTENED",
      "/stages",
      `${ir.stages.length} stage(s) and ${jobs} job(s) became steps with ids stage${ID_SEP}job${ID_SEP}step and waitFor edges`,
    );
}

/**
 * An artifact no later build consumes is never uploaded: jobs of the same build read it from the
 * shared /workspace, and nothing keeps it once the build ends (one warning per neutral artifact).
 */
function notKept(ctx: Ctx, j: JobRef, name: string): void {
  const k = j.job.produces.findIndex((a) => a.name === name);
  const path = `/stages/${j.si}/jobs/${j.ji}/artifacts/produce/${k}`;
  if (ctx.diagnostics.some((d) => d.code === "PG-GCB-ARTIFACT-NOT-KEPT" && d.path === path)) return;
  ctx.report(
    "PG-GCB-ARTIFACT-NOT-KEPT",
    path,
    `artifact ${name} of job ${j.job.id} is not kept: no later build consumes it, so it is not uploaded; the jobs of the same build see its files in the shared /workspace (and an artifact matching no file does not fail the job), and nothing keeps them once the build ends`,
  );
}

function gateDiagnostics(ctx: Ctx, part: Part, trigger: string): void {
  const s = part.gate!;
  const sp = `/stages/${part.gateIndex}`;
  if (s.approval) {
    ctx.report(
      "PG-GCB-APPROVAL-SPLIT",
      `${sp}/approval`,
      `stage ${s.name} waits for an approval: it starts the build of trigger ${trigger} (approvalConfig.approvalRequired: true), run by the last step of the previous build`,
    );
    if (s.approval.approvers.length)
      ctx.report(
        "PG-GCB-APPROVERS",
        `${sp}/approval/approvers`,
        `approvers ${s.approval.approvers.join(", ")} are dropped: grant them roles/cloudbuild.builds.approver`,
      );
    if (s.approval.timeoutSeconds !== undefined)
      ctx.report(
        "PG-GCB-APPROVAL-TIMEOUT",
        `${sp}/approval/timeout`,
        `the approval timeout (${s.approval.timeoutSeconds}s) is dropped: Cloud Build approvals wait until decided`,
      );
    if (s.approval.notify.length)
      ctx.report("PG-GCB-APPROVAL-NOTIFY", `${sp}/approval/notify`, `notify ${s.approval.notify.join(", ")} is dropped: use Cloud Build Pub/Sub notifications`);
  }
  if (!s.transition.enabled)
    ctx.report(
      "PG-GCB-DISABLED-TRANSITION",
      `${sp}/transition`,
      `the transition into ${s.name} is disabled: trigger ${trigger} is written disabled${s.transition.reason ? ` with the reason in its description` : ""}; the previous build's last step finds it disabled and starts nothing (pipeglot release ${s.name} enables it and lets the held run through)`,
    );
}

export function gateDescription(part: Part): string | undefined {
  const s = part.gate;
  if (!s) return undefined;
  const lines: string[] = [];
  if (s.approval?.instructions) lines.push(`Approval: ${s.approval.instructions}`);
  if (s.transition.reason) lines.push(`Held: ${s.transition.reason}`);
  return lines.length ? lines.join("\n") : undefined;
}

export function compile(ir: PipelineIR): ProviderOutput {
  const ctx = makeCtx(ir);
  pipelineChecks(ctx);
  const parts = splitParts(ir);
  const names = triggerNames();
  const take = (wanted: string) => {
    const n = names.take(wanted);
    if (n !== wanted) ctx.report("PG-GCB-NAME-SANITIZED", "/name", `trigger name ${JSON.stringify(wanted)} became ${n}`);
    return n;
  };
  const src = sourceOf(ctx);
  const events = eventTriggers(ctx, src);
  const eventNames = events.map((e) => take(`${ir.name}-${e.kind}`));
  const partNames = parts.map((p) => (p.gate ? take(`${ir.name}-${p.gate.name}`) : ""));
  const fileSlugs = new Set<string>();
  const files: OutputFile[] = [];
  const links = partLinks(ctx, parts, partNames);
  parts.forEach((part, k) => {
    ctx.branch = k > 0 ? PASSED_BRANCH : GIT_BRANCH;
    const build = compileBuild(ctx, part, links[k]!);
    let file = "cloudbuild.yaml";
    if (part.gate) {
      let sl = slug(part.gate.name);
      while (fileSlugs.has(sl)) sl += "-" + k;
      fileSlugs.add(sl);
      file = `cloudbuild.${sl}.yaml`;
    }
    files.push({
      path: file,
      kind: KIND_BUILD,
      content: toYaml(orderBuild(build), [`Generated by pipeglot from pipeline ${ir.name} (part ${k}). Do not edit: edit the pipeglot definition.`]),
    });
    if (k === 0) {
      events.forEach((e, i) => {
        const t = finishTrigger(ctx, eventNames[i]!, e.trigger, build, { ...(ir.description ? { description: ir.description } : {}) });
        files.push({ path: `triggers/${t.name}.json`, kind: KIND_TRIGGER, content: toJson(t) });
      });
    } else files.push(gateTrigger(ctx, part, partNames[k]!, src.manual, build));
  });
  files.sort(byText((x) => x.path));
  return { provider: "gcp", pipeline: ir.name, files, diagnostics: sortDiagnostics(ctx.diagnostics) };
}

/** The trigger that starts a gated part (by hand, or from the part before): disabled while its transition is. */
function gateTrigger(ctx: Ctx, part: Part, name: string, manual: object, build: Build): OutputFile {
  gateDiagnostics(ctx, part, name);
  const desc = gateDescription(part);
  const t = finishTrigger(ctx, name, { sourceToBuild: { ...manual } }, build, {
    ...(desc ? { description: desc } : {}),
    disabled: !part.gate!.transition.enabled,
    approval: part.gate!.approval !== undefined,
  });
  return { path: `triggers/${t.name}.json`, kind: KIND_TRIGGER, content: toJson(t) };
}

/** How each part links to the others: the tarballs it fetches, the artifacts it uploads, the trigger it starts next. */
function partLinks(ctx: Ctx, parts: Part[], partNames: string[]): PartLink[] {
  const { ir } = ctx;
  const producer = new Map<string, number>();
  for (const p of parts) for (const s of p.stages) for (const j of s.jobs) for (const a of j.job.produces) producer.set(a.name, p.index);
  const bucket = ir.targets.gcp?.artifactBucket ?? "REPLACE-WITH-ARTIFACT-BUCKET";
  let bucketWarned = false;
  const tarball = (p: Part) => `${p.gate ? slug(p.gate.name) : "start"}.tgz`;
  return parts.map((part, k) => {
    const link: PartLink = { upload: [], fetch: [], bucket, tarball: tarball(part) };
    const next = parts[k + 1];
    if (next)
      link.next = {
        trigger: partNames[k + 1]!,
        disabled: !next.gate!.transition.enabled,
        ...(ir.targets.gcp?.region ? { region: ir.targets.gcp.region } : {}),
      };
    for (const s of part.stages)
      for (const j of s.jobs)
        for (const a of j.job.consumes) {
          const from = producer.get(a);
          if (from === undefined || from === part.index) continue;
          const fp = parts.find((p) => p.index === from)!;
          if (!link.fetch.includes(tarball(fp))) link.fetch.push(tarball(fp));
          ctx.report(
            "PG-GCB-ARTIFACT-GCS",
            `/stages/${j.si}/jobs/${j.ji}/artifacts/consume`,
            `artifact ${a} crosses a split: it travels through gs://${bucket}/${ir.name}/<commit>/${tarball(fp)}`,
          );
          if (!ir.targets.gcp?.artifactBucket && !bucketWarned) {
            bucketWarned = true;
            ctx.report(
              "PG-GCB-ARTIFACT-BUCKET",
              "/targets",
              `artifacts cross a split but targets.gcp.artifactBucket is not set: the placeholder bucket ${bucket} was written`,
            );
          }
        }
    uploads(ctx, parts, part, link);
    return link;
  });
}

/** The artifacts a part produces that a later part consumes (the others are reported as not kept). */
function uploads(ctx: Ctx, parts: Part[], part: Part, link: PartLink): void {
  for (const s of part.stages)
    for (const j of s.jobs)
      for (const a of j.job.produces) {
        const later = parts.some((p) => p.index > part.index && p.stages.some((ps) => ps.jobs.some((pj) => pj.job.consumes.includes(a.name))));
        if (!later) {
          notKept(ctx, j, a.name);
          continue;
        }
        const u = link.upload.find((x) => x.name === a.name);
        if (u) u.producers.push(j);
        else link.upload.push({ name: a.name, paths: [...a.paths], producers: [j] });
      }
}

const STEP_ORDER = ["id", "name", "entrypoint", "args", "script", "env", "secretEnv", "dir", "waitFor", "timeout", "allowFailure"];
const BUILD_ORDER = ["steps", "timeout", "substitutions", "availableSecrets", "artifacts", "images", "options", "tags"];

function ordered<T extends Record<string, unknown>>(o: T, order: string[]): T {
  const keys = [
    ...order.filter((k) => k in o),
    ...Object.keys(o)
      .filter((k) => !order.includes(k))
      .sort(),
  ];
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as T;
}

/** Stable key order for the YAML file (native fragments may add keys). */
export function orderBuild(b: Build): Build {
  return ordered({ ...b, steps: b.steps.map((s: BuildStep) => ordered(s, STEP_ORDER)) }, BUILD_ORDER);
}
