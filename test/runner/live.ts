/**
 * One live-sync test runner for the four clouds (issue 14 item 6). The same scenarios run on
 * AWS, Azure, Cloud Build and OCI through each provider's own `connect()` (the real SDKs) against
 * the emulators, the way the CLI runs them: compile → preflight → plan over the API resources and
 * the files the pipeline reads from the repository (syncSet/planSync) → apply.
 *
 * What differs per cloud is small and lives in an adapter (./adapters.ts): how to start its
 * emulator and connect, how someone else edits a resource out of band, and how a resource nobody
 * manages with pipeglot is created. A scenario a cloud cannot do today is listed in the adapter's
 * `gaps` with the reason; the test file runs it with `it.fails` and says why (never a silent skip).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { inspect } from "node:util";
import { join } from "node:path";
import { expect } from "vitest";
import {
  apply,
  keyString,
  planHasChanges,
  planSync,
  renderApply,
  renderPlan,
  syncSet,
  type ApplyResult,
  type LiveClient,
  type Plan,
  type Provider,
} from "@pipeglot/core";
import type { Emulators, FaultOptions } from "@pipeglot/emulators";
import { validateFile, type PipelineIR, type ProviderId } from "@pipeglot/schema";
import { REPO } from "../helpers/paths.js";

export const SCENARIOS = ["create", "noop", "edit", "conflict", "prune", "storm", "secrets"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** A resource someone else edited out of band: its key, and its live state as the emulator holds it. */
export interface OutOfBand {
  key: string;
  state(): unknown;
}

/** One running emulated account of one cloud. */
export interface Cloud {
  emu: Emulators;
  /** Credential values in the env handed to connect(): none may appear in any output. */
  secrets: string[];
  /** The provider's own connect(), with the fake credentials, against the emulator. */
  connect(ir: PipelineIR): Promise<LiveClient>;
  /** Edit, as someone else would, the resource of `pipeline` that a change of its description updates. */
  outOfBand(pipeline: string): OutOfBand;
  /** Create a resource that pipeglot does not manage, beside `ir`'s resources; `exists` checks it is still there. */
  unmanaged(ir: PipelineIR): Promise<{ name: string; exists(): boolean }>;
  close(): Promise<void>;
}

export interface LiveAdapter {
  id: ProviderId;
  /** The definition this cloud runs: node-webapp, adapted where the cloud needs it (said why). */
  prepare?(ir: PipelineIR): PipelineIR;
  start(): Promise<Cloud>;
  /** Scenarios this cloud cannot do today, with the reason (run as `it.fails`, reported). */
  gaps: Partial<Record<Scenario, string>>;
}

/** Fast engine backoff: the tests inject faults, they do not wait for them. */
const FAST = { minBackoffMs: 2, maxBackoffMs: 50 };
const STORM: FaultOptions = { throttleRate: 0.2, errorRate: 0.15, dropRate: 0.05 };

export async function nodeWebapp(): Promise<PipelineIR> {
  const r = await validateFile(join(REPO, "examples/node-webapp/pipeglot.yaml"));
  if (!r.ir) throw new Error("examples/node-webapp does not validate");
  return r.ir;
}

/** The same definition with the first step of a job (of the first stage that has it) running another command. */
export function withCommand(ir: PipelineIR, job: string, run: string): PipelineIR {
  const out = structuredClone(ir);
  const j = out.stages.flatMap((s) => s.jobs).find((x) => x.name === job);
  if (!j) throw new Error(`the definition has no job ${job}`);
  j.steps[0]!.run = run;
  return out;
}
const withLintCommand = (ir: PipelineIR, run: string) => withCommand(ir, "lint", run);

/** Another pipeline: another name, its own environments (Azure environments are shared by name). */
export function renamed(ir: PipelineIR, name: string): PipelineIR {
  const out = structuredClone(ir);
  out.name = name;
  for (const j of out.stages.flatMap((s) => s.jobs)) if (j.environment) j.environment = `${name}-${j.environment}`;
  return out;
}

/** Fewer resources: no lint job, no pull-request trigger, no approval. */
export function shrunk(ir: PipelineIR): PipelineIR {
  const out = structuredClone(ir);
  for (const s of out.stages) {
    s.jobs = s.jobs.filter((j) => j.name !== "lint");
    for (const j of s.jobs) if (j.needs) j.needs = j.needs.filter((n) => n !== "lint");
    delete s.approval;
  }
  delete out.triggers.pullRequest;
  return out;
}

