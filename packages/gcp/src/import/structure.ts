/**
 * Rebuilding stages and jobs from a flat list of steps. pipeglot's own ids (stage__job__step)
 * give the structure back exactly; other builds get one stage whose jobs are the chains of the
 * (transitively reduced) waitFor graph.
 */
import { splitStepId } from "../names.js";
import { GENERATED_PREFIX } from "../names.js";
import { strList, type Json } from "./parse.js";

export interface RawStepRef {
  raw: Json;
  index: number;
}

export interface JobShape {
  stage: string;
  job: string;
  steps: { ref: RawStepRef; stepName: string | undefined }[];
  /** Jobs of the same stage it needs. */
  needs: string[];
  /** Stages it waits for. */
  stageNeeds: string[];
}

const ids = (steps: RawStepRef[]) => steps.map((s, i) => (typeof s.raw.id === "string" ? s.raw.id : `#${i}`));

export function isPipeglotBuild(steps: RawStepRef[]): boolean {
  const real = steps.filter((s) => !(typeof s.raw.id === "string" && s.raw.id.startsWith(GENERATED_PREFIX)));
  return real.length > 0 && real.every((s) => typeof s.raw.id === "string" && splitStepId(s.raw.id) !== undefined);
}

export function pipeglotShape(steps: RawStepRef[]): JobShape[] {
  const jobs: JobShape[] = [];
  for (const ref of steps) {
    const id = ref.raw.id as string;
    const sp = splitStepId(id);
    if (!sp) continue;
    let job = jobs.find((j) => j.stage === sp.stage && j.job === sp.job);
    if (!job) {
      job = { stage: sp.stage, job: sp.job, steps: [], needs: [], stageNeeds: [] };
      jobs.push(job);
      for (const w of strList(ref.raw.waitFor)) {
        const d = splitStepId(w);
        if (!d) continue;
        if (d.stage === sp.stage) {
          if (!job.needs.includes(d.job)) job.needs.push(d.job);
        } else if (!job.stageNeeds.includes(d.stage)) job.stageNeeds.push(d.stage);
      }
    }
    job.steps.push({ ref, stepName: sp.step });
  }
  return jobs;
}

/** Foreign builds: the waitFor DAG, reduced, cut into chains. */
export function inferShape(steps: RawStepRef[], stage: string, name: (id: string | undefined, fallback: string) => string): JobShape[] {
  const idList = ids(steps);
  const deps: Set<number>[] = steps.map((s, i) => {
    const w = s.raw.waitFor;
    // No waitFor, or an empty one: after every earlier step.
    if (w === undefined || strList(w).length === 0) return new Set([...Array(i).keys()]);
    // "-" is the start of the build: a step depends on it and on every id listed with it
    // (Cloud Build: "a step is dependent on every id in its waitFor"); "-" alone means at once.
    const list = strList(w).filter((x) => x !== "-");
    return new Set(list.map((x) => idList.indexOf(x)).filter((k) => k >= 0 && k !== i));
  });
  // Ancestors, then the transitive reduction.
  const anc: Set<number>[] = [];
  steps.forEach((_, i) => {
    const a = new Set<number>();
    for (const d of deps[i]!) {
      a.add(d);
      for (const x of anc[d] ?? []) a.add(x);
    }
    anc[i] = a;
  });
  const reduced = deps.map((ds) => [...ds].filter((d) => ![...ds].some((o) => o !== d && anc[o]!.has(d))).sort((a, b) => a - b));
  const succ = steps.map((_, i) => reduced.filter((r) => r.includes(i)).length);
  const jobOf: number[] = [];
  const jobs: { steps: number[] }[] = [];
  steps.forEach((_, i) => {
    const r = reduced[i]!;
    const p = r.length === 1 ? r[0]! : -1;
    if (p >= 0 && succ[p] === 1 && jobs[jobOf[p]!]!.steps.at(-1) === p && steps[p]!.raw.name === steps[i]!.raw.name) {
      jobOf[i] = jobOf[p]!;
      jobs[jobOf[i]!]!.steps.push(i);
    } else {
      jobOf[i] = jobs.length;
      jobs.push({ steps: [i] });
    }
  });
  const used = new Set<string>();
  const jobNames = jobs.map((j, k) => {
    const first = steps[j.steps[0]!]!.raw.id;
    let n = name(typeof first === "string" ? first : undefined, `job-${k + 1}`);
    let c = 2;
    const base = n;
    while (used.has(n)) n = `${base}-${c++}`;
    used.add(n);
    return n;
  });
  return jobs.map((j, k) => {
    const firstDeps = reduced[j.steps[0]!]!;
    const needs = [...new Set(firstDeps.map((d) => jobNames[jobOf[d]!]!))];
    const usedSteps = new Set<string>();
    return {
      stage,
      job: jobNames[k]!,
      needs,
      stageNeeds: [],
      steps: j.steps.map((i, n) => {
        const id = steps[i]!.raw.id;
        let sn = typeof id === "string" ? name(id, `step-${n + 1}`) : undefined;
        if (sn !== undefined) {
          const b = sn;
          let c = 2;
          while (usedSteps.has(sn)) sn = `${b}-${c++}`;
          usedSteps.add(sn);
        }
        return { ref: steps[i]!, stepName: sn };
      }),
    };
  });
}
