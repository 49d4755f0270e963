/** What the steps of one Azure job share while it runs (the agent's folders, variables, stores). */
import type { LocalRunOptions } from "../options.js";
import type { Sandbox } from "../sandbox.js";
import type { FileSet } from "../trace.js";
import type { Scope } from "./variables.js";

export interface AgentFolders {
  /** $(Pipeline.Workspace) = $(Agent.BuildDirectory). */
  workspace: string;
  /** $(Build.SourcesDirectory) = $(System.DefaultWorkingDirectory): <workspace>/s. */
  sources: string;
  /** $(Build.ArtifactStagingDirectory): <workspace>/a. */
  staging: string;
  /** $(Agent.TempDirectory). */
  temp: string;
}

export interface JobContext {
  sandbox: Sandbox;
  opts: LocalRunOptions;
  scope: Scope;
  dirs: AgentFolders;
  /** Artifact names published in this run so far (a second publish of a name fails). */
  published: Set<string>;
  /** What this job published: name → files. */
  saved: Record<string, FileSet>;
  /** The stage this job belongs to, by its neutral name (for opts.reject). */
  stageName: string;
  /** Stages (neutral names) whose ManualValidation was rejected in this run. */
  rejected: Set<string>;
  notes: string[];
}

/** One attempt of one step. */
export interface StepOutcome {
  exit: number;
  timedOut: boolean;
}

export interface StepRun {
  /** Seconds left for this attempt (step and job timeouts), undefined: unbounded. */
  timeoutSeconds?: number;
  log?: string;
  watch?: readonly string[];
  /** Record mode: placeholders a recorded command leaves (the neutral job's artifact paths, from the sources folder). */
  makes?: readonly string[];
}
