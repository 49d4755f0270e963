/**
 * What a local run is given: the repository snapshot it starts from, the run's inputs (branch,
 * commit, variable overrides, fake secret values), the approvals to reject, and where to work.
 * Every value here is made up for the run: pipeglot never reads a real secret.
 */
import type { PipelineIR } from "@pipeglot/schema";

export interface RunInputs {
  branch: string;
  /** 40 hex digits. */
  commit: string;
  /** Variable values for this run (defaults of the definition, then overrides). */
  variables: Record<string, string>;
  /** Fake secret values by secret name: `fake-<NAME>` unless given. */
  secrets: Record<string, string>;
}

export interface ProgressEvent {
  kind: "job-start" | "job-end" | "stage-end";
  /** A job key (trace.ts jobKey) or a stage name. */
  name: string;
  status?: string;
}

export interface LocalRunOptions {
  /** A folder copied into each job's workspace as the checked-out repository (absent: an empty one). */
  source?: string;
  /** Record each command (with its watched environment) instead of executing it. */
  record: boolean;
  /** Stage names whose approval is rejected (others are approved at once). */
  reject: string[];
  /** A scratch folder this run may use (absent: a new one under the system temp folder, removed after). */
  scratch?: string;
  inputs: RunInputs;
  onProgress?: (e: ProgressEvent) => void;
}

/** The fake commit every local run builds unless told otherwise. */
export const FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567";

/** The run's inputs from the definition: its branch, the fake commit, variable defaults (a run may set only overridable ones), fake secrets. */
export function defaultInputs(ir: PipelineIR, overrides: Partial<RunInputs> = {}): RunInputs {
  const variables: Record<string, string> = {};
  for (const [k, v] of Object.entries(ir.variables)) variables[k] = v.default;
  const secrets: Record<string, string> = {};
  for (const k of Object.keys(ir.secrets)) secrets[k] = `fake-${k}`;
  for (const name of Object.keys(overrides.variables ?? {})) {
    const v = ir.variables[name];
    if (!v) throw new Error(`the pipeline declares no variable ${name}`);
    if (!v.overridable) throw new Error(`the variable ${name} is not overridable: a run cannot set it`);
  }
  return {
    branch: overrides.branch ?? ir.source.branch,
    commit: overrides.commit ?? FAKE_COMMIT,
    variables: { ...variables, ...overrides.variables },
    secrets: { ...secrets, ...overrides.secrets },
  };
}
