/**
 * What each platform hands to bash, modelled from the vendors' documentation (not from the
 * compilers): the shell fragments of a compiled pipeline, each with the environment the platform
 * would give it. Used by hostile.property.test.ts, which runs every fragment with real bash.
 *
 * - AWS CodeBuild: every `phases.*.commands` / `finally` line of a buildspec, with the buildspec's
 *   `env.variables` and the CodePipeline action's EnvironmentVariables (`#{variables.X}` and
 *   `#{SourceVariables.*}` resolved by CodePipeline before the build starts).
 * - Azure Pipelines: every `bash:` / `script:` step, after the agent's macro pass (`$(name)` of an
 *   existing variable replaced once, not recursively), with the step `env:` (macros expanded) and the
 *   pipeline and job variables as environment variables (names upper-cased, `.` → `_`).
 * - Cloud Build: every step whose entrypoint is bash or sh, argv after the substitution pass, with
 *   the step `env` (substituted) — the substitution model is Google's documented one.
 * - OCI DevOps: every build_spec step command with `env.variables`, the build pipeline parameters
 *   and the trigger's variables; every deploy command spec step command with the deploy pipeline
 *   parameters.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Buffer } from "node:buffer";
import { parse } from "yaml";
import type { OutputFile } from "@pipeglot/core";
import { applySubstitutions } from "@pipeglot/gcp";

export interface Fragment {
  /** Where it came from, for failure messages. */
  where: string;
  /** The program and its arguments (argv[0] is bash or sh). */
  argv: string[];
  env: Record<string, string>;
  /** Working directory relative to the checkout. */
  dir?: string;
}

export interface Platform {
  branch: string;
  commit: string;
  /** Variable values of the run (defaults; nobody overrode them). */
  variables: Record<string, string>;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "");