const summary = (p: Plan) => p.changes.filter((c) => c.action !== "noop").map((c) => `${c.action} ${keyString(c.key)}`);

/** Plans and applies one cloud's pipelines like the CLI does, recording every text it produces. */
export class LiveRunner {
  readonly outputs: string[] = [];
  private readonly roots = new Map<string, string>();

  constructor(
    readonly adapter: LiveAdapter,
    readonly cloud: Cloud,
    readonly provider: Provider<unknown, LiveClient>,
  ) {}

  static async open(adapter: LiveAdapter): Promise<LiveRunner> {
    const mod = (await import(`@pipeglot/${adapter.id}`)) as { provider: Provider<unknown, LiveClient> };
    return new LiveRunner(adapter, await adapter.start(), mod.provider);
  }

  async definition(): Promise<PipelineIR> {
    const ir = await nodeWebapp();
    return this.adapter.prepare ? this.adapter.prepare(ir) : ir;
  }

  record(x: unknown): void {
    this.outputs.push(typeof x === "string" ? x : JSON.stringify(x));
  }

  /** Each pipeline has a repository of its own (a temporary folder): its working tree holds the files the pipeline reads. */
  root(pipeline: string): string {
    let dir = this.roots.get(pipeline);
    if (!dir) this.roots.set(pipeline, (dir = mkdtempSync(join(tmpdir(), `pipeglot-runner-${this.adapter.id}-`))));
    return dir;
  }

  /** connect → compile → preflight → plan (API resources and repository files), as `pipeglot plan`. */
  async plan(ir: PipelineIR, opts: { prune?: boolean; readRetries?: number } = {}): Promise<{ plan: Plan; client: LiveClient }> {
    const output = this.provider.compile(ir);
    const errors = output.diagnostics.filter((d) => d.severity === "error");
    expect(errors, `${this.adapter.id} compile errors`).toEqual([]);
    const client = await this.cloud.connect(ir);
    const pre = await this.provider.live.preflight(client, output, {});
    const set = syncSet(this.provider.live, output, client, { root: this.root(ir.name) });
    const planned = await planSync(this.adapter.id, ir.name, set, { prune: opts.prune ?? false, readRetries: opts.readRetries ?? 30, ...FAST });
    const plan = { ...planned, problems: [...pre.problems, ...planned.problems] };
    this.record(renderPlan(plan));
    this.record(plan);
    for (const n of pre.notes) this.record(n);
    return { plan, client: set.client };
  }

  async apply(plan: Plan, client: LiveClient, retries = 30): Promise<ApplyResult> {
    const r = await apply(plan, client, { retries, ...FAST });
    this.record(renderApply(r));
    this.record(r);
    return r;
  }

  /** plan then apply; the apply must do every change. */
  async sync(ir: PipelineIR, opts: { prune?: boolean } = {}): Promise<{ plan: Plan; result: ApplyResult }> {
    const { plan, client } = await this.plan(ir, opts);
    expect(plan.problems, renderPlan(plan)).toEqual([]);
    const result = await this.apply(plan, client);
    expect(
      result.results.filter((x) => x.status !== "done" && x.status !== "unchanged"),
      renderApply(result),
    ).toEqual([]);
    return { plan, result };
  }

  async expectInSync(ir: PipelineIR, opts: { prune?: boolean } = {}): Promise<Plan> {
    const { plan } = await this.plan(ir, opts);
    expect(plan.problems, renderPlan(plan)).toEqual([]);
    expect(summary(plan), renderPlan(plan)).toEqual([]);
    return plan;
  }

  async close(): Promise<void> {
    await this.cloud.close();
    for (const dir of this.roots.values()) rmSync(dir, { recursive: true, force: true });
  }
}

/** What the scenarios of one cloud share: the definition as it is live now. */
export interface Run {
  runner: LiveRunner;
  ir: PipelineIR;
}

