/**
 * benchAws: the live client against the AWS emulator with a fixed latency per request.
 * Starts the emulator, applies `pipelines` copies of an example (the name varied), then runs a
 * no-op plan over all of them, and reports both phases: the API requests the emulator received,
 * the wall time, and idealMs = requests × latency / parallelism (the time if every request overlapped
 * perfectly with `parallelism` in flight). @pipeglot/emulators is loaded with import() (a dev tool,
 * not a dependency of @pipeglot/aws).
 */
import { fileURLToPath } from "node:url";
import { apply, mapLimit, plan, planHasChanges } from "@pipeglot/core";
import { validateFile } from "@pipeglot/schema";
import { compile } from "../compile/index.js";
import { connectAws } from "./connect.js";
import { desired } from "./desired.js";

export interface BenchAwsOptions {
  pipelines?: number;
  latencyMs?: number;
  /** Pipelines planned/applied at once (default 16); each apply writes up to 4 resources at once. */
  parallelism?: number;
  /** The definition to copy (default examples/node-webapp/pipeglot.yaml of this repository). */
  example?: string;
  seed?: number;
}

export interface BenchPhase {
  apiCalls: number;
  wallMs: number;
  idealMs: number;
  /** Requests per operation. */
  byOperation: Record<string, number>;
}

export interface BenchAwsResult {
  pipelines: number;
  resources: number;
  latencyMs: number;
  parallelism: number;
  apply: BenchPhase;
  noopPlan: BenchPhase;
}

interface EmulatorsLike {
  endpoints: { aws?: string };
  env: Record<string, string>;
  aws: { counters: { reset(): void; total(): number; snapshot(): Record<string, { requests: number }> } };
  close(): Promise<void>;
}

/** fns with at most `n` in flight (core's one concurrency limit). */
const limited = <T>(n: number, fns: (() => Promise<T>)[]): Promise<T[]> => mapLimit(fns, n, (f) => f());

export async function benchAws(o: BenchAwsOptions = {}): Promise<BenchAwsResult> {
  const n = o.pipelines ?? 200;
  const latencyMs = o.latencyMs ?? 50;
  const parallelism = o.parallelism ?? 16;
  const example = o.example ?? fileURLToPath(new URL("../../../../examples/node-webapp/pipeglot.yaml", import.meta.url));
  const r = await validateFile(example);
  if (!r.ir) throw new Error(`${example} does not load`);
  const ir = r.ir;
  const all = Array.from({ length: n }, (_, i) => {
    const name = `${ir.name}-${String(i).padStart(4, "0")}`;
    return { name, resources: desired(compile({ ...ir, name })) };
  });

  const emulatorsModule = "@pipeglot/emulators";
  const { startEmulators } = (await import(emulatorsModule)) as { startEmulators(o: object): Promise<EmulatorsLike> };
  const emu = await startEmulators({ providers: ["aws"], latencyMs, seed: o.seed ?? 1 });
  const client = await connectAws({ target: { region: "us-east-1" }, env: emu.env, endpoint: emu.endpoints.aws! });
  const phase = async (run: () => Promise<void>): Promise<BenchPhase> => {
    emu.aws.counters.reset();
    const t0 = performance.now();
    await run();
    const wallMs = Math.round(performance.now() - t0);
    const apiCalls = emu.aws.counters.total();
    const byOperation = Object.fromEntries(Object.entries(emu.aws.counters.snapshot()).map(([k, v]) => [k, v.requests]));
    return { apiCalls, wallMs, idealMs: Math.round((apiCalls * latencyMs) / parallelism), byOperation };
  };
  try {
    const applyPhase = await phase(async () => {
      await limited(
        parallelism,
        all.map((p) => async () => {
          const pl = await plan("aws", p.name, p.resources, client);
          const res = await apply(pl, client, { parallelism: 4 });
          if (!res.ok) throw new Error(`apply of ${p.name} failed: ${JSON.stringify(res.results.filter((x) => x.status !== "done" && x.status !== "unchanged"))}`);
        }),
      );
    });
    const noopPhase = await phase(async () => {
      const plans = await limited(parallelism, all.map((p) => () => plan("aws", p.name, p.resources, client)));
      const dirty = plans.filter(planHasChanges);
      if (dirty.length) throw new Error(`${dirty.length} no-op plans have changes (first: ${dirty[0]!.pipeline})`);
    });
    return { pipelines: n, resources: all.reduce((s, p) => s + p.resources.length, 0), latencyMs, parallelism, apply: applyPhase, noopPlan: noopPhase };
  } finally {
    client.close();
    await emu.close();
  }
}
