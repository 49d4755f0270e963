/**
 * Artifact names on AWS, decided once for the whole pipeline so that every producer and every
 * consumer (CodeBuild actions and passed-through native actions alike) agree:
 *   - the source stage's output keeps the name passed-through actions consume it by (e.g.
 *     `SourceArtifact` from an imported pipeline), else `source`;
 *   - a neutral artifact keeps its name where AWS allows it (`[A-Za-z0-9_-]{1,100}`), else it is
 *     folded (`OpenAPI Spec` → `OpenAPI_Spec`), and every name is unique in the pipeline;
 *   - a matrix job produces one artifact per cell (`<name>-<cell>`), and a consumer of that
 *     artifact receives every cell's artifact.
 */
import { expandMatrix, isObject, type NameRegistry } from "@pipeglot/core";
import type { JobIR, PipelineIR } from "@pipeglot/schema";
import type { Ctx } from "./context.js";

export interface ArtifactPlan {
  /** The source stage's output artifact. */
  source: string;
  /** The AWS name of the artifact `neutral` as produced by job `jobId` (matrix cell `cell`). */
  produced(jobId: string, cell: string | undefined, neutral: string): string;
  /** Every AWS artifact a consumer of `neutral` receives (one per matrix cell of its producer). */
  consumed(neutral: string): string[];
  /** A name from a native action's artifact list: a neutral artifact's AWS names, else the source. */
  mapNative(name: string): string[];
}

/** Names listed in a job's `native.aws.action` inputArtifacts/outputArtifacts. */
function nativeArtifactNames(job: JobIR, key: "inputArtifacts" | "outputArtifacts"): string[] | undefined {
  const a = job.native?.aws?.action;
  if (!isObject(a) || !Array.isArray(a[key])) return undefined;
  return a[key].map((x) => (isObject(x) && typeof x.name === "string" ? x.name : "")).filter(Boolean);
}

const cellKey = (jobId: string, cell: string | undefined, neutral: string) => `${jobId}\u0000${cell ?? ""}\u0000${neutral}`;

export function planArtifacts(ctx: Ctx, names: NameRegistry): ArtifactPlan {
  const { ir } = ctx;
  const outputsOf = (j: JobIR) => [...new Set([...j.produces.map((a) => a.name), ...(nativeArtifactNames(j, "outputArtifacts") ?? [])])];
  const neutral = new Set(allJobs(ir).flatMap(outputsOf));
  // What passed-through actions consume without any job producing it: the source output.
  const aliases = [...new Set(allJobs(ir).flatMap((j) => (nativeArtifactNames(j, "inputArtifacts") ?? []).filter((n) => !neutral.has(n))))];
  const source = names.take(aliases[0] ?? "source");
  if (aliases.length > 1)
    ctx.report(
      "PG-AWS-NAME-CHANGED",
      "/source",
      `passed-through actions consume ${aliases.map((a) => JSON.stringify(a)).join(", ")}, which no job produces: all of them are the source artifact ${JSON.stringify(source)} (the pipeline has one source)`,
    );

  const byCell = new Map<string, string>();
  const byNeutral = new Map<string, string[]>();
  ir.stages.forEach((s, i) =>
    s.jobs.forEach((j, k) => {
      const cells = expandMatrix(j);
      outputsOf(j).forEach((a, n) => {
        const made: string[] = [];
        for (const cell of cells.length ? cells.map((c) => c.suffix) : [undefined]) {
          const aws = names.take(cell === undefined ? a : `${a}-${cell}`);
          byCell.set(cellKey(j.id, cell, a), aws);
          made.push(aws);
        }
        byNeutral.set(a, [...(byNeutral.get(a) ?? []), ...made]);
        const path = n < j.produces.length ? `/stages/${i}/jobs/${k}/artifacts/produce/${n}/name` : `/stages/${i}/jobs/${k}/native/aws/action/outputArtifacts`;
        if (cells.length)
          ctx.report(
            "PG-AWS-NAME-CHANGED",
            path,
            `matrix job ${j.name} produces ${JSON.stringify(a)} once per cell: on AWS ${made.map((m) => JSON.stringify(m)).join(", ")}; every consumer receives all of them`,
          );
        else if (made[0] !== a)
          ctx.report(
            "PG-AWS-NAME-CHANGED",
            path,
            `artifact ${JSON.stringify(a)} is called ${JSON.stringify(made[0])} on AWS (artifact names allow letters, digits, '-' and '_', unique in the pipeline)`,
          );
      });
    }),
  );
  const consumed = (n: string) => byNeutral.get(n) ?? [];
  return {
    source,
    produced: (jobId, cell, n) => byCell.get(cellKey(jobId, cell, n)) ?? consumed(n)[0] ?? source,
    consumed,
    mapNative: (n) => (byNeutral.has(n) ? consumed(n) : [source]),
  };
}

/**
 * The artifact lists of one action: a CodeBuild action reads the source first, then what the job
 * consumes; a passed-through action reads (and writes) what its own lists name, in their order,
 * under the names this plan gives them, plus whatever the job consumes (produces) besides.
 */
export function actionArtifacts(plan: ArtifactPlan, job: JobIR, cell: string | undefined, native: boolean): { inputs: string[]; outputs: string[] } {
  const consumed = job.consumes.flatMap(plan.consumed);
  const listedIn = nativeArtifactNames(job, "inputArtifacts");
  const inputs = native ? [...(listedIn ?? []).flatMap(plan.mapNative), ...consumed] : [plan.source, ...consumed];
  const listedOut = nativeArtifactNames(job, "outputArtifacts") ?? [];
  const outputs = [...listedOut, ...job.produces.map((a) => a.name)].map((n) => plan.produced(job.id, cell, n));
  return { inputs: [...new Set(inputs)], outputs: [...new Set(outputs)] };
}

function allJobs(ir: PipelineIR): JobIR[] {
  return ir.stages.flatMap((s) => s.jobs);
}
