/**
 * One build: its substitutions resolved when it starts, its secrets made available, its steps
 * run in waitFor order in ONE workspace folder shared by all of them (Cloud Build mounts
 * /workspace, holding the checked-out source, in every step:
 * https://cloud.google.com/build/docs/build-config-file-schema#dir), bounded by the build
 * `timeout` (default 60 minutes: https://cloud.google.com/build/docs/build-config-file-schema#timeout_2).
 */
import type { Sandbox } from "../sandbox.js";
import type { Build, Step } from "./config.js";
import { seconds } from "./config.js";
import { runInOrder } from "./dag.js";
import { buildValues, type BuildStart } from "./start.js";
import { runStep, type Observed, type StepResult } from "./step-run.js";
import { substitute, substituteStep, substitutionProblems } from "./substitute.js";

export interface BuildOutcome {
  status: "succeeded" | "failed";
  /** The steps that started, by id (`#<index>` for a step without one). */
  results: Map<string, StepResult>;
  workspace?: string;
  notes: string[];
}

interface BuildHooks {
  sandbox: Sandbox;
  bin: string;
  /** The fake value of the secret a versionName names (undefined: not one of the definition's). */
  secretValue(versionName: string): string | undefined;
  /** What record mode observes of a step (watched variables, placeholders its commands leave). */
  observe(stepId: string): Observed;
  /** Just before a step starts, with the workspace as it is then. */
  onStart(stepId: string, workspace: string): void;
}

const DEFAULT_BUILD_TIMEOUT = 3600;
const idOf = (s: Step, i: number) => s.id ?? `#${i}`;

/** The secretEnv values of the build, or the problems that keep it from starting. */
function availableSecrets(build: Build, values: Record<string, string>, hooks: BuildHooks, notes: string[]): Record<string, string> | string[] {
  const out: Record<string, string> = {};
  for (const s of build.availableSecrets?.secretManager ?? []) {
    const name = substitute(s.versionName, values);
    const v = hooks.secretValue(name);
    if (v === undefined) notes.push(`gcp: secret ${name} is not one of the definition's secrets: ${s.env} gets fake-${s.env}`);
    out[s.env] = v ?? `fake-${s.env}`;
  }
  const missing = [...new Set([...(build.options?.secretEnv ?? []), ...build.steps.flatMap((s) => s.secretEnv ?? [])])].filter((n) => !(n in out));
  return missing.length ? missing.map((n) => `secretEnv ${n} is not in availableSecrets`) : out;
}

/** Runs `build` as started by `start`; never throws for a build Cloud Build would refuse: it fails. */
export async function runBuild(build: Build, start: BuildStart, hooks: BuildHooks): Promise<BuildOutcome> {
  const notes: string[] = [];
  const results = new Map<string, StepResult>();
  const values = buildValues(build, start);
  const secrets = availableSecrets(build, values, hooks, notes);
  const refused = [...substitutionProblems(build, values), ...(Array.isArray(secrets) ? secrets : [])];
  if (refused.length) return { status: "failed", results, notes: [...notes, `gcp: build ${start.buildId} refused: ${refused.join("; ")}`] };
  const workspace = hooks.sandbox.workspace(`build-${start.trigger?.name ?? "submit"}`, true);
  const deadline = Date.now() + (seconds(build.timeout) ?? DEFAULT_BUILD_TIMEOUT) * 1000;
  let failed = false;
  const launch = async (i: number) => {
    const sub = substituteStep(build.steps[i]!, values);
    // `script` (never substituted) runs as a shell script in place of entrypoint + args.
    const step = sub.script !== undefined && sub.entrypoint === undefined ? { ...sub, entrypoint: "sh", args: ["-c", sub.script] } : sub;
    const id = idOf(step, i);
    const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
    const own = seconds(step.timeout);
    const r = await runStep(
      { sandbox: hooks.sandbox, workspace, bin: hooks.bin, secrets: secrets as Record<string, string>, buildEnv: build.options?.env ?? [] },
      step,
      hooks.observe(id),
      own === undefined ? left : Math.min(own, left),
    );
    results.set(id, r);
    if (step.entrypoint === undefined) notes.push(`gcp: step ${id} has no entrypoint: the image's own entrypoint is not known here, the step fails`);
    if (r.timedOut && (own === undefined || own > left)) notes.push(`gcp: build ${start.buildId} timed out at step ${id}`);
    const ok = r.exit === 0 || r.allowed;
    if (!ok) failed = true;
    return { ok };
  };
  try {
    await runInOrder(build.steps, launch, (i) => hooks.onStart(idOf(build.steps[i]!, i), workspace));
  } catch (e) {
    return { status: "failed", results, workspace, notes: [...notes, `gcp: build ${start.buildId} refused: ${(e as Error).message}`] };
  }
  return { status: failed ? "failed" : "succeeded", results, workspace, notes };
}
