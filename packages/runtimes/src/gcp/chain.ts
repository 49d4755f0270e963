/**
 * The chain of builds one run makes. The push of the run's branch fires the first build (its
 * trigger's inline build); a build's `gcloud builds triggers run T` starts the build of trigger
 * T once the build ends (here: after it, not alongside its last step). A trigger with
 * `approvalConfig.approvalRequired` makes that build pending until approved: approved at once
 * unless its stage is rejected, and a rejected build never starts
 * (https://cloud.google.com/build/docs/securing-builds/gate-builds-on-approval). A build started
 * with `--sha` builds that commit: it has no branch, so BRANCH_NAME and REF_NAME are empty
 * (https://cloud.google.com/sdk/gcloud/reference/builds/triggers/run), and it gets its trigger's
 * substitution defaults unless the request passes `--substitutions`.
 */
import { join } from "node:path";
import type { PipelineIR } from "@pipeglot/schema";
import { neutralJob, observe } from "../model.js";
import type { LocalRunOptions } from "../options.js";
import { fileSet, type Sandbox } from "../sandbox.js";
import type { FileSet } from "../trace.js";
import { runBuild, type BuildOutcome } from "./build-run.js";
import type { Observed } from "./step-run.js";
import { triggerBuild, type Build, type Compiled } from "./config.js";
import { gateStage, jobUnits, unitOf, type JobUnit } from "./map.js";
import { startTrigger, variableOverrides, type BuildStart } from "./start.js";
import { parseTriggerRun, readCopies, readRequests, setUpTools, type Tools } from "./tools.js";

export interface RanBuild {
  build: Build;
  start: BuildStart;
  outcome: BuildOutcome;
  /** The `gsutil cp` copies made during it: [source, destination] URLs. */
  copies: [string, string][];
}

export interface Chain {
  tools: Tools;
  units: JobUnit[];
  builds: RanBuild[];
  rejected: Set<string>;
  held: Set<string>;
  /** Artifacts a job of another build file consumes: the ones the compile uploads. */
  crossing: Set<string>;
  /** Job key → the shared workspace's files when the job's first step started. */
  files: Map<string, FileSet>;
  notes: string[];
}

const MAX_BUILDS = 32;

