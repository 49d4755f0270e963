/**
 * Structural repairs of an imported pipeline: steps with two kinds or none, jobs with no steps,
 * dependencies on what is not there (or that close a cycle), artifacts consumed before they are
 * produced, gates on the first stage, and schedules that are not cron.
 */
import { ancestors, findCycle } from "../graph.js";
import type { JobIR, PipelineIR, StageIR, StepIR } from "../ir.js";
import { cronProblem } from "../checks/cron.js";
import type { Repairs } from "./report.js";

/** A command that fails the run and says why: what stands where the source had something pipeglot could not import. */
export function failingCommand(what: string): string {
  const text = `pipeglot: ${what}; edit the imported definition to supply it`.replace(/'/g, "");
  return `echo '${text}' >&2\nexit 1`;
}

function placeholderStep(id: string, what: string): StepIR {
  return { id, name: id, run: failingCommand(what), shell: "bash", env: {}, continueOnError: false, retries: 0 };
}

export function repairSteps(ir: PipelineIR, r: Repairs): void {
  ir.stages.forEach((s, i) =>
    s.jobs.forEach((j, k) => {
      const base = `/stages/${i}/jobs/${k}`;
      const out: StepIR[] = [];
      j.steps.forEach((st, n) => {
        r.moved(`${base}/steps/${out.length}`, `${base}/steps/${n}`);
        if (st.run !== undefined && st.native) {
          r.report(
            "PG-IMPORT-STEP-SPLIT",
            `${base}/steps/${out.length}`,
            `step ${JSON.stringify(st.name ?? st.id)} had both a command and a native block: it became two steps`,
          );
          const { native, ...command } = st;
          const { run: _run, ...rest } = st;
          out.push(command, { ...rest, id: `${st.id}-native`, ...(st.name !== undefined ? { name: `${st.name}-native` } : {}), native });
          r.moved(`${base}/steps/${out.length - 1}`, `${base}/steps/${n}/native`);
        } else if (st.run === undefined && !st.native) {
          r.report(
            "PG-IMPORT-JOB-PLACEHOLDER",
            `${base}/steps/${out.length}`,
            `step ${JSON.stringify(st.name ?? st.id)} had nothing to run: it became a step that fails the run`,
          );
          out.push({ ...st, run: failingCommand(`step ${st.name ?? st.id} of job ${s.name}.${j.name} had nothing to run in the source`) });
        } else out.push(st);
      });
      j.steps = out;
      if (j.steps.length === 0 && !j.native) {
        r.report(
          "PG-IMPORT-JOB-PLACEHOLDER",
          `${base}/steps`,
          `job ${JSON.stringify(j.name)} had no steps: it got a placeholder step that fails the run`,
          "replace the placeholder with the job's real steps",
        );
        j.steps = [placeholderStep("not-imported", `job ${s.name}.${j.name} had no steps that could be imported`)];
      }
    }),
  );
}

/** Drop `needs` entries naming nothing (or the node itself), then the edges that close cycles. */
function repairGraph<T extends { name: string; needs: string[] }>(nodes: T[], what: string, ptr: (i: number) => string, r: Repairs): void {
  const names = new Set(nodes.map((n) => n.name));
  nodes.forEach((n, i) => {
    const kept = n.needs.filter((d) => d !== n.name && names.has(d));
    for (const d of n.needs.filter((d) => !kept.includes(d)))
      r.report(
        "PG-IMPORT-NEEDS-DROPPED",
        `${ptr(i)}/needs`,
        `${what} ${JSON.stringify(n.name)} needed ${JSON.stringify(d)}, which is ${d === n.name ? "itself" : `not a ${what} here`}: the dependency was dropped`,
      );
    n.needs = [...new Set(kept)];
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (;;) {
    const cycle = findCycle([...byName.keys()], (n) => byName.get(n)!.needs);
    if (!cycle) return;
    // findCycle's path reads a → b → a where each node is needed by the next: the last node needs the one before it.
    const [from, to] = [cycle[cycle.length - 1]!, cycle[cycle.length - 2]!];
    const node = byName.get(from)!;
    node.needs = node.needs.filter((d) => d !== to);
    r.report(
      "PG-IMPORT-NEEDS-DROPPED",
      `${ptr(nodes.indexOf(node))}/needs`,
      `${what}s formed a cycle (${cycle.join(" → ")}): ${JSON.stringify(from)} no longer needs ${JSON.stringify(to)}`,
    );
  }
}

export function repairNeeds(ir: PipelineIR, r: Repairs): void {
  repairGraph(ir.stages, "stage", (i) => `/stages/${i}`, r);
  ir.stages.forEach((s, i) => repairGraph(s.jobs, "job", (k) => `/stages/${i}/jobs/${k}`, r));
}

function runsBefore(ir: PipelineIR, consumer: { stage: StageIR; job: JobIR }, producer: { stage: StageIR; job: JobIR }): boolean {
  if (producer.stage === consumer.stage)
    return ancestors(consumer.job.name, (n) => consumer.stage.jobs.find((j) => j.name === n)?.needs ?? []).has(producer.job.name);
  return ancestors(consumer.stage.name, (n) => ir.stages.find((s) => s.name === n)?.needs ?? []).has(producer.stage.name);
}

export function repairArtifacts(ir: PipelineIR, r: Repairs): void {
  const producers = new Map<string, { stage: StageIR; job: JobIR }>();
  for (const stage of ir.stages) for (const job of stage.jobs) for (const a of job.produces) if (!producers.has(a.name)) producers.set(a.name, { stage, job });
  ir.stages.forEach((stage, i) =>
    stage.jobs.forEach((job, k) => {
      job.consumes = job.consumes.filter((a, n) => {
        const p = producers.get(a);
        if (p && runsBefore(ir, { stage, job }, p)) return true;
        const why = p ? `its producer ${p.stage.name}.${p.job.name} does not run before it` : "no job of this pipeline produces it";
        r.report(
          "PG-IMPORT-CONSUME-DROPPED",
          `/stages/${i}/jobs/${k}/artifacts/consume/${n}`,
          `job ${JSON.stringify(job.name)} consumed artifact ${JSON.stringify(a)}, but ${why}: the consume was dropped`,
        );
        return false;
      });
    }),
  );
}

export function repairGates(ir: PipelineIR, r: Repairs): void {
  ir.stages.forEach((s, i) => {
    if (s.needs.length > 0) return;
    if (s.approval) {
      r.report(
        "PG-IMPORT-GATE-DROPPED",
        `/stages/${i}/approval`,
        `stage ${JSON.stringify(s.name)} runs first, so its approval had nothing to gate: it was dropped`,
      );
      delete s.approval;
    }
    if (!s.transition.enabled) {
      r.report(
        "PG-IMPORT-GATE-DROPPED",
        `/stages/${i}/transition`,
        `stage ${JSON.stringify(s.name)} runs first, so its disabled transition had nothing to hold: it was enabled`,
      );
      s.transition = { enabled: true };
    }
  });
}

export function repairSchedules(ir: PipelineIR, r: Repairs): void {
  const kept = ir.triggers.schedules.filter((sc, n) => {
    const why = cronProblem(sc.cron);
    if (why) r.report("PG-IMPORT-SCHEDULE-DROPPED", `/triggers/schedules/${n}/cron`, `schedule ${JSON.stringify(sc.cron)} was dropped: ${why}`);
    return !why;
  });
  ir.triggers.schedules = kept;
}
