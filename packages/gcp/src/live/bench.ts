/**
 * Live-sync benchmark for Cloud Build (called from bench/run.mjs; asserts nothing).
 *
 * Starts the Cloud Build emulator with a fixed latency per request, compiles `pipelines` generated
 * pipelines (4 triggers each: push, pull request, manual, and a gated "deploy" part), plans and
 * applies all of them as one plan (the reads and the creates), then runs a no-op plan. For each
 * phase it returns the API calls the emulator counted, the wall time, and the ideal time
 * calls × latency / parallelism (what perfect pipelining of that many calls would take).
 *
 * @pipeglot/emulators is loaded with import() at run time (it is a workspace sibling, not a
 * dependency of @pipeglot/gcp).
 */
import { apply, plan, planHasChanges, toYaml, type DesiredResource } from "@pipeglot/core";
import { validate } from "@pipeglot/schema";
import { compile } from "../compile/index.js";
import { connectGcb } from "./connect.js";
import { desired } from "./desired.js";

export interface BenchPhase {
  apiCalls: number;
  wallMs: number;
  /** apiCalls × latencyMs / parallelism. */
  idealMs: number;
}

export interface BenchGcpResult {
  pipelines: number;
  triggers: number;
  latencyMs: number;
  parallelism: number;
  /** plan (one GET per trigger) + apply (one create per trigger). */
  apply: BenchPhase;
  /** plan right after: one GET per trigger, nothing to do. */
  noopPlan: BenchPhase;
  /** True when the no-op plan really had no changes. */
  clean: boolean;
}

export interface BenchGcpOptions {
  pipelines?: number;
  latencyMs?: number;
  /** Reads in flight and writes in flight (default 8). */
  parallelism?: number;
}

interface EmulatorsLike {
  env: Record<string, string>;
  gcp: { counters: { snapshot(): Record<string, { requests: number }>; reset(): void } };
  close(): Promise<void>;
}

function pipelineText(i: number): string {
  return toYaml({
    pipeglot: 1,
    name: `bench-${i}`,
    source: { repository: `acme/bench-${i}`, branch: "main" },
    triggers: { push: { branches: ["main"] }, pullRequest: { branches: ["main"] } },
    variables: { REGION: "europe-west1" },
    secrets: { TOKEN: { gcp: `projects/acme-ci/secrets/bench-${i}-token/versions/latest` } },
    defaults: { image: "node:20", timeout: "20m" },
    stages: [
      {
        name: "build",
        jobs: [
          { name: "test", steps: [{ name: "install", run: "npm ci" }, { name: "unit", run: `npm test -- --shard=${i % 4}` }] },
          { name: "lint", steps: [{ run: "npm run lint" }] },
        ],
      },
      {
        name: "deploy",
        approval: { instructions: "Check the build." },
        jobs: [{ name: "release", env: { TOKEN: "${{ secrets.TOKEN }}" }, steps: [{ run: "./deploy.sh ${{ vars.REGION }} ${{ git.commit }}" }] }],
      },
    ],
    targets: { gcp: { project: "acme-ci", region: "europe-west1", artifactBucket: "acme-bench" } },
  });
}

const sum = (snap: Record<string, { requests: number }>) => Object.values(snap).reduce((a, v) => a + v.requests, 0);

export async function benchGcp(opts: BenchGcpOptions = {}): Promise<BenchGcpResult> {
  const pipelines = opts.pipelines ?? 200;
  const latencyMs = opts.latencyMs ?? 50;
  const parallelism = opts.parallelism ?? 8;
  const want: DesiredResource[] = [];
  for (let i = 0; i < pipelines; i++) {
    const r = validate(pipelineText(i), { file: `bench-${i}.yaml` });
    if (!r.ir) throw new Error(`bench pipeline ${i} does not validate: ${r.diagnostics.map((d) => d.message).join("; ")}`);
    want.push(...desired(compile(r.ir)));
  }
  const spec = "@pipeglot/emulators";
  const { startEmulators } = (await import(spec)) as { startEmulators(o: object): Promise<EmulatorsLike> };
  const emu = await startEmulators({ providers: ["gcp"], latencyMs, seed: 1 });
  const client = await connectGcb({ target: { project: "acme-ci", region: "europe-west1" }, env: emu.env }, { readParallelism: parallelism });
  try {
    const ideal = (calls: number) => Math.round((calls * latencyMs) / parallelism);
    emu.gcp.counters.reset();
    let t = performance.now();
    const p = await plan("gcp", "bench", want, client);
    const r = await apply(p, client, { parallelism });
    const applyWall = performance.now() - t;
    if (!r.ok) throw new Error(`bench apply failed: ${r.results.filter((x) => x.status !== "done").length} resources not written`);
    const applyCalls = sum(emu.gcp.counters.snapshot());

    emu.gcp.counters.reset();
    t = performance.now();
    const noop = await plan("gcp", "bench", want, client);
    const noopWall = performance.now() - t;
    const noopCalls = sum(emu.gcp.counters.snapshot());
    return {
      pipelines,
      triggers: want.length,
      latencyMs,
      parallelism,
      apply: { apiCalls: applyCalls, wallMs: Math.round(applyWall), idealMs: ideal(applyCalls) },
      noopPlan: { apiCalls: noopCalls, wallMs: Math.round(noopWall), idealMs: ideal(noopCalls) },
      clean: !planHasChanges(noop),
    };
  } finally {
    await client.close();
    await emu.close();
  }
}
