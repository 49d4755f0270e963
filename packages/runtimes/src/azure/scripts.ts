/**
 * Script steps as the agent runs them on a Linux agent.
 * - `bash:` is the Bash@3 task and `script:` the CmdLine@2 task: the inline script (its `$(macros)`
 *   already replaced) is written to a file under $(Agent.TempDirectory) and run as `bash <file>`
 *   (non-interactive, so no profile or rc file is read; no `-e`: the exit status is the script's),
 *   in `workingDirectory` (default $(System.DefaultWorkingDirectory)).
 *   https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/bash-v3
 *   https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/cmd-line-v2
 *   (source: microsoft/azure-pipelines-tasks Tasks/BashV3/bash.ts)
 * - `pwsh:` is PowerShell@2 with pwsh: true: `pwsh -NoLogo -NoProfile -NonInteractive -Command . '<file>'`.
 *   https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/powershell-v2
 * - PythonScript@0 inline: the script file is run by the python interpreter on PATH.
 *   https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/python-script-v0
 * - The step's `env:` values (macros expanded) are added to the variables' environment; secret
 *   variables reach a script only through `env:`.
 *   https://learn.microsoft.com/azure/devops/pipelines/process/variables#set-secret-variables
 */
import { existsSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { shQuote } from "@pipeglot/core";
import type { JobContext, StepOutcome, StepRun } from "./context.js";

let fileNo = 0;

function scriptFile(ctx: JobContext, text: string, ext: string): string {
  const file = join(ctx.dirs.temp, `step-${++fileNo}.${ext}`);
  writeFileSync(file, text);
  return file;
}

export function stepEnv(ctx: JobContext, env: unknown): Record<string, string> {
  const out = ctx.scope.environment();
  if (typeof env === "object" && env !== null) for (const [k, v] of Object.entries(env)) out[k] = ctx.scope.expand(String(v ?? ""));
  return out;
}

/** The folder a script runs in: `workingDirectory` (macros expanded; relative to the sources folder). */
export function workingDirectory(ctx: JobContext, wd: unknown): string {
  if (typeof wd !== "string" || wd === "") return ctx.dirs.sources;
  const p = ctx.scope.expand(wd);
  return isAbsolute(p) ? p : join(ctx.dirs.sources, p);
}

type ScriptKind = "bash" | "pwsh" | "python";

/** Runs a script step's text (macros replaced first) as the task would; a missing working folder fails it. */
export async function runScript(ctx: JobContext, kind: ScriptKind, text: string, step: Record<string, unknown>, run: StepRun): Promise<StepOutcome> {
  const cwd = workingDirectory(ctx, step.workingDirectory ?? (step.inputs as Record<string, unknown> | undefined)?.workingDirectory);
  if (!existsSync(cwd)) return { exit: 1, timedOut: false };
  const script = ctx.scope.expand(text);
  let command = script;
  if (kind === "pwsh") command = `pwsh -NoLogo -NoProfile -NonInteractive -Command ${shQuote(`. '${scriptFile(ctx, script, "ps1")}'`)}`;
  if (kind === "python") {
    command = `python3 ${shQuote(scriptFile(ctx, script, "py"))}`;
    ctx.notes.push("PythonScript@0 runs the agent's python; here python3 on this machine");
  }
  const r = await ctx.sandbox.bash(command, {
    cwd,
    env: stepEnv(ctx, step.env),
    timeoutSeconds: run.timeoutSeconds,
    log: run.log,
    watch: run.watch,
    makes: run.makes,
    makesRoot: ctx.dirs.sources,
  });
  return { exit: r.exit, timedOut: r.timedOut };
}
