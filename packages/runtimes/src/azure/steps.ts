/**
 * One attempt of one step, by its kind: script shortcuts (bash/script/pwsh/powershell), checkout,
 * download, publish, and tasks by name@version. Steps: https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps
 */
import type { JobContext, StepOutcome, StepRun } from "./context.js";
import { neutralArtifact } from "./mapping.js";
import { runScript } from "./scripts.js";
import { checkout, copyFiles, downloadArtifacts, manualValidation, publishArtifact } from "./tasks.js";

type Inputs = Record<string, unknown>;

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

function inputsOf(ctx: JobContext, step: Record<string, unknown>): Inputs {
  const raw = typeof step.inputs === "object" && step.inputs !== null ? (step.inputs as Inputs) : {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, ctx.scope.expand(String(v ?? ""))]));
}

function pick(inputs: Inputs, ...names: string[]): string | undefined {
  for (const n of names) if (inputs[n] !== undefined && inputs[n] !== "") return String(inputs[n]);
  return undefined;
}

async function runTask(ctx: JobContext, step: Record<string, unknown>, run: StepRun): Promise<StepOutcome> {
  const task = String(step.task);
  const [name] = task.split("@");
  const inputs = inputsOf(ctx, step);
  switch (name!.toLowerCase()) {
    case "bash":
    case "cmdline":
      if (String(inputs.targetType ?? "inline").toLowerCase() === "filepath")
        return runScript(ctx, "bash", `bash ${JSON.stringify(inputs.filePath ?? "")} ${inputs.arguments ?? ""}`, step, run);
      return runScript(ctx, "bash", String(inputs.script ?? ""), step, run);
    case "pythonscript":
      return runScript(ctx, "python", String(inputs.script ?? ""), step, run);
    case "copyfiles":
      return copyFiles(ctx, inputs);
    case "downloadpipelineartifact":
      if (pick(inputs, "buildType", "source") && pick(inputs, "buildType", "source") !== "current")
        ctx.notes.push(`${task}: artifacts of other runs are not modelled`);
      return downloadArtifacts(ctx, pick(inputs, "artifactName", "artifact"), pick(inputs, "targetPath", "path", "downloadPath"));
    case "publishpipelineartifact":
      return publishArtifact(ctx, pick(inputs, "targetPath", "path"), pick(inputs, "artifactName", "artifact") ?? "drop");
    case "manualvalidation":
      return manualValidation(ctx);
    default:
      ctx.notes.push(`task ${task} is not reproduced: it is counted as succeeded`);
      return { exit: 0, timedOut: false };
  }
}

export async function runStepOnce(ctx: JobContext, step: Record<string, unknown>, run: StepRun): Promise<StepOutcome> {
  if (step.bash !== undefined) return runScript(ctx, "bash", String(step.bash), step, run);
  if (step.script !== undefined) return runScript(ctx, "bash", String(step.script), step, run);
  if (step.pwsh !== undefined || step.powershell !== undefined) return runScript(ctx, "pwsh", String(step.pwsh ?? step.powershell), step, run);
  if (step.checkout !== undefined) return checkout(ctx, String(step.checkout));
  if (step.download !== undefined) {
    if (step.download === "none") return { exit: 0, timedOut: false };
    if (step.download !== "current") ctx.notes.push(`download: ${String(step.download)} (another pipeline's artifacts) is not modelled`);
    const artifact = text(step.artifact);
    // "Artifacts from the current pipeline are downloaded to $(Pipeline.Workspace)/<artifact name>."
    return downloadArtifacts(ctx, artifact, artifact === undefined ? undefined : `${ctx.dirs.workspace}/${artifact}`);
  }
  if (step.publish !== undefined) {
    // The publish: shortcut is PublishPipelineArtifact@1: its inputs (the artifact name too) get macros expanded.
    const name = ctx.scope.expand(text(step.artifact) ?? "drop");
    return publishArtifact(ctx, ctx.scope.expand(String(step.publish)), name, neutralArtifact(step));
  }
  if (step.task !== undefined) return runTask(ctx, step, run);
  ctx.notes.push(`step kind ${Object.keys(step).join(",")} is not modelled: counted as succeeded`);
  return { exit: 0, timedOut: false };
}
