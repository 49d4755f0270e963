/** Steps: bash/pwsh/script/PythonScript, env, conditions, timeouts, retries, native steps. */
import { isObject, mergeNative, shQuote } from "@pipeglot/core";
import { parseTemplate, type StepIR } from "@pipeglot/schema";
import type { NameRegistry } from "@pipeglot/core";
import type { AzStep } from "../native/pipeline.js";
import { conditionExpr } from "./conditions.js";
import { minutes, type Ctx } from "./context.js";
import { renderScript, renderValue } from "./text.js";
import { byText } from "@pipeglot/schema";

export function compileEnv(ctx: Ctx, env: Record<string, string>, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const r = renderValue(v, ctx.refs);
    if (r.unescapable)
      ctx.report("PG-ADO-LITERAL-UNESCAPABLE", `${path}/${k}`, `env ${k} holds ${JSON.stringify(v)}: Azure expands $(name) macros and has no escape for them`);
    if (r.branchName) reportBranchName(ctx, `${path}/${k}`, `env ${k}`);
    out[k] = r.value;
  }
  return out;
}

/** A git.branch reference outside a bash/sh/pwsh script is the macro $(Build.SourceBranchName): the last segment of the ref. */
export function reportBranchName(ctx: Ctx, path: string, where: string): void {
  ctx.report("PG-ADO-BRANCH-NAME", path, `${where} gets git.branch as $(Build.SourceBranchName), the last segment of the branch (on release/1.2: 1.2)`);
}

export function compileCondition(ctx: Ctx, c: StepIR["condition"], path: string): string | undefined {
  if (!c) return undefined;
  const r = conditionExpr(c);
  for (const b of r.approximated) ctx.report("PG-ADO-CONDITION-GLOB", path, `branch glob ${JSON.stringify(b)} approximated with startsWith/endsWith`);
  const compared = [...c.branches.map((b) => `branch ${JSON.stringify(b)}`), ...Object.keys(c.variables).map((k) => `variable ${k}`)];
  if (compared.length)
    ctx.report(
      "PG-ADO-CONDITION-CASE",
      path,
      `Azure compares ${compared.join(", ")} ignoring case (a run on MAIN matches main): the condition also holds for values that differ only in case`,
    );
  return r.expr;
}

/**
 * A step, job or stage whose `native.azure` names a `template` is that template reference: it is
 * written as the fragment alone (Azure allows only `template` and `parameters` there), whatever
 * else the neutral item holds (an imported placeholder for the other providers).
 */
export function templateFragment(ctx: Ctx, native: Record<string, unknown> | undefined, path: string): Record<string, unknown> | undefined {
  if (typeof native?.template !== "string") return undefined;
  ctx.report("PG-ADO-NATIVE", `${path}/native/azure`, `native.azure template reference ${native.template} written in place of the neutral content`);
  return Object.fromEntries(Object.entries(structuredClone(native)).filter(([, v]) => v !== null));
}

/**
 * Where nothing can be written for Azure (a step with only another provider's native, a job with no
 * steps): a bash step that fails the run and says why, since Azure rejects a step of no kind.
 */
export function notTranslated(ctx: Ctx, path: string, what: string, why: string, at: string): AzStep {
  ctx.report("PG-ADO-NOT-TRANSLATED", at, `${what} ${why}: it became a step that fails with a message`);
  const message = `pipeglot: ${what.replace(/"/g, "")} ${why}, it has no Azure Pipelines translation; translate it by hand (see PG-ADO-NOT-TRANSLATED)`;
  return { bash: `echo ${shQuote(message)} >&2\nexit 1` };
}

/** Python scripts keep macros: Azure pastes the values into the code, and a queued override becomes code. */
function pastedRefs(ctx: Ctx, s: StepIR, path: string): void {
  if (s.shell !== "python") return;
  const refs = parseTemplate(s.run!).segments.filter((g) => g.kind !== "text" && !(g.kind === "git" && g.name === "commit"));
  if (refs.some((g) => g.kind === "git")) reportBranchName(ctx, `${path}/run`, "a python script");
  if (refs.length)
    ctx.report(
      "PG-ADO-VARIABLE-TEXT",
      `${path}/run`,
      `shell python: ${refs.map((g) => (g.kind === "git" ? "git.branch" : `${g.kind === "var" ? "vars" : g.kind === "secret" ? "secrets" : "matrix"}.${(g as { name: string }).name}`)).join(", ")} pasted into the script as $(...) macros; a value set when the run is queued becomes python code`,
    );
}

