/**
 * What `status` reads from CodePipeline for one execution: GetPipelineExecution (or the newest of
 * ListPipelineExecutions), its summary's times, GetPipeline at the version it runs,
 * ListActionExecutions for it (every page), and GetPipelineState (held executions, the
 * transitions, approval tokens).
 */
import { isObject, PipeglotError } from "@pipeglot/core";
import { runNotFound, noRuns } from "@pipeglot/core";
import type { AwsLiveClient } from "../live/client.js";
import { codeOf, NOT_FOUND } from "../live/errors.js";

export type Obj = Record<string, unknown>;

export interface ExecutionFacts {
  pipeline: string;
  execution: Obj;
  summary?: Obj;
  declaration: Obj;
  actions: Obj[];
  state: Obj[];
}

const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** A missing pipeline as the user's to fix: apply it first. */
export function pipelineMissing(e: unknown, pipeline: string): unknown {
  if (NOT_FOUND.has(codeOf(e) ?? ""))
    return new PipeglotError(
      `no pipeline ${pipeline} in AWS CodePipeline (this account and region): apply it first (pipeglot apply --target aws)`,
      "not-found",
      {
        cause: e,
      },
    );
  return e;
}

/** Run a request; a PipelineNotFoundException becomes the not-found error above. */
export async function onPipeline<T>(pipeline: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw pipelineMissing(e, pipeline);
  }
}

/** The newest executions (one page). */
export async function latestExecutions(client: AwsLiveClient, pipeline: string, max = 25): Promise<Obj[]> {
  const out = await onPipeline(pipeline, () => client.request("codepipeline", "ListPipelineExecutions", { pipelineName: pipeline, maxResults: max }, pipeline));
  return objs(out.pipelineExecutionSummaries);
}

async function execution(client: AwsLiveClient, pipeline: string, id: string, recent: Obj[]): Promise<Obj> {
  try {
    const out = await client.request("codepipeline", "GetPipelineExecution", { pipelineName: pipeline, pipelineExecutionId: id }, `${pipeline} ${id}`);
    return isObject(out.pipelineExecution) ? out.pipelineExecution : {};
  } catch (e) {
    if (codeOf(e) === "PipelineExecutionNotFoundException" || codeOf(e) === "ValidationException")
      throw runNotFound(
        pipeline,
        id,
        recent.map((r) => String(r.pipelineExecutionId)),
      );
    throw pipelineMissing(e, pipeline);
  }
}

async function actionExecutions(client: AwsLiveClient, pipeline: string, id: string): Promise<Obj[]> {
  const all: Obj[] = [];
  let nextToken: string | undefined;
  do {
    const out = await client.request(
      "codepipeline",
      "ListActionExecutions",
      { pipelineName: pipeline, filter: { pipelineExecutionId: id }, maxResults: 100, ...(nextToken ? { nextToken } : {}) },
      `${pipeline} ${id}`,
    );
    all.push(...objs(out.actionExecutionDetails));
    nextToken = typeof out.nextToken === "string" ? out.nextToken : undefined;
  } while (nextToken);
  return all;
}

/** The declaration a version of the pipeline had (the current one when the version is unknown). */
export async function declaration(client: AwsLiveClient, pipeline: string, version?: unknown): Promise<Obj> {
  const out = await onPipeline(pipeline, () =>
    client.request("codepipeline", "GetPipeline", { name: pipeline, ...(typeof version === "number" ? { version } : {}) }, pipeline),
  );
  return isObject(out.pipeline) ? out.pipeline : {};
}

export async function pipelineState(client: AwsLiveClient, pipeline: string): Promise<Obj[]> {
  const out = await onPipeline(pipeline, () => client.request("codepipeline", "GetPipelineState", { name: pipeline }, pipeline));
  return objs(out.stageStates);
}

/** Everything status needs about one execution (`run` absent: the newest). */
export async function readExecution(client: AwsLiveClient, pipeline: string, run?: string): Promise<ExecutionFacts> {
  const recent = await latestExecutions(client, pipeline);
  const id = run ?? (recent[0]?.pipelineExecutionId as string | undefined);
  if (!id) throw noRuns(pipeline);
  const exec = await execution(client, pipeline, id, recent);
  const [decl, actions, state] = await Promise.all([
    declaration(client, pipeline, exec.pipelineVersion),
    actionExecutions(client, pipeline, id),
    pipelineState(client, pipeline),
  ]);
  const summary = recent.find((r) => r.pipelineExecutionId === id);
  return { pipeline, execution: exec, ...(summary ? { summary } : {}), declaration: decl, actions, state };
}

export { objs };
