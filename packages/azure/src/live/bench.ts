/**
 * Sync benchmark against the Azure DevOps emulator: `pipelines` copies of a pipeline with two
 * environments and an Approval check (node-webapp's shape), each with its own repository, fully
 * applied and then planned again (no-op). Pipelines are synced `concurrency` at a time, each by
 * the same client (one process), as `pipeglot apply` over many definitions would.
 *
 * apiCalls counts every request the emulator received (location calls included); idealMs is
 * apiCalls × latencyMs / concurrency: the time if every round trip were overlapped perfectly.
 */
import { apply, mapLimit, plan, type ProviderOutput } from "@pipeglot/core";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { compile } from "../compile/index.js";
import { connectAzure } from "./connect.js";
import { desiredResources } from "./desired.js";

export interface BenchOptions {
  pipelines?: number;
  latencyMs?: number;
  /** Pipelines synced at once (default 8); apply's own parallelism inside one pipeline is 4. */
  concurrency?: number;
}

export interface BenchFigures {
  apiCalls: number;
  wallMs: number;
  idealMs: number;
}

export interface AzureBenchResult {
  pipelines: number;
  latencyMs: number;
  concurrency: number;
  apply: BenchFigures;
  noopPlan: BenchFigures;
}

interface Emu {
  azure: { organizationUrl: string; addRepository(p: string, n: string): unknown; counters: { total(): number; reset(): void } };
  close(): Promise<void>;
}

const APPROVER = "5f0c7a3e-2b1d-4c8e-9a6f-3d2e1b0c9a87";

/** A neutral document, validated like a user's: build → staging → production (approval check). */
function pipeline(i: number): PipelineIR {
  const name = `bench-${String(i).padStart(4, "0")}`;
  const doc = [
    "pipeglot: 1",
    `name: ${name}`,
    "source:",
    `  repository: ${name}`,
    "  branch: main",
    "  provider: azure-repos",
    "triggers:",
    "  push:",
    "    branches: [main]",
    "defaults:",
    "  image: node:20",
    "stages:",
    "  - name: build",
    "    jobs:",
    "      - name: build",
    "        steps:",
    `          - run: npm ci && npm run build # ${name}`,
    "  - name: staging",
    "    needs: [build]",
    "    jobs:",
    "      - name: deploy",
    `        environment: ${name}-staging`,
    "        steps:",
    "          - run: ./deploy.sh staging",
    "  - name: production",
    "    needs: [staging]",
    "    approval:",
    `      approvers: [${APPROVER}]`,
    "      timeout: 24h",
    "    jobs:",
    "      - name: deploy",
    `        environment: ${name}-production`,
    "        steps:",
    "          - run: ./deploy.sh production",
    "targets:",
    "  azure:",
    "    project: bench",
    "    approvalMode: environment",
    "",
  ].join("\n");
  const r = validate(doc);
  if (!r.ir) throw new Error(`bench pipeline ${name} does not validate: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.ir;
}

/** fn over items with at most `n` in flight (core's one concurrency limit). */
async function pool<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  await mapLimit(items, n, fn);
}

export async function benchAzure(opts: BenchOptions = {}): Promise<AzureBenchResult> {
  const pipelines = opts.pipelines ?? 200;
  const latencyMs = opts.latencyMs ?? 50;
  const concurrency = opts.concurrency ?? 8;
  const spec = "@pipeglot/emulators";
  const { startEmulators } = (await import(spec)) as { startEmulators(o: object): Promise<Emu> };
  const emu = await startEmulators({ providers: ["azure"], latencyMs, seed: 1 });
  try {
    const outputs: ProviderOutput[] = [];
    for (let i = 0; i < pipelines; i++) {
      const ir = pipeline(i);
      const out = compile(ir);
      const bad = out.diagnostics.find((d) => d.severity === "error");
      if (bad) throw new Error(`bench pipeline ${ir.name}: ${bad.message}`);
      outputs.push(out);
      emu.azure.addRepository("bench", ir.name);
    }
    const env = { AZURE_DEVOPS_ORG_URL: emu.azure.organizationUrl, AZURE_DEVOPS_TOKEN: "bench-token" };
    const measure = async (what: "apply" | "plan"): Promise<BenchFigures> => {
      const client = await connectAzure({ target: { project: "bench" }, env });
      emu.azure.counters.reset();
      const t0 = performance.now();
      await pool(outputs, concurrency, async (out) => {
        const p = await plan("azure", out.pipeline, desiredResources(out), client);
        if (what === "apply") {
          const r = await apply(p, client);
          if (!r.ok) throw new Error(`bench apply of ${out.pipeline} failed: ${r.results.map((x) => x.message ?? x.status).join("; ")}`);
        } else if (p.changes.some((c) => c.action !== "noop")) throw new Error(`bench: ${out.pipeline} is not in sync after apply`);
      });
      const wallMs = Math.round(performance.now() - t0);
      const apiCalls = emu.azure.counters.total();
      return { apiCalls, wallMs, idealMs: Math.round((apiCalls * latencyMs) / concurrency) };
    };
    const applyFigures = await measure("apply");
    const noopPlan = await measure("plan");
    return { pipelines, latencyMs, concurrency, apply: applyFigures, noopPlan };
  } finally {
    await emu.close();
  }
}
