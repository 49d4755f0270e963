/**
 * When each step of a simulated Cloud Build build runs, and what the build and its steps look
 * like at a given time. Pure and deterministic: a step starts when every step it waits for has
 * finished (`waitFor: ["-"]`: at the start; no waitFor: after every earlier step) and takes
 * `stepMs`; the first failing step that does not allow failure ends the build (FAILURE), steps
 * still working then are CANCELLED, the others never start. A cancel does the same at its time.
 */

export interface ScheduledStep {
  id?: string;
  waitFor?: string[];
  allowFailure?: boolean;
}

/** Offsets in ms from the moment the build starts working. */
export interface StepSlot {
  start: number;
  end: number;
}

/** Start and end of each step as if nothing failed. */
export function slots(steps: readonly ScheduledStep[], stepMs: number): StepSlot[] {
  const out: StepSlot[] = [];
  const endById = new Map<string, number>();
  steps.forEach((s, i) => {
    let start: number;
    if (s.waitFor?.length === 1 && s.waitFor[0] === "-") start = 0;
    else if (s.waitFor?.length) start = Math.max(0, ...s.waitFor.map((w) => endById.get(w) ?? 0));
    else start = Math.max(0, ...out.slice(0, i).map((x) => x.end));
    const slot = { start, end: start + stepMs };
    out.push(slot);
    if (s.id) endById.set(s.id, slot.end);
  });
  return out;
}

export type StepStatus = "QUEUED" | "WORKING" | "SUCCESS" | "FAILURE" | "CANCELLED";
export type BuildStatus = "PENDING" | "QUEUED" | "WORKING" | "SUCCESS" | "FAILURE" | "CANCELLED";

export interface BuildView {
  status: BuildStatus;
  /** Absolute ms; set once the build works / is finished. */
  startMs?: number;
  finishMs?: number;
  steps: { status?: StepStatus; startMs?: number; endMs?: number }[];
  /** The step that failed the build. */
  failedStep?: number;
}

export interface BuildTimes {
  /** When the build started working (absent: not yet, e.g. waiting for approval). */
  workStart?: number;
  /** When it ended without running (rejected, cancelled while pending or queued). */
  endedEarly?: { at: number; status: "CANCELLED" | "FAILURE" };
  cancelAt?: number;
  /** Indexes of the steps that fail. */
  failing: ReadonlySet<number>;
}

/** The moment the build ends (absolute ms), from its slots. */
function endOf(steps: readonly ScheduledStep[], sl: StepSlot[], t: BuildTimes): { at: number; status: BuildStatus; failedStep?: number } {
  const w = t.workStart!;
  let failAt = Infinity;
  let failedStep: number | undefined;
  steps.forEach((s, i) => {
    if (t.failing.has(i) && !s.allowFailure && w + sl[i]!.end < failAt) {
      failAt = w + sl[i]!.end;
      failedStep = i;
    }
  });
  const allEnd = w + Math.max(0, ...sl.map((x) => x.end));
  const cancelAt = t.cancelAt ?? Infinity;
  if (cancelAt < Math.min(failAt, allEnd)) return { at: cancelAt, status: "CANCELLED" };
  if (failAt <= allEnd && failedStep !== undefined) return { at: failAt, status: "FAILURE", failedStep };
  return { at: allEnd, status: "SUCCESS" };
}

/** The build at time `now` (absolute ms). */
export function viewAt(steps: readonly ScheduledStep[], stepMs: number, t: BuildTimes, queuedAt: number, now: number): BuildView {
  const none = { steps: steps.map(() => ({})) };
  if (t.endedEarly && t.workStart === undefined) return { status: t.endedEarly.status, finishMs: t.endedEarly.at, ...none };
  if (t.workStart === undefined) return { status: "PENDING", ...none };
  if (now < t.workStart) {
    if (t.cancelAt !== undefined && t.cancelAt <= now) return { status: "CANCELLED", finishMs: t.cancelAt, ...none };
    return { status: now >= queuedAt ? "QUEUED" : "PENDING", ...none };
  }
  const sl = slots(steps, stepMs);
  const end = endOf(steps, sl, t);
  const at = Math.min(now, end.at);
  const view: BuildView = {
    status: now >= end.at ? end.status : "WORKING",
    startMs: t.workStart,
    ...(now >= end.at ? { finishMs: end.at } : {}),
    ...(now >= end.at && end.failedStep !== undefined ? { failedStep: end.failedStep } : {}),
    steps: sl.map((x, i) => {
      const start = t.workStart! + x.start;
      const stop = t.workStart! + x.end;
      if (start > at || (start === at && at === end.at && now >= end.at)) return { status: "QUEUED" };
      if (stop <= at) return { status: t.failing.has(i) ? "FAILURE" : "SUCCESS", startMs: start, endMs: stop };
      if (now >= end.at) return { status: "CANCELLED", startMs: start, endMs: end.at };
      return { status: "WORKING", startMs: start };
    }),
  };
  return view;
}

/** Absolute ms at which step `i` finishes successfully, or undefined when it never does. */
export function stepSucceedsAt(steps: readonly ScheduledStep[], stepMs: number, t: BuildTimes, i: number): number | undefined {
  if (t.workStart === undefined || t.failing.has(i)) return undefined;
  const sl = slots(steps, stepMs);
  const end = endOf(steps, sl, t);
  const stop = t.workStart + sl[i]!.end;
  return stop <= end.at && !(end.status === "CANCELLED" && stop === end.at) ? stop : undefined;
}