/** The API resources of a definition and the repository files its pipeline reads (repo.File/<path>: --prune deletes those too). */
const keysOf = (p: Provider<unknown, LiveClient>, ir: PipelineIR): string[] => {
  const out = p.compile(ir);
  return [...p.live.repositoryFiles(out, {}).map((f) => `repo.File/${f.path}`), ...p.live.desired(out, {}).map((d) => keyString(d.key))];
};
const actionsOf = (p: Plan) => new Set(p.changes.filter((c) => c.action !== "noop").map((c) => c.action));
const requests = (emu: Emulators, id: ProviderId): number => Object.values(emu.counts()[id] ?? {}).reduce((n, c) => n + c.requests, 0);
const faulted = (emu: Emulators, id: ProviderId): number =>
  Object.values(emu.counts()[id] ?? {}).reduce((n, c) => n + c.throttled + c.serverErrors + c.dropped, 0);

/** create: the plan shows only creates (every resource), apply does them, the next plan is empty. */
async function create(run: Run): Promise<void> {
  const r = run.runner;
  run.ir = await r.definition();
  const { plan } = await r.plan(run.ir);
  expect(plan.problems, renderPlan(plan)).toEqual([]);
  expect([...actionsOf(plan)]).toEqual(["create"]);
  for (const k of keysOf(r.provider, run.ir)) expect(summary(plan)).toContain(`create ${k}`);
  await r.sync(run.ir);
  await r.expectInSync(run.ir);
}

/** no-op: a plan of what is live changes nothing, and applying it writes nothing. */
async function noop(run: Run): Promise<void> {
  const r = run.runner;
  const { plan, client } = await r.plan(run.ir);
  expect(planHasChanges(plan), renderPlan(plan)).toBe(false);
  const before = requests(r.cloud.emu, r.adapter.id);
  const result = await r.apply(plan, client);
  expect(result.ok).toBe(true);
  expect(
    result.results.every((x) => x.status === "unchanged"),
    renderApply(result),
  ).toBe(true);
  expect(requests(r.cloud.emu, r.adapter.id) - before, "applying a no-op plan sends no request").toBe(0);
}

/** edit: a step's command changed → only updates, carrying the new command → apply → empty. */
async function edit(run: Run): Promise<void> {
  const r = run.runner;
  const edited = withLintCommand(run.ir, "npm ci && npm run lint -- --max-warnings 0");
  const { plan } = await r.plan(edited);
  expect(plan.problems, renderPlan(plan)).toEqual([]);
  expect([...actionsOf(plan)], renderPlan(plan)).toEqual(["update"]);
  const carriers = plan.changes.filter((c) => c.action === "update" && JSON.stringify(c.after).includes("--max-warnings 0"));
  expect(carriers.length, renderPlan(plan)).toBeGreaterThan(0);
  await r.sync(edited);
  await r.expectInSync(edited);
  run.ir = edited;
}

/** conflict: someone edits a resource between plan and apply → conflict, nothing written for it; a new plan converges. */
async function conflict(run: Run): Promise<void> {
  const r = run.runner;
  const edited = structuredClone(run.ir);
  edited.description = "Storefront web app (edited by pipeglot)";
  const { plan, client } = await r.plan(edited);
  const oob = r.cloud.outOfBand(run.ir.name);
  expect(summary(plan), `${oob.key} is updated by the plan`).toContain(`update ${oob.key}`);
  const touched = oob.state();
  const result = await r.apply(plan, client);
  expect(result.ok).toBe(false);
  const mine = result.results.find((x) => keyString(x.key) === oob.key);
  expect(mine?.status, renderApply(result)).toBe("conflict");
  expect(mine?.message ?? "").not.toBe("");
  expect(oob.state(), "nothing was written over the out-of-band change").toEqual(touched);
  await r.sync(edited);
  await r.expectInSync(edited);
  run.ir = edited;
}