function firstStart(c: Compiled, opts: LocalRunOptions, notes: string[]): { build: Build; start: BuildStart } | undefined {
  const trigger = startTrigger(c, opts.inputs.branch);
  const build = trigger ? triggerBuild(c, trigger) : c.builds.get("cloudbuild.yaml");
  if (!build) return undefined;
  if (!trigger) notes.push("gcp: no trigger fires for the run's branch: cloudbuild.yaml is submitted by hand (no trigger substitutions)");
  const b = opts.inputs.branch;
  const tag = b.startsWith("refs/tags/") ? b.slice("refs/tags/".length) : undefined;
  const branch = tag === undefined ? b.replace(/^refs\/heads\//, "") : undefined;
  const overrides = variableOverrides(build, opts.inputs.variables);
  return { build, start: { trigger, commit: opts.inputs.commit, branch, tag, overrides, buildId: "local-build-1" } };
}

/** The builds a finished build requested, each approved, rejected or held. */
function requested(chain: Chain, c: Compiled, ir: PipelineIR, opts: LocalRunOptions, from: RanBuild, args: string[][]): { build: Build; start: BuildStart }[] {
  const out: { build: Build; start: BuildStart }[] = [];
  for (const a of args) {
    const r = parseTriggerRun(a);
    const trigger = c.triggers.get(r.trigger);
    const build = trigger && triggerBuild(c, trigger);
    if (!trigger || !build) continue;
    const stage = gateStage(ir, trigger, build);
    if (trigger.disabled) {
      chain.notes.push(`gcp: trigger ${trigger.name} is disabled: its build does not run`);
      if (stage) chain.held.add(stage);
      continue;
    }
    if (trigger.approvalConfig?.approvalRequired && stage !== undefined && opts.reject.includes(stage)) {
      chain.rejected.add(stage);
      continue;
    }
    const buildId = `local-build-${chain.builds.length + out.length + 2}`;
    const branch = r.sha === undefined && r.tag === undefined ? (r.branch ?? trigger.sourceToBuild?.ref?.replace(/^refs\/heads\//, "")) : undefined;
    out.push({ build, start: { trigger, commit: r.sha ?? from.start.commit, branch, tag: r.tag, region: r.region, overrides: r.substitutions, buildId } });
  }
  return out;
}

/** A disabled trigger's stage is held when a build that ran reached the step that names it. */
function heldStages(chain: Chain, c: Compiled, ir: PipelineIR): void {
  for (const t of c.triggers.values()) {
    const build = t.disabled ? triggerBuild(c, t) : undefined;
    if (!build) continue;
    const reached = chain.builds.some((b) =>
      b.build.steps.some((s) => s.id === "pipeglot__next" && b.outcome.results.get(s.id)?.exit === 0 && (s.args ?? []).join(" ").includes(t.name)),
    );
    const stage = gateStage(ir, t, build);
    if (reached && stage) chain.held.add(stage);
  }
}

/** Runs the chain of builds the run's push starts. */
export async function runChain(c: Compiled, ir: PipelineIR, opts: LocalRunOptions, sandbox: Sandbox): Promise<Chain> {
  const chain: Chain = {
    tools: setUpTools(join(sandbox.root, "gcp"), [...c.triggers.keys()]),
    units: jobUnits(ir),
    builds: [],
    rejected: new Set(),
    held: new Set(),
    crossing: new Set(),
    files: new Map(),
    notes: [],
  };
  chain.crossing = crossingArtifacts(c, chain.units);
  const first = firstStart(c, opts, chain.notes);
  if (!first) {
    chain.notes.push("gcp: the output has no build to run");
    return chain;
  }
  const queue = [first];
  while (queue.length && chain.builds.length < MAX_BUILDS) {
    const { build, start } = queue.shift()!;
    const copies = readCopies(chain.tools).length;
    const requests = readRequests(chain.tools).length;
    const outcome = await runBuild(build, start, {
      sandbox,
      bin: chain.tools.bin,
      secretValue: (v) => secretFor(ir, opts, v),
      observe: (id) => observeOf(ir, chain.units, id),
      onStart: (id, ws) => {
        const u = unitOf(chain.units, id);
        if (!u || chain.files.has(u.key)) return;
        chain.files.set(u.key, fileSet(ws));
        opts.onProgress?.({ kind: "job-start", name: u.key });
      },
    });
    const ran: RanBuild = { build, start, outcome, copies: readCopies(chain.tools).slice(copies) };
    chain.builds.push(ran);
    chain.notes.push(...outcome.notes);
    queue.push(...requested(chain, c, ir, opts, ran, readRequests(chain.tools).slice(requests)));
  }
  heldStages(chain, c, ir);
  return chain;
}

/** The artifacts produced in one build file and consumed by a job whose steps are in another. */
function crossingArtifacts(c: Compiled, units: readonly JobUnit[]): Set<string> {
  const files = (u: JobUnit) => new Set([...c.builds].filter(([, b]) => b.steps.some((s) => s.id && unitOf([u], s.id))).map(([f]) => f));
  const where = new Map(units.map((u) => [u.key, files(u)]));
  const out = new Set<string>();
  for (const p of units)
    for (const a of p.job.produces)
      for (const q of units) if (q.job.consumes.includes(a.name) && ![...where.get(q.key)!].some((f) => where.get(p.key)!.has(f))) out.add(a.name);
  return out;
}

function observeOf(ir: PipelineIR, units: readonly JobUnit[], id: string): Observed {
  const u = unitOf(units, id);
  if (!u) return { watch: [], makes: [] };
  const job = neutralJob(ir, u.stage.name, u.job.name);
  return observe(
    job,
    job?.steps.find((s) => `${u.stage.name}__${u.compiled}__${s.id}` === id),
  );
}

/**
 * The fake value of the secret a versionName names: the definition's secret whose `gcp`
 * reference is that versionName (or whose name is its secret id), by its neutral name.
 */
function secretFor(ir: PipelineIR, opts: LocalRunOptions, versionName: string): string | undefined {
  const byRef = Object.entries(ir.secrets).find(([, s]) => s.gcp === versionName)?.[0];
  const id = /^projects\/[^/]+\/secrets\/([^/]+)\/versions\/[^/]+$/.exec(versionName)?.[1];
  const name = byRef ?? (id !== undefined && id in ir.secrets ? id : undefined);
  return name === undefined ? undefined : (opts.inputs.secrets[name] ?? `fake-${name}`);
}
