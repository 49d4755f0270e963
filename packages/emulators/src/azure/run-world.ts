/**
 * The runs of a project and what their simulation needs from the rest of the emulator: the
 * Approval checks of the environments a stage deploys to (each enabled one creates an approval
 * when the stage starts, as Azure evaluates checks before a stage runs), the clock and the
 * RunSimulation options.
 */
import { isObject, type JsonObject } from "../core/json.js";
import { advanceRun, type RunWorld } from "./run-advance.js";
import type { Run, RunApproval, RunOptions, RunStage } from "./run-model.js";
import { APPROVAL_TYPE_ID, type Project } from "./model.js";
import type { AzureStore } from "./store.js";

/** The default of RunSimulation.stepMs (emulators.ts DEFAULT_RUN_STEP_MS). */
const DEFAULT_STEP_MS = 100;

export const runsOf = (p: Project): Map<number, Run> => (p.runs ??= new Map());
export const approvalsOf = (p: Project): Map<string, RunApproval> => (p.approvals ??= new Map());

export function runOptions(store: AzureStore): RunOptions {
  return { stepMs: store.opts.runs?.stepMs ?? DEFAULT_STEP_MS, failSteps: store.opts.runs?.failSteps ?? [] };
}

function approvers(settings: JsonObject): { id: string; displayName: string }[] {
  const list = Array.isArray(settings.approvers) ? settings.approvers : [];
  return list.filter(isObject).map((a) => ({ id: String(a.id ?? ""), displayName: String(a.displayName ?? a.id ?? "") }));
}

/** The approvals the enabled Approval checks of the stage's environments create at `t`. */
function gate(store: AzureStore, p: Project, run: Run, stage: RunStage, t: number): RunApproval[] {
  const envNames = new Set(stage.jobs.map((j) => j.environment?.toLowerCase()).filter((e): e is string => e !== undefined));
  const envIds = new Set([...p.environments.values()].filter((e) => envNames.has(e.name.toLowerCase())).map((e) => String(e.id)));
  const out: RunApproval[] = [];
  for (const c of [...p.checks.values()].sort((a, b) => a.id - b.id)) {
    const res = isObject(c.body.resource) ? c.body.resource : {};
    const type = isObject(c.body.type) ? c.body.type : {};
    if (String(res.type).toLowerCase() !== "environment" || !envIds.has(String(res.id))) continue;
    if (type.id !== APPROVAL_TYPE_ID || c.body.isDisabled === true) continue;
    const settings = isObject(c.body.settings) ? c.body.settings : {};
    const a: RunApproval = {
      id: store.ids.uuid(),
      buildId: run.id,
      stageRef: stage.ref,
      checkId: c.id,
      status: "pending",
      createdOn: t,
      lastModifiedOn: t,
      ...(typeof settings.instructions === "string" ? { instructions: settings.instructions } : {}),
      minRequiredApprovers: typeof settings.minRequiredApprovers === "number" ? settings.minRequiredApprovers : 0,
      approvers: approvers(settings),
      requesterCannotBeApprover: settings.requesterCannotBeApprover === true,
      timeoutMinutes: typeof c.body.timeout === "number" ? c.body.timeout : 43200,
    };
    approvalsOf(p).set(a.id, a);
    out.push(a);
  }
  if (out.length) stage.checkpointId = store.ids.uuid();
  return out;
}

export function runWorld(store: AzureStore, p: Project): RunWorld {
  return { opts: runOptions(store), approvals: approvalsOf(p), gate: (run, stage, t) => gate(store, p, run, stage, t) };
}

/** Bring every run of the project up to the emulator's clock. */
export function advanceRuns(store: AzureStore, p: Project): void {
  const now = store.opts.now().getTime();
  const w = runWorld(store, p);
  for (const run of runsOf(p).values()) advanceRun(run, now, w);
}