/** prune: deletes only this pipeline's resources that left the definition; another pipeline's and an unmanaged one survive. */
async function prune(run: Run): Promise<void> {
  const r = run.runner;
  const other = renamed(run.ir, "shop-admin");
  await r.sync(other);
  const stranger = await r.cloud.unmanaged(run.ir);
  const small = shrunk(run.ir);
  const kept = await r.plan(small);
  expect(
    kept.plan.changes.filter((c) => c.action === "delete"),
    "no delete without --prune",
  ).toEqual([]);
  const { plan, client } = await r.plan(small, { prune: true });
  expect(plan.problems, renderPlan(plan)).toEqual([]);
  const wanted = new Set(keysOf(r.provider, small));
  const gone = keysOf(r.provider, run.ir)
    .filter((k) => !wanted.has(k))
    .sort();
  const deletes = plan.changes
    .filter((c) => c.action === "delete")
    .map((c) => keyString(c.key))
    .sort();
  expect(deletes, renderPlan(plan)).toEqual(gone);
  expect(deletes.length, "the shrunk definition leaves something of this pipeline to delete").toBeGreaterThan(0);
  const result = await r.apply(plan, client);
  expect(result.ok, renderApply(result)).toBe(true);
  expect(stranger.exists(), `the unmanaged ${stranger.name} survives --prune`).toBe(true);
  await r.expectInSync(other); // every resource of the other pipeline is still there, unchanged
  await r.expectInSync(small, { prune: true });
  run.ir = small;
}

/** fault storm: throttling + 5xx + dropped connections while creating and editing a pipeline; apply converges, the plan after is empty. */
async function storm(run: Run): Promise<void> {
  const r = run.runner;
  const id = r.adapter.id;
  const stormy = renamed(await r.definition(), "storm-web");
  // The edit changes a command and the description, so that API resources are written on every cloud.
  const edited = withLintCommand(stormy, "npm ci && npm run lint -- --quiet");
  edited.description = "Storefront web app (edited in a storm)";
  const before = faulted(r.cloud.emu, id);
  r.cloud.emu.setFaults(STORM, id);
  try {
    await r.sync(stormy);
    await r.sync(edited);
  } finally {
    r.cloud.emu.setFaults({ throttleRate: 0, errorRate: 0, dropRate: 0 }, id);
  }
  expect(faulted(r.cloud.emu, id) - before, "the storm really happened").toBeGreaterThanOrEqual(3);
  await r.expectInSync(edited);
}

/** Text of an error as the CLI, a JSON report and a debug dump (PIPEGLOT_DEBUG, a logger) would show it. */
const errorText = (e: unknown): string =>
  e instanceof Error ? `${e.name}: ${e.message}\n${JSON.stringify(e)}\n${inspect(e, { depth: 6 })}\n${e.stack ?? ""}` : JSON.stringify(e);

/**
 * secrets: errors (every read answered 5xx; every write answered 5xx) and pull add to the texts
 * recorded by every scenario before; no credential value of the env appears in any of them.
 */
async function secrets(run: Run): Promise<void> {
  const r = run.runner;
  const id = r.adapter.id;
  // A command (a repository file on Azure and OCI) and the description (an API resource everywhere).
  const edited = withCommand(run.ir, "bundle", "npm ci && npm run build -- --mode production");
  edited.description = "Storefront web app (every request fails)";
  const { plan, client } = await r.plan(edited);
  r.cloud.emu.setFaults({ errorRate: 1 }, id);
  try {
    const failed = await r.apply(plan, client, 1);
    expect(failed.ok).toBe(false);
    // Each write that failed was sent twice (retries: 1), and its result says so.
    const attempts = failed.results.filter((x) => x.status === "failed").map((x) => x.attempts);
    expect(attempts.length, renderApply(failed)).toBeGreaterThan(0);
    expect(attempts, renderApply(failed)).toEqual(attempts.map(() => 2));
    const read = await r.plan(run.ir, { readRetries: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(read, "a plan against an API that answers only 5xx fails").toBeDefined();
    r.record(errorText(read));
  } finally {
    r.cloud.emu.setFaults({ errorRate: 0 }, id);
  }
  await r.sync(edited);
  run.ir = edited;
  r.record(await r.provider.live.pull(await r.cloud.connect(run.ir), run.ir.name, { repositoryRoot: r.root(run.ir.name) }));
  expect(r.outputs.length).toBeGreaterThan(10);
  for (const secret of r.cloud.secrets) {
    const leaks = r.outputs.filter((o) => o.includes(secret));
    expect(leaks.length, `a credential of the env appears in ${leaks.length} outputs: ${leaks[0]?.slice(0, 300)}`).toBe(0);
  }
}

export const SCENARIO_RUNS: Record<Scenario, (run: Run) => Promise<void>> = { create, noop, edit, conflict, prune, storm, secrets };
