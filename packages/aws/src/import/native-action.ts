/**
 * An action pipeglot has no neutral form for (deploy, invoke, a CodeBuild action without its
 * project) → a job that keeps it as `native.aws.action`, in the API's types: configuration values
 * and the action type's version as strings (a CloudFormation template may give `true`, `1`), and
 * artifact names as the neutral names the rest of the import uses, so that compile renames them
 * together with their producers and consumers.
 */
import { isObject } from "@pipeglot/core";
import { DEFAULT_IMAGE, type JobIR } from "@pipeglot/schema";
import type { ActionDeclaration } from "../native/codepipeline.js";
import { PROJECT_NAME, neutralName } from "../names.js";

const text = (v: unknown): string => (typeof v === "string" ? v : isObject(v) || Array.isArray(v) ? JSON.stringify(v) : String(v));

/** The neutral name of an AWS artifact name. */
export const artifactName = (aws: string): string => neutralName(aws, "artifact");

export function nativeAction(a: ActionDeclaration): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  delete out.name;
  delete out.runOrder;
  if (isObject(a.actionTypeId))
    out.actionTypeId = { ...a.actionTypeId, ...(a.actionTypeId.version !== undefined ? { version: text(a.actionTypeId.version) } : {}) };
  if (isObject(a.configuration))
    out.configuration = Object.fromEntries(
      Object.entries(a.configuration as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, text(v)]),
    );
  for (const k of ["inputArtifacts", "outputArtifacts"] as const) {
    const list = a[k];
    if (Array.isArray(list) && list.length) out[k] = list.filter(isObject).map((x) => ({ ...x, name: artifactName(text(x.name)) }));
    else delete out[k];
  }
  if (a.timeoutInMinutes !== undefined) out.timeoutInMinutes = Number(a.timeoutInMinutes);
  return out;
}

export function nativeJob(a: ActionDeclaration): JobIR {
  return {
    id: "",
    name: text(a.name),
    needs: [],
    image: DEFAULT_IMAGE,
    runner: "small",
    env: {},
    steps: [],
    produces: [],
    consumes: [],
    retries: 0,
    native: { aws: { action: nativeAction(a) } },
  };
}

/**
 * Settings of an imported CodeBuild action that its job does not express (a variable namespace
 * later actions read, BatchEnabled, a role) stay in the job's `native.aws.action`, which compile
 * merges into the CodeBuild action it writes.
 */
export function keepActionSettings(job: JobIR, a: ActionDeclaration): void {
  const action = nativeAction(a);
  const keep: Record<string, unknown> = {};
  const cfg = (isObject(action.configuration) ? action.configuration : {}) as Record<string, string>;
  const extra = Object.fromEntries(Object.entries(cfg).filter(([k]) => !["ProjectName", "PrimarySource", "EnvironmentVariables"].includes(k)));
  if (Object.keys(extra).length) keep.configuration = extra;
  for (const k of ["namespace", "roleArn", "timeoutInMinutes"] as const) if (action[k] !== undefined) keep[k] = action[k];
  if (!Object.keys(keep).length) return;
  job.native = { ...job.native, aws: { ...job.native?.aws, action: keep } };
}

/**
 * The CodeBuild project's own name, when compile would name it otherwise
 * (`<pipeline>-<stage>-<job>`): kept as the job's `native.aws.project.name`, so that the compiled
 * pipeline updates the project that exists. A name two actions share is kept for the first only
 * (compile writes one project per job).
 */
export function keepProjectName(job: JobIR, name: string | undefined, generated: string, taken: Set<string>): void {
  if (name === undefined || !/^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/.test(name) || taken.has(name)) return;
  taken.add(name);
  if (name === PROJECT_NAME.sanitize(generated)) return;
  const aws = job.native?.aws ?? {};
  job.native = { ...job.native, aws: { ...aws, project: { ...(isObject(aws.project) ? aws.project : {}), name } } };
}