export function compileStep(ctx: Ctx, s: StepIR, path: string, ids: NameRegistry, extraEnv: Record<string, string>): AzStep {
  const tpl = templateFragment(ctx, s.native?.azure, path);
  if (tpl) return tpl;
  let step: AzStep = {};
  const dataEnv = new Map<string, string>();
  if (s.run !== undefined) {
    const { script, escaped } = renderScript(s.run, s.shell, { ...ctx.refs, env: dataEnv });
    pastedRefs(ctx, s, path);
    if (escaped)
      ctx.report(
        "PG-ADO-LITERAL-ESCAPED",
        `${path}/run`,
        "the command holds text Azure would expand ($(name), ${{ }} or $[ ]); it is written as quoted pieces joined by the shell so that it runs as written",
      );
    switch (s.shell) {
      case "bash":
        step.bash = script;
        break;
      case "sh":
        step.script = script;
        ctx.report("PG-ADO-SHELL-SH", `${path}/shell`, "shell sh is written as a script: step (bash on Linux agents)");
        break;
      case "pwsh":
        step.pwsh = script;
        break;
      case "python":
        step.task = "PythonScript@0";
        step.inputs = { scriptSource: "inline", script };
        ctx.report("PG-ADO-SHELL-PYTHON", `${path}/shell`, "shell python is written as a PythonScript@0 task");
        break;
    }
  }
  if (s.run === undefined && !s.native?.azure)
    Object.assign(
      step,
      notTranslated(
        ctx,
        path,
        `step "${s.id}"`,
        s.native ? `is native.${Object.keys(s.native).sort().join("/native.")} only` : "has no command",
        s.native ? `${path}/native` : path,
      ),
    );
  if (s.name !== undefined) {
    const id = ids.take(s.name);
    if (id !== s.name) {
      step.displayName = s.name;
      ctx.report("PG-ADO-NAME-SANITIZED", `${path}/name`, `step name ${JSON.stringify(s.name)} written as ${id}`);
    }
    step.name = id;
  }
  if (s.workingDirectory !== undefined) {
    const r = renderValue(s.workingDirectory, ctx.refs);
    if (r.unescapable) ctx.report("PG-ADO-LITERAL-UNESCAPABLE", `${path}/workingDirectory`, "the working directory holds a $(...) that Azure may expand");
    if (r.branchName) reportBranchName(ctx, `${path}/workingDirectory`, "the working directory");
    step.workingDirectory = r.value;
  }
  const env = { ...extraEnv, ...compileEnv(ctx, s.env, `${path}/env`) };
  for (const [n, macro] of [...dataEnv].sort(byText(([k]) => k))) {
    if (n in env)
      ctx.report("PG-ADO-ENV-RESERVED", `${path}/env/${n}`, `env ${n} is also the name the script reads ${macro} from: the script sees the env value instead`);
    else env[n] = macro;
  }
  if (Object.keys(env).length) step.env = env;
  const cond = compileCondition(ctx, s.condition, `${path}/condition`);
  if (cond) step.condition = cond;
  if (s.continueOnError) step.continueOnError = true;
  if (s.timeoutSeconds !== undefined) step.timeoutInMinutes = minutes(ctx, s.timeoutSeconds, `${path}/timeout`);
  if (s.retries) step.retryCountOnTaskFailure = s.retries;
  const native = s.native?.azure;
  if (native) {
    step = mergeNative(step, native);
    ctx.report("PG-ADO-NATIVE", `${path}/native/azure`, "native.azure step fragment merged as written");
  }
  return placeWorkingDirectory(ctx, step, path);
}

/** Step kinds that take a `workingDirectory` key (the service schema); a task takes it as an input. */
const SCRIPT_KINDS = ["script", "bash", "pwsh", "powershell"];
const OTHER_KINDS = ["checkout", "download", "downloadBuild", "getPackage", "publish", "upload", "reviewApp"];

function placeWorkingDirectory(ctx: Ctx, step: AzStep, path: string): AzStep {
  if (step.workingDirectory === undefined || SCRIPT_KINDS.some((k) => k in step)) return step;
  const { workingDirectory, ...rest } = step;
  if (typeof rest.task === "string") {
    const inputs = isObject(rest.inputs) ? rest.inputs : {};
    rest.inputs = { ...inputs, ...(inputs.workingDirectory === undefined ? { workingDirectory } : {}) };
    if (rest.task !== "PythonScript@0")
      ctx.report(
        "PG-ADO-STEP-WORKDIR",
        `${path}/workingDirectory`,
        `a task step has no workingDirectory key: written as the input workingDirectory of ${rest.task}, which a task that names it differently ignores`,
      );
  } else
    ctx.report(
      "PG-ADO-STEP-WORKDIR",
      `${path}/workingDirectory`,
      `a ${OTHER_KINDS.find((k) => k in rest) ?? "native"} step has no working directory: it is not written`,
    );
  return rest;
}
