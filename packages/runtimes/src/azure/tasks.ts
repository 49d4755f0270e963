/**
 * The non-script steps pipeglot's compile writes, done by the model itself (not recorded):
 * checkout, the artifact tasks, CopyFiles@2 and the agentless ManualValidation task.
 */
import { cpSync, existsSync, mkdirSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { matchFiles } from "../sandbox.js";
import type { JobContext, StepOutcome } from "./context.js";

const OK: StepOutcome = { exit: 0, timedOut: false };
const FAIL: StepOutcome = { exit: 1, timedOut: false };

type Inputs = Record<string, unknown>;

/** The first of `names` set in `inputs` (task input aliases), macros expanded. */
function input(ctx: JobContext, inputs: Inputs, ...names: string[]): string | undefined {
  for (const n of names) if (inputs[n] !== undefined && inputs[n] !== null) return ctx.scope.expand(String(inputs[n]));
  return undefined;
}

const under = (ctx: JobContext, p: string): string => (isAbsolute(p) ? p : join(ctx.dirs.sources, p));

/**
 * `checkout: self` places the repository in $(Build.SourcesDirectory); `checkout: none` does nothing.
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps-checkout
 */
export function checkout(ctx: JobContext, what: string): StepOutcome {
  if (what === "none") return OK;
  if (what !== "self") {
    ctx.notes.push(`checkout of ${what} is not modelled`);
    return OK;
  }
  cpSync(ctx.sandbox.snapshot, ctx.dirs.sources, { recursive: true });
  return OK;
}

/**
 * DownloadPipelineArtifact@2 (and the `download: current` shortcut): one named artifact is placed
 * directly in the target path (default $(Pipeline.Workspace)); without a name every artifact of the
 * run goes to <path>/<artifact>. An artifact that was never published fails the task.
 * https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/download-pipeline-artifact-v2
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps-download
 */
export function downloadArtifacts(ctx: JobContext, name: string | undefined, target: string | undefined): StepOutcome {
  const dir = target === undefined ? ctx.dirs.workspace : under(ctx, target);
  mkdirSync(dir, { recursive: true });
  if (name !== undefined) return ctx.sandbox.restoreArtifact(name, dir) ? OK : FAIL;
  for (const a of ctx.published) ctx.sandbox.restoreArtifact(a, join(dir, a));
  return OK;
}

/**
 * PublishPipelineArtifact@1 (`publish:` shortcut): uploads a file or folder (relative paths from
 * $(System.DefaultWorkingDirectory)) as a named artifact; a path that does not exist fails the
 * task ("Path does not exist"), and so does a second artifact of the same name in the run.
 * https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/publish-pipeline-artifact-v1
 * https://learn.microsoft.com/azure/devops/pipelines/artifacts/pipeline-artifacts
 */
export function publishArtifact(ctx: JobContext, path: string | undefined, name: string, traced = name): StepOutcome {
  const p = under(ctx, path ?? ctx.dirs.sources);
  if (!existsSync(p) || ctx.published.has(name)) return FAIL;
  const isDir = statSync(p).isDirectory();
  // `traced`: the neutral artifact it is in the trace (see mapping.neutralArtifact).
  ctx.saved[traced] = isDir ? ctx.sandbox.saveArtifact(name, p, ["**"]) : ctx.sandbox.saveArtifact(name, dirname(p), [basename(p)]);
  ctx.published.add(name);
  return OK;
}

/**
 * CopyFiles@2: the files under SourceFolder matching the Contents patterns (one a line) are copied
 * to TargetFolder at their relative paths; no match copies nothing (the target is not created).
 * https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/copy-files-v2
 */
export function copyFiles(ctx: JobContext, inputs: Inputs): StepOutcome {
  const source = under(ctx, input(ctx, inputs, "SourceFolder", "sourceFolder") ?? ctx.dirs.sources);
  const target = input(ctx, inputs, "TargetFolder", "targetFolder");
  if (!existsSync(source) || target === undefined) return FAIL;
  const patterns = (input(ctx, inputs, "Contents", "contents") ?? "**")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
  const flatten = String(inputs.flattenFolders ?? "false").toLowerCase() === "true";
  for (const f of matchFiles(source, patterns)) {
    const to = join(under(ctx, target), flatten ? basename(f) : f);
    if (existsSync(to) && String(inputs.OverWrite ?? "false").toLowerCase() !== "true") continue;
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(source, f), to);
  }
  return OK;
}

/**
 * ManualValidation@0/@1 in an agentless job: pauses the run until someone resumes or rejects it;
 * a rejection fails the task (and so the job), and the run shows the validation as rejected.
 * Here: approved at once unless the stage is in opts.reject; a rejection is remembered so that the
 * stage is reported as rejected (what the cloud shows), not as failed.
 * https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/manual-validation-v1
 */
export function manualValidation(ctx: JobContext): StepOutcome {
  if (!ctx.opts.reject.includes(ctx.stageName)) return OK;
  ctx.rejected.add(ctx.stageName);
  return FAIL;
}
