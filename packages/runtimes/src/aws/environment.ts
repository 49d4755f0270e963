/**
 * A build's environment: CodePipeline variables resolved in the action's configuration, secrets
 * (fake values of the run) for Secrets Manager / Parameter Store references, and CodeBuild's own
 * variables, in CodeBuild's precedence order.
 */
import type { PipelineIR } from "@pipeglot/schema";
import type { LocalRunOptions } from "../options.js";
import type { Action, Buildspec, EnvironmentVariable, Header, Pipeline, Project } from "./compiled.js";

/** What `#{namespace.name}` references resolve to in this run. */
export interface VariableScope {
  pipeline: Pipeline;
  opts: LocalRunOptions;
}

/**
 * `#{variables.X}` is a pipeline-level variable (the run's value, else its default);
 * `#{<ns>.CommitId}` / `#{<ns>.BranchName}` are the source action's output variables when `<ns>`
 * is its namespace (DOCS.variables). Anything else cannot be resolved: CodePipeline fails the action.
 */
function resolveVariables(text: string, scope: VariableScope): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const source = scope.pipeline.stages.flatMap((s) => s.actions).find((a) => a.actionTypeId.category === "Source");
  const value = text.replace(/#\{([A-Za-z0-9@_-]+)\.([A-Za-z0-9@_.-]+)\}/g, (whole, ns: string, name: string) => {
    if (ns === "variables") {
      const v = scope.opts.inputs.variables[name] ?? scope.pipeline.variables?.find((x) => x.name === name)?.defaultValue;
      if (v !== undefined) return v;
    } else if (source?.namespace === ns) {
      if (name === "CommitId") return scope.opts.inputs.commit;
      if (name === "BranchName") return scope.opts.inputs.branch;
      if (name === "FullRepositoryName" && source.configuration?.FullRepositoryId) return source.configuration.FullRepositoryId;
    }
    unresolved.push(whole);
    return whole;
  });
  return { value, unresolved };
}

/** Maps a secret reference (Secrets Manager id or Parameter Store name) to the run's fake value. */
export function secretValue(ir: PipelineIR, opts: LocalRunOptions, store: "sm" | "ps", ref: string, envName: string, header?: Header): string {
  const matches = (aws: string) => {
    const [kind, id] = aws.startsWith("ssm:") ? ["ps", aws.slice(4)] : ["sm", aws.replace(/^secretsmanager:/, "")];
    return kind === store && (id === ref || ref.startsWith(`${id}:`));
  };
  const name = Object.entries(ir.secrets).find(([, s]) => s.aws !== undefined && matches(s.aws))?.[0] ?? header?.secretEnv?.[envName] ?? envName;
  return opts.inputs.secrets[name] ?? `fake-${name}`;
}

interface BuildEnvInput {
  ir: PipelineIR;
  opts: LocalRunOptions;
  scope: VariableScope;
  action: Action;
  project: Project;
  spec: Buildspec;
  header?: Header;
}

/**
 * The variables a build gets besides CodeBuild's own. Precedence (DOCS.buildspec, env.variables):
 * the start-build call (here: the action's EnvironmentVariables, DOCS.codeBuildAction) over the
 * project's environmentVariables over the buildspec's env; secrets-manager / parameter-store
 * entries are the buildspec's too.
 */
export function buildEnv(inp: BuildEnvInput): { env: Record<string, string>; unresolved: string[] } {
  const env: Record<string, string> = {};
  const unresolved: string[] = [];
  const e = inp.spec.env ?? {};
  for (const [k, v] of Object.entries(e.variables ?? {})) env[k] = String(v);
  for (const [k, ref] of Object.entries(e["parameter-store"] ?? {})) env[k] = secretValue(inp.ir, inp.opts, "ps", ref, k, inp.header);
  for (const [k, ref] of Object.entries(e["secrets-manager"] ?? {})) env[k] = secretValue(inp.ir, inp.opts, "sm", ref, k, inp.header);
  const typed = (v: EnvironmentVariable) => {
    const r = resolveVariables(v.value, inp.scope);
    unresolved.push(...r.unresolved);
    if (v.type === "SECRETS_MANAGER") return secretValue(inp.ir, inp.opts, "sm", r.value, v.name, inp.header);
    if (v.type === "PARAMETER_STORE") return secretValue(inp.ir, inp.opts, "ps", r.value, v.name, inp.header);
    return r.value;
  };
  for (const v of inp.project.environment.environmentVariables ?? []) env[v.name] = typed(v);
  const actionVars = inp.action.configuration?.EnvironmentVariables;
  if (actionVars) for (const v of JSON.parse(actionVars) as EnvironmentVariable[]) env[v.name] = typed(v);
  return { env, unresolved };
}

/** CodeBuild's own variables for a build started by CodePipeline (DOCS.envVars). */
export function codeBuildVariables(
  pipeline: string,
  project: Project,
  commit: string,
  srcDir: string,
  secondary: Record<string, string>,
  n: number,
): Record<string, string> {
  const out: Record<string, string> = {
    CODEBUILD_SRC_DIR: srcDir,
    CODEBUILD_RESOLVED_SOURCE_VERSION: commit,
    CODEBUILD_INITIATOR: `codepipeline/${pipeline}`,
    CODEBUILD_BUILD_ID: `${project.name}:00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    CODEBUILD_BUILD_NUMBER: String(n),
    CODEBUILD_BUILD_SUCCEEDING: "1",
  };
  if (project.environment.image) out.CODEBUILD_BUILD_IMAGE = project.environment.image;
  // Each secondary input artifact: CODEBUILD_SRC_DIR_<artifact name> (DOCS.codeBuildAction, "Input artifacts").
  for (const [name, dir] of Object.entries(secondary)) out[`CODEBUILD_SRC_DIR_${name}`] = dir;
  return out;
}