export function awsFragments(files: OutputFile[], p: Platform): Fragment[] {
  const pipeline = obj(JSON.parse(files.find((f) => f.path === "pipeline.json")!.content)).pipeline;
  const actionEnv = new Map<string, Record<string, string>>();
  for (const st of list(obj(pipeline).stages))
    for (const a of list(obj(st).actions)) {
      const c = obj(obj(a).configuration);
      if (typeof c.ProjectName !== "string") continue;
      const env: Record<string, string> = {};
      for (const e of list(c.EnvironmentVariables ? JSON.parse(String(c.EnvironmentVariables)) : []))
        env[str(obj(e).name)] = str(obj(e).value)
          .replace(/#\{variables\.([A-Za-z0-9_]+)\}/g, (_, n: string) => p.variables[n] ?? "")
          .replace(/#\{SourceVariables\.BranchName\}/g, () => p.branch)
          .replace(/#\{SourceVariables\.CommitId\}/g, () => p.commit);
      actionEnv.set(c.ProjectName, env);
    }
  const out: Fragment[] = [];
  for (const f of files.filter((f) => f.kind === "codebuild.Buildspec")) {
    const project = f.path.replace(/^codebuild\//, "").replace(/\.buildspec\.yml$/, "");
    const spec = obj(parse(f.content));
    const env = {
      ...Object.fromEntries(Object.entries(obj(obj(spec.env).variables)).map(([k, v]) => [k, str(v)])),
      ...actionEnv.get(project),
      CODEBUILD_BUILD_SUCCEEDING: "1",
    };
    for (const [phase, body] of Object.entries(obj(spec.phases)))
      for (const key of ["commands", "finally"])
        list(obj(body)[key]).forEach((c, i) => out.push({ where: `${f.path} phases.${phase}.${key}[${i}]`, argv: ["bash", "-c", str(c)], env }));
  }
  return out;
}

/** The agent's macro pass (VarUtil.ExpandValues): `$(key)` of an existing variable, once, left to right. */
export function expandMacros(s: string, vars: ReadonlyMap<string, string>): string {
  let out = "";
  let i = 0;
  for (;;) {
    const p = s.indexOf("$(", i);
    const q = p < 0 ? -1 : s.indexOf(")", p + 2);
    if (p < 0 || q < 0) return out + s.slice(i);
    const v = vars.get(
      s
        .slice(p + 2, q)
        .trim()
        .toLowerCase(),
    );
    if (v === undefined) {
      out += s.slice(i, p + 1);
      i = p + 1;
    } else {
      out += s.slice(i, p) + v;
      i = q + 1;
    }
  }
}

/** Azure's template pass for what pipeglot writes: `${{ parameters.X }}` and the literal `${{ '${{' }}`. */
function templates(s: string, params: ReadonlyMap<string, string>): string {
  return s
    .replace(/\$\{\{ '\$\{\{' \}\}/g, "\u0000")
    .replace(/\$\{\{ parameters\.([A-Za-z0-9_]+) \}\}/g, (_, n: string) => params.get(n) ?? "")
    .replaceAll("\u0000", "${{");
}

function azureSteps(node: unknown, path: string, visit: (step: Json, job: Json, where: string) => void, job: Json = {}): void {
  if (Array.isArray(node)) node.forEach((n, i) => azureSteps(n, `${path}[${i}]`, visit, job));
  else if (node && typeof node === "object") {
    const o = node as Json;
    const j = "job" in o || "deployment" in o ? o : job;
    if (Array.isArray(o.steps)) o.steps.forEach((s, i) => visit(obj(s), j, `${path}.steps[${i}]`));
    for (const [k, v] of Object.entries(o)) if (k !== "steps") azureSteps(v, `${path}.${k}`, visit, j);
  }
}

export function azureFragments(files: OutputFile[], p: Platform): Fragment[] {
  const doc = obj(parse(files.find((f) => f.kind === "azure.PipelineYaml")!.content));
  const params = new Map(list(doc.parameters).map((x) => [str(obj(x).name), str(obj(x).default)]));
  const root = new Map<string, string>([
    ["build.sourcebranchname", p.branch],
    ["build.sourcebranch", `refs/heads/${p.branch}`],
    ["build.sourceversion", p.commit],
  ]);
  for (const v of list(doc.variables)) if (typeof obj(v).name === "string") root.set(str(obj(v).name).toLowerCase(), templates(str(obj(v).value), params));
  const out: Fragment[] = [];
  azureSteps(doc.stages, "stages", (step, job, where) => {
    const script = step.bash ?? step.script;
    if (typeof script !== "string") return;
    // A matrix job runs once per cell; the cell's values are job variables there.
    const cells = Object.entries(obj(obj(job.strategy).matrix));
    for (const [cell, values] of cells.length ? cells : [["", {}] as const]) {
      const vars = new Map(root);
      for (const [k, v] of Object.entries({ ...obj(job.variables), ...obj(values) })) vars.set(k.toLowerCase(), templates(str(v), params));
      const env: Record<string, string> = {};
      for (const [k, v] of vars) if (!k.includes(".")) env[k.toUpperCase()] = v;
      for (const [k, v] of Object.entries(obj(step.env))) env[k] = expandMacros(templates(str(v), params), vars);
      const dir = typeof step.workingDirectory === "string" ? expandMacros(templates(step.workingDirectory, params), vars) : undefined;
      out.push({
        where: `azure-pipelines.yml ${where}${cell ? ` (matrix ${cell})` : ""}`,
        argv: ["bash", "-c", expandMacros(templates(script, params), vars)],
        env,
        dir,
      });
    }
  });
  return out;
}

export function gcpFragments(files: OutputFile[], p: Platform, workspace: string): Fragment[] {
  const out: Fragment[] = [];
  // The artifact tarballs pass through /tmp; this machine's /tmp is shared with whatever else runs
  // (another run of this test), so each case gets a /tmp of its own.
  const tmp = join(workspace, "tmp");
  mkdirSync(tmp, { recursive: true });
  // Part 0 (cloudbuild.yaml) runs first; the later parts' builds fetch what it uploaded.
  const builds = files
    .filter((f) => f.kind === "cloudbuild.BuildConfig")
    .sort((a, b) => Number(b.path === "cloudbuild.yaml") - Number(a.path === "cloudbuild.yaml"));
  for (const f of builds) {
    const build = obj(parse(f.content));
    const subs: Record<string, string> = {
      BRANCH_NAME: p.branch,
      TAG_NAME: "",
      COMMIT_SHA: p.commit,
      SHORT_SHA: p.commit.slice(0, 7),
      PROJECT_ID: "acme",
      BUILD_ID: "b1",
      REPO_NAME: "app",
      REVISION_ID: p.commit,
    };
    for (const [k, v] of Object.entries(obj(build.substitutions))) subs[k] = str(v);
    list(build.steps).forEach((raw, i) => {
      const s = obj(raw);
      const entry = str(s.entrypoint);
      if (entry !== "bash" && entry !== "sh") return;
      const env: Record<string, string> = {};
      for (const e of list(s.env).map(str)) {
        const at = e.indexOf("=");
        env[e.slice(0, at)] = applySubstitutions(e.slice(at + 1), subs);
      }
      const args = list(s.args).map((a) => applySubstitutions(str(a), subs).replaceAll("/tmp/", `${tmp}/`));
      out.push({
        where: `${f.path} steps[${i}] (${str(s.id)})`,
        argv: [entry, ...args],
        env,
        dir: typeof s.dir === "string" ? applySubstitutions(s.dir, subs) : undefined,
      });
    });
  }
  return out;
}

export function ociFragments(files: OutputFile[], p: Platform, workspace: string): Fragment[] {
  const params = (file: string, key: string) => {
    const f = files.find((x) => x.path === file);
    const items = f ? list(obj(obj(JSON.parse(f.content))[key]).items) : [];
    return Object.fromEntries(items.map((i) => [str(obj(i).name), str(obj(i).defaultValue)]));
  };
  const trigger = {
    OCI_TRIGGER_SOURCE_BRANCH_NAME: p.branch,
    OCI_TRIGGER_COMMIT_HASH: p.commit,
    OCI_BUILD_RUN_ID: "run1",
    OCI_WORKSPACE_DIR: workspace,
    OCI_PRIMARY_SOURCE_DIR: ".",
    PIPEGLOT_BRANCH: p.branch,
    PIPEGLOT_COMMIT: p.commit,
    PIPEGLOT_RUN: "run1",
  };
  const buildParams = params("build_pipeline.json", "buildPipelineParameters");
  const deployParams = params("deploy_pipeline.json", "deployPipelineParameters");
  const out: Fragment[] = [];
  const specSteps = (spec: Json, where: string, env: Record<string, string>) => {
    const vars = Object.fromEntries(Object.entries(obj(obj(spec.env).variables)).map(([k, v]) => [k, str(v)]));
    list(spec.steps).forEach((s, i) => {
      const c = obj(s).command;
      if (typeof c === "string") out.push({ where: `${where} steps[${i}]`, argv: ["bash", "-c", c], env: { ...env, ...vars } });
    });
  };
  for (const f of files.filter((f) => f.kind === "oci.BuildSpec")) specSteps(obj(parse(f.content)), f.path, { ...buildParams, ...trigger });
  for (const f of files.filter((f) => f.path.startsWith("deploy_artifacts/command-spec"))) {
    const src = obj(obj(JSON.parse(f.content)).deployArtifactSource);
    specSteps(obj(parse(Buffer.from(str(src.base64EncodedContent), "base64").toString("utf8"))), f.path, { ...deployParams, ...trigger });
  }
  return out;
}
