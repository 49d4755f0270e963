/**
 * Templates that could not be read (not among the files, or in a repository with no templateRoots
 * entry). The expander leaves their reference in place (`{ template, parameters }`); here each one
 * becomes the closest valid neutral construct that a compile to Azure writes back as the same
 * reference:
 *  - a steps template → a native-only step whose `native.azure` is the reference;
 *  - a jobs template → a job whose `native.azure` is the reference (compile writes the reference in
 *    place of the job), with one placeholder step that fails the run on other providers;
 *  - a stages template → a stage likewise, holding one such job;
 *  - `extends` → one stage and job likewise; `native.azure` of the pipeline carries `extends`.
 */
import { DEFAULT_IMAGE, type JobIR, type StageIR, type StepIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { neutralName } from "../names.js";
import { mark, report, type ImportCtx } from "./context.js";

type TemplateRef = { template: string; parameters?: unknown };

/** An item the expander left as a reference: only `template` (and `parameters`). */
export function isTemplateRef(v: unknown): v is TemplateRef & Record<string, unknown> {
  return isObject(v) && typeof v.template === "string" && Object.keys(v).every((k) => k === "template" || k === "parameters");
}

/** The reference as native.azure holds it. */
export function refFragment(ref: TemplateRef): Record<string, unknown> {
  return { template: ref.template, ...(ref.parameters !== undefined ? { parameters: structuredClone(ref.parameters) } : {}) };
}

/** A neutral name for what a template stands for: `template-<file name>`. */
export function templateName(ref: string): string {
  const base = ref
    .split("@")[0]!
    .split("/")
    .pop()!
    .replace(/\.ya?ml$/i, "");
  return neutralName(`template-${base}`) ?? "template";
}

/** A command that fails the run and says which template it stands for (quotes and `$`/`{` removed, so it stays literal). */
function placeholderCommand(what: string, ref: string): string {
  const safe = ref.replace(/[^A-Za-z0-9@._/ -]/g, "");
  return `echo 'pipeglot: this ${what} comes from the Azure template ${safe}, which was not read; import again with the template files (or edit the definition)' >&2\nexit 1`;
}

function placeholderStep(what: string, ref: string): StepIR {
  return { id: "template-not-read", name: "template-not-read", run: placeholderCommand(what, ref), shell: "bash", env: {}, continueOnError: false, retries: 0 };
}

/** A steps template → a native-only step (no name: Azure allows only template and parameters on it). */
export function templateStep(ctx: ImportCtx, ref: TemplateRef & Record<string, unknown>, id: string, ptr: string): StepIR {
  report(ctx, "PG-ADO-IMPORT-TEMPLATE-UNREAD", `steps template ${ref.template} was not read; kept as a native.azure step carrying the reference`, ref, ptr);
  mark(ctx, ptr, ref);
  return { id, shell: "bash", env: {}, continueOnError: false, retries: 0, native: { azure: refFragment(ref) } };
}

/** A jobs template → a job that Azure writes back as the reference; elsewhere it fails the run. */
export function templateJob(ctx: ImportCtx, ref: TemplateRef & Record<string, unknown>, stage: string, name: string, ptr: string): JobIR {
  report(
    ctx,
    "PG-ADO-IMPORT-TEMPLATE-UNREAD",
    `jobs template ${ref.template} was not read; kept as job ${name} whose native.azure is the reference (other providers get a step that fails the run)`,
    ref,
    ptr,
  );
  mark(ctx, ptr, ref);
  return {
    id: `${stage}.${name}`,
    name,
    needs: [],
    image: DEFAULT_IMAGE,
    runner: "small",
    env: {},
    steps: [placeholderStep("job", ref.template)],
    produces: [],
    consumes: [],
    retries: 0,
    native: { azure: refFragment(ref) },
  };
}

/** A stages template → a stage that Azure writes back as the reference, holding one placeholder job. */
export function templateStage(ctx: ImportCtx, ref: TemplateRef & Record<string, unknown>, name: string, needs: string[], ptr: string): StageIR {
  report(
    ctx,
    "PG-ADO-IMPORT-TEMPLATE-UNREAD",
    `stages template ${ref.template} was not read; kept as stage ${name} whose native.azure is the reference (other providers get a step that fails the run)`,
    ref,
    ptr,
  );
  mark(ctx, ptr, ref);
  const job = templateJob({ ...ctx, diagnostics: [] }, ref, name, "template-not-read", `${ptr}/jobs/0`);
  delete job.native;
  job.steps = [placeholderStep("stage", ref.template)];
  return { id: name, name, needs, transition: { enabled: true }, jobs: [job], native: { azure: refFragment(ref) } };
}

/** `extends` of a template that could not be read, with no stages of its own: one stage standing for it. */
export function extendsStage(ctx: ImportCtx, ref: TemplateRef & Record<string, unknown>): StageIR {
  report(
    ctx,
    "PG-ADO-IMPORT-TEMPLATE-UNREAD",
    `extends template ${ref.template} was not read; kept as native.azure extends (other providers get a stage whose step fails the run)`,
    ref,
    "/native/azure/extends",
  );
  const stage = templateStage({ ...ctx, diagnostics: [] }, ref, templateName(ref.template), [], "/stages/0");
  delete stage.native;
  stage.jobs[0]!.steps = [placeholderStep("pipeline", ref.template)];
  return stage;
}

/** True when a job or stage of the IR stands for a template reference (compile writes it back as such). */
export function isTemplatePlaceholder(x: { native?: { azure?: Record<string, unknown> } }): boolean {
  return typeof x.native?.azure?.template === "string";
}
