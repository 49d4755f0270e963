/**
 * A buildspec's commands → neutral steps, in phase order (`finally` commands run always).
 * pipeglot's header (when its steps match the commands) gives back each step's name and options,
 * and the wrapper is verified and removed; compile's own filler and setup commands are no steps.
 * Phase keys besides commands/finally are returned for native.aws.buildspec.
 */
import type { JobIR, StepIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { PHASES, type Buildspec } from "../native/codebuild.js";
import { NO_STEPS, decodeCommand, unwrapCommand, type JobMeta, type RefKind, type StepMeta } from "../encoding.js";
import { ACTION_NAME, neutralName, registry } from "../names.js";
import { stepCondition } from "./conditions.js";
import type { JobContext } from "./job.js";

interface Command {
  text: string;
  always: boolean;
  ptr: string;
}

/** Appends the steps to `job.steps`; returns the phases' other keys (by phase), if any. */
export function importSteps(
  cx: JobContext,
  job: JobIR,
  spec: Buildspec,
  meta: JobMeta | undefined,
  refs: ReadonlyMap<string, RefKind>,
): Record<string, unknown> | undefined {
  const { cmds, nativePhases } = commandsOf(spec);
  // Compile's filler for a job without commands (pipeglot's header records no steps).
  if (meta && meta.steps.length === 0 && cmds.length === 1 && cmds[0]!.text === NO_STEPS) cmds.pop();
  // Compile's own first commands (copying the consumed artifacts into the primary folder) are no steps.
  if (meta?.setup) cmds.splice(0, meta.setup);
  const useMeta = meta && meta.steps.length === cmds.length;
  const stepNames = registry({ ...ACTION_NAME, sanitize: (n) => neutralName(n, "step") });
  cmds.forEach((c, n) => {
    let m: StepMeta = useMeta ? meta!.steps[n]! : {};
    let text = c.text;
    if (useMeta) {
      const inner = unwrapCommand(c.text, m, !!meta!.isolated);
      if (inner === undefined) {
        cx.report(
          "PG-AWS-IMPORT-STEP-EDITED",
          cx.map,
          cx.ptr,
          `command ${n + 1} of job ${job.name} does not match its recorded step options; imported as a plain step`,
          cx.irPath,
        );
        m = m.name !== undefined ? { name: m.name } : {};
      } else text = inner;
    }
    const step: StepIR = { id: `step-${n + 1}`, shell: m.shell ?? "bash", env: {}, continueOnError: !!m.continueOnError, retries: m.retries ?? 0 };
    if (m.name !== undefined) {
      step.name = stepNames.take(m.name);
      step.id = step.name;
    }
    step.run = decodeCommand(text, refs);
    if (m.workingDirectory !== undefined) step.workingDirectory = m.workingDirectory;
    if (m.env) step.env = { ...m.env };
    if (m.timeout !== undefined) step.timeoutSeconds = m.timeout;
    const condition = stepCondition(m, c.always && !useMeta);
    if (condition) step.condition = condition;
    job.steps.push(step);
  });
  return Object.keys(nativePhases).length ? nativePhases : undefined;
}

/** The commands of every phase, in phase order, and the phases' other keys. */
function commandsOf(spec: Buildspec): { cmds: Command[]; nativePhases: Record<string, unknown> } {
  const cmds: Command[] = [];
  const phases: Record<string, unknown> = isObject(spec.phases) ? (spec.phases as Record<string, unknown>) : {};
  const nativePhases: Record<string, unknown> = {};
  for (const ph of Object.keys(phases)) {
    const p = phases[ph];
    if (!isObject(p)) continue;
    for (const part of ["commands", "finally"] as const) {
      const list = Array.isArray(p[part]) ? (p[part] as unknown[]) : typeof p[part] === "string" ? [p[part]] : [];
      list.forEach((c, i) => {
        if (c === null || c === undefined) return;
        cmds.push({ text: typeof c === "string" ? c : JSON.stringify(c), always: part === "finally", ptr: `/phases/${ph}/${part}/${i}` });
      });
    }
    const rest = Object.fromEntries(Object.entries(p).filter(([k]) => k !== "commands" && k !== "finally"));
    if (Object.keys(rest).length) nativePhases[ph] = rest;
  }
  const order = (ph: string) => (PHASES as readonly string[]).indexOf(ph);
  cmds.sort((a, b) => order(a.ptr.split("/")[2]!) - order(b.ptr.split("/")[2]!));
  return { cmds, nativePhases };
}
