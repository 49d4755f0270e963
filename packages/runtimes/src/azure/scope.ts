/**
 * The variables a job sees: predefined ones, then root, stage and job variables, then matrix
 * entry variables (most local wins). Variable groups bring their variables; the compile names the
 * secret ones in its `# pipeglot:secret NAME group:G/V` header, and the model gives each the run's
 * fake value of the neutral secret NAME.
 * https://learn.microsoft.com/azure/devops/pipelines/build/variables (predefined)
 * https://learn.microsoft.com/azure/devops/pipelines/library/variable-groups
 * https://learn.microsoft.com/azure/devops/pipelines/process/variables#variable-scopes
 */
import type { LocalRunOptions } from "../options.js";
import type { AgentFolders } from "./context.js";
import type { AzPipeline, VarDef } from "./load.js";
import { Scope, sourceBranch } from "./variables.js";

function define(scope: Scope, defs: readonly VarDef[], pipeline: AzPipeline, opts: LocalRunOptions): void {
  for (const d of defs) {
    if ("group" in d) {
      for (const [v, s] of pipeline.secretVars) if (s.group === d.group) scope.set(v, opts.inputs.secrets[s.neutral] ?? `fake-${s.neutral}`, true);
    } else scope.set(d.name, d.value);
  }
}

interface JobNames {
  stage: string;
  job: string;
  environment?: string;
}

export function jobScope(
  pipeline: AzPipeline,
  stageVars: readonly VarDef[],
  jobVars: readonly VarDef[],
  matrix: Record<string, string>,
  dirs: AgentFolders,
  names: JobNames,
  opts: LocalRunOptions,
): Scope {
  const s = new Scope();
  const branch = sourceBranch(opts.inputs.branch);
  const predefined: Record<string, string> = {
    "Build.SourceVersion": opts.inputs.commit,
    "Build.SourceBranch": branch.ref,
    "Build.SourceBranchName": branch.name,
    "Build.BuildId": "1",
    "Build.Reason": "Manual",
    "Pipeline.Workspace": dirs.workspace,
    "Agent.BuildDirectory": dirs.workspace,
    "Build.SourcesDirectory": dirs.sources,
    "Build.Repository.LocalPath": dirs.sources,
    "System.DefaultWorkingDirectory": dirs.sources,
    "Build.ArtifactStagingDirectory": dirs.staging,
    "Build.StagingDirectory": dirs.staging,
    "Build.BinariesDirectory": `${dirs.workspace}/b`,
    "Common.TestResultsDirectory": `${dirs.workspace}/TestResults`,
    "Agent.TempDirectory": dirs.temp,
    "Agent.OS": "Linux",
    "System.StageName": names.stage,
    "System.JobName": names.job,
    "System.JobAttempt": "1",
    TF_BUILD: "True",
  };
  if (names.environment !== undefined) predefined["Environment.Name"] = names.environment;
  for (const [k, v] of Object.entries(predefined)) s.set(k, v);
  define(s, pipeline.variables, pipeline, opts);
  define(s, stageVars, pipeline, opts);
  define(s, jobVars, pipeline, opts);
  for (const [k, v] of Object.entries(matrix)) s.set(k, v);
  s.resolveValues();
  return s;
}
