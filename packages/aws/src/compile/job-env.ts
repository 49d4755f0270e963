/**
 * A job's environment on CodeBuild: what the buildspec (variables, parameter-store,
 * secrets-manager) and the CodePipeline action (EnvironmentVariables) inject, so that every
 * `${NAME}` a command reads is set.
 */
import { parseTemplate, renderTemplate, type JobIR } from "@pipeglot/schema";
import { GIT_BRANCH_VALUE, GIT_BRANCH_VAR, GIT_COMMIT_VALUE, GIT_COMMIT_VAR } from "../encoding.js";
import type { Ctx } from "./context.js";
import { secretTarget } from "./secrets.js";

export interface JobEnv {
  /** Buildspec env.variables. */
  variables: Record<string, string>;
  /** Buildspec env.secrets-manager. */
  sm: Record<string, string>;
  /** Buildspec env.parameter-store. */
  ps: Record<string, string>;
  /** The action's EnvironmentVariables, in order. */
  actionEnv: Map<string, string>;
  /** Inject what the references of a neutral text need. */
  injectRefs(text: string, path: string): void;
  /** Inject `secret` as the env variable `env`. */
  injectSecret(env: string, secret: string, path: string): void;
}

export function jobEnv(ctx: Ctx, cellValues: Record<string, string>): JobEnv {
  const e: JobEnv = {
    variables: { ...cellValues },
    sm: {},
    ps: {},
    actionEnv: new Map(),
    injectSecret: (env, secret, p) => {
      const t = secretTarget(ctx, secret, p);
      if (t) (t.store === "secrets-manager" ? e.sm : e.ps)[env] = t.id;
    },
    injectRefs: (text, p) => {
      for (const s of parseTemplate(text).segments) {
        if (s.kind === "var") e.actionEnv.set(s.name, `#{variables.${s.name}}`);
        else if (s.kind === "secret") e.injectSecret(s.name, s.name, p);
        else if (s.kind === "git")
          e.actionEnv.set(s.name === "commit" ? GIT_COMMIT_VAR : GIT_BRANCH_VAR, s.name === "commit" ? GIT_COMMIT_VALUE : GIT_BRANCH_VALUE);
      }
    },
  };
  return e;
}

/**
 * The job's env entries: a literal value is a buildspec variable, a secret (alone) a buildspec
 * secret, anything with references an action variable. Returns the entries that are a secret
 * under another name and the keys written to the action.
 */
export function injectJobEnv(
  ctx: Ctx,
  e: JobEnv,
  job: JobIR,
  path: string,
  cellValues: Record<string, string>,
): { secretEnv: Record<string, string>; actionEnvKeys: string[] } {
  const secretEnv: Record<string, string> = {};
  const actionEnvKeys: string[] = [];
  for (const [k, v] of Object.entries(job.env)) {
    const p = `${path}/env/${k}`;
    const segs = parseTemplate(v).segments;
    if (segs.length === 1 && segs[0]!.kind === "secret") {
      secretEnv[k] = segs[0]!.name;
      e.injectSecret(k, segs[0]!.name, p);
    } else if (segs.every((s) => s.kind === "text")) {
      e.variables[k] = v;
    } else if (segs.some((s) => s.kind === "secret")) {
      const s = segs.find((x) => x.kind === "secret") as { name: string };
      ctx.report(
        "PG-AWS-ENV-UNSUPPORTED",
        p,
        `${k} mixes the secret ${s.name} with other text; CodeBuild injects a secret only as a whole value, so ${k} is the secret alone`,
      );
      secretEnv[k] = s.name;
      e.injectSecret(k, s.name, p);
    } else {
      if (segs.some((s) => s.kind === "matrix"))
        ctx.report("PG-AWS-ENV-UNSUPPORTED", p, `${k} uses a matrix value in an env value; written with this cell's value`);
      e.actionEnv.set(k, actionValue(v, cellValues));
      actionEnvKeys.push(k);
    }
  }
  return { secretEnv, actionEnvKeys };
}

/** A neutral value as a CodePipeline action variable value (matrix values from this cell). */
const actionValue = (v: string, cellValues: Record<string, string>): string =>
  renderTemplate(v, {
    text: (t) => t,
    var: (n) => `#{variables.${n}}`,
    secret: () => "",
    matrix: (n) => cellValues[n] ?? "",
    git: (n) => (n === "commit" ? GIT_COMMIT_VALUE : GIT_BRANCH_VALUE),
  });
