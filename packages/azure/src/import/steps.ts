/** Steps: script/bash/pwsh/powershell, well-known tasks, artifacts, and native steps. */
import type { ArtifactIR, Shell, StepIR } from "@pipeglot/schema";
import { neutralName, sanitizeId } from "../names.js";
import { STAGING } from "../compile/jobs.js";
import { importCondition } from "./conditions.js";
import { report, mark, type ImportCtx } from "./context.js";
import { toStr } from "./template/expr.js";
import { importScript, macroPieces, neutralText } from "./text.js";
import { isObject } from "@pipeglot/core";

export interface JobParts {
  steps: StepIR[];
  produces: ArtifactIR[];
  consumes: string[];
  approval?: { task: Record<string, unknown> };
}

const COMMON = new Set(["displayName", "name", "env", "condition", "continueOnError", "timeoutInMinutes", "retryCountOnTaskFailure", "workingDirectory", "enabled", "target"]);

function value(ctx: ImportCtx, v: unknown, kept: string[]): string {
  return neutralText(macroPieces(toStr(v)), ctx.scope, kept);
}

function taskRun(task: string, inputs: Record<string, unknown>): { run: string; shell: Shell; workingDirectory?: string } | undefined {
  const name = task.split("@")[0]!.toLowerCase();
  const s = (k: string) => (inputs[k] === undefined ? undefined : toStr(inputs[k]));
  switch (name) {
    case "bash":
      if ((s("targetType") ?? "filePath").toLowerCase() === "inline") return { run: s("script") ?? "", shell: "bash", ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}) };
      return { run: ["bash", s("filePath") ?? "", s("arguments") ?? ""].filter(Boolean).join(" "), shell: "bash", ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}) };
    case "cmdline":
      return { run: s("script") ?? "", shell: "bash", ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}) };
    case "powershell":
      if ((s("targetType") ?? "filePath").toLowerCase() === "inline") return { run: s("script") ?? "", shell: "pwsh", ...(s("workingDirectory") ? { workingDirectory: s("workingDirectory")! } : {}) };
      return { run: ["&", s("filePath") ?? "", s("arguments") ?? ""].filter(Boolean).join(" "), shell: "pwsh" };
    case "pythonscript":
      if ((s("scriptSource") ?? "filePath").toLowerCase() === "inline") return { run: s("script") ?? "", shell: "python" };
      return undefined;
    case "npm": {
      const cmd = (s("command") ?? "install").toLowerCase();
      const run = cmd === "custom" ? `npm ${s("customCommand") ?? ""}`.trim() : `npm ${cmd}${s("arguments") ? " " + s("arguments") : ""}`;
      return { run, shell: "bash", ...(s("workingDir") ? { workingDirectory: s("workingDir")! } : {}) };
    }
    case "maven": {
      const pom = s("mavenPomFile") ?? s("mavenPOMFile") ?? "pom.xml";
      return { run: ["mvn", "-B", "-f", pom, s("goals") ?? "package", s("options") ?? ""].filter(Boolean).join(" "), shell: "bash" };
    }
    case "docker": {
      const cmd = (s("command") ?? "buildAndPush").toLowerCase();
      const repo = s("repository") ?? "image";
      const tags = (s("tags") ?? "$(Build.BuildId)").split(/[\n,]/).map((t) => t.trim()).filter(Boolean);
      const file = s("Dockerfile") ?? s("dockerfile") ?? "Dockerfile";
      const build = `docker build -f ${file} ${tags.map((t) => `-t ${repo}:${t}`).join(" ")} ${s("buildContext") ?? "."}`.replace(/\s+/g, " ").trim();
      const push = tags.map((t) => `docker push ${repo}:${t}`).join("\n");
      if (cmd === "build") return { run: build, shell: "bash" };
      if (cmd === "push") return { run: push, shell: "bash" };
      if (cmd === "buildandpush") return { run: `${build}\n${push}`, shell: "bash" };
      return undefined;
    }
  }
  return undefined;
}

/** Import a job's steps. */
export function importSteps(ctx: ImportCtx, raw: unknown[], ptr: string): JobParts {
  const out: JobParts = { steps: [], produces: [], consumes: [] };
  const used = new Set<string>();
  const pendingCopies = new Map<string, string[]>();
  for (let i = 0; i < raw.length; i++) {
    const st = raw[i];
    if (!isObject(st)) continue;
    const kept: string[] = [];
    // ---- artifact and checkout plumbing ----
    if (typeof st.checkout === "string" && Object.keys(st).every((k) => k === "checkout") && st.checkout === "self") continue;
    if (st.download === "none") continue;
    if (typeof st.download === "string" && typeof st.artifact === "string") {
      out.consumes.push(st.artifact);
      continue;
    }
    if (typeof st.publish === "string" && typeof st.artifact === "string") {
      const copied = pendingCopies.get(st.artifact);
      const dir = `${STAGING}/${st.artifact}`;
      out.produces.push({ name: st.artifact, paths: copied && st.publish === dir ? copied : [st.publish] });
      pendingCopies.delete(st.artifact);
      continue;
    }
    if (typeof st.task === "string") {
      const tname = st.task.split("@")[0]!.toLowerCase();
      const inputs = isObject(st.inputs) ? st.inputs : {};
      if (tname === "manualvalidation") {
        out.approval = { task: st };
        continue;
      }
      if (tname === "copyfiles" && typeof inputs.TargetFolder === "string" && inputs.TargetFolder.startsWith(`${STAGING}/`)) {
        const name = inputs.TargetFolder.slice(STAGING.length + 1);
        const next = raw[i + 1];
        if (isObject(next) && next.publish === inputs.TargetFolder && next.artifact === name) {
          pendingCopies.set(name, toStr(inputs.Contents ?? "**").split("\n").map((l) => l.trim()).filter(Boolean));
          continue;
        }
      }
      if (tname === "downloadpipelineartifact" || tname === "downloadbuildartifacts") {
        const a = inputs.artifactName ?? inputs.artifact;
        if (typeof a === "string") {
          out.consumes.push(a);
          continue;
        }
      }
      if (tname === "publishpipelineartifact" || tname === "publishbuildartifacts") {
        const a = inputs.artifactName ?? inputs.artifact ?? inputs.ArtifactName ?? "drop";
        const p = inputs.targetPath ?? inputs.path ?? inputs.PathtoPublish ?? "$(Build.ArtifactStagingDirectory)";
        out.produces.push({ name: toStr(a), paths: [toStr(p)] });
        continue;
      }
    }
    // ---- command steps ----
    const step: StepIR = { id: "", shell: "bash", env: {}, continueOnError: false, retries: 0 };
    const sp = `${ptr}/${out.steps.length}`;
    let extra: string[] = [];
    if (typeof st.bash === "string") step.run = importScript(st.bash, ctx.scope, kept);
    else if (typeof st.script === "string") step.run = importScript(st.script, ctx.scope, kept);
    else if (typeof st.pwsh === "string") {
      step.run = importScript(st.pwsh, ctx.scope, kept);
      step.shell = "pwsh";
    } else if (typeof st.powershell === "string") {
      step.run = importScript(st.powershell, ctx.scope, kept);
      step.shell = "pwsh";
      report(ctx, "PG-ADO-IMPORT-LOSSY", "powershell: (Windows PowerShell) imported as pwsh", st, sp);
    } else if (typeof st.task === "string") {
      const inputs = isObject(st.inputs) ? st.inputs : {};
      const t = taskRun(st.task, inputs);
      if (t) {
        step.run = t.shell === "bash" && !/^(bash|cmdline)@/i.test(st.task) ? value(ctx, t.run, kept) : importScript(t.run, ctx.scope, kept);
        step.shell = t.shell;
        if (t.workingDirectory) step.workingDirectory = value(ctx, t.workingDirectory, kept);
        if (!/^(bash|cmdline|powershell|pythonscript)@/i.test(st.task)) report(ctx, "PG-ADO-IMPORT-LOSSY", `task ${st.task} imported as the command ${JSON.stringify(step.run)}; its other inputs (service connections, authentication) are not carried over`, st, sp);
      } else {
        const { displayName: _d, name: _n, env: _e, condition: _c, continueOnError: _o, timeoutInMinutes: _t, retryCountOnTaskFailure: _r, ...rest } = st;
        void _d, _n, _e, _c, _o, _t, _r;
        step.native = { azure: rest };
        report(ctx, "PG-ADO-IMPORT-TASK-NATIVE", `task ${st.task} has no neutral equivalent; kept as native.azure`, st, sp);
      }
    } else {
      const { displayName: _d, name: _n, env: _e, condition: _c, continueOnError: _o, timeoutInMinutes: _t, retryCountOnTaskFailure: _r, ...rest } = st;
      void _d, _n, _e, _c, _o, _t, _r;
      step.native = { azure: rest };
      report(ctx, "PG-ADO-IMPORT-STEP-NATIVE", `step ${Object.keys(rest)[0] ?? "?"}: kept as native.azure`, st, sp);
    }
    if (step.run !== undefined) extra = Object.keys(st).filter((k) => !COMMON.has(k) && !["bash", "script", "pwsh", "powershell", "task", "inputs"].includes(k));
    if (extra.length) report(ctx, "PG-ADO-IMPORT-LOSSY", `step settings ${extra.join(", ")} dropped`, st, sp);
    // ---- name ----
    const n = typeof st.name === "string" ? st.name : undefined;
    const d = typeof st.displayName === "string" ? st.displayName : undefined;
    let name: string | undefined;
    if (d !== undefined && n !== undefined && neutralName(d) === d && sanitizeId(d).toLowerCase() === n.toLowerCase().replace(/_\d+$/, "").replace(/_\d+$/, "") ) name = d;
    else if (d !== undefined && n !== undefined && neutralName(d) === d && n.toLowerCase().startsWith(sanitizeId(d).toLowerCase())) name = d;
    else if (n !== undefined) name = neutralName(n);
    else if (d !== undefined) name = neutralName(d);
    if (name !== undefined) {
      let u = name;
      for (let k = 2; used.has(u.toLowerCase()); k++) u = `${name}-${k}`;
      used.add(u.toLowerCase());
      step.name = u;
      step.id = u;
    } else step.id = `step-${out.steps.length + 1}`;
    if (st.workingDirectory !== undefined && step.workingDirectory === undefined) step.workingDirectory = value(ctx, st.workingDirectory, kept);
    if (isObject(st.env)) for (const [k, v] of Object.entries(st.env)) step.env[k] = value(ctx, v, kept);
    if (typeof st.condition === "string") {
      const c = importCondition(st.condition);
      if (c) step.condition = c;
      else {
        step.native = { azure: { ...(step.native?.azure ?? {}), condition: st.condition } };
        report(ctx, "PG-ADO-IMPORT-CONDITION", `condition ${JSON.stringify(st.condition)} kept as native.azure.condition`, st, sp);
      }
    }
    if (st.continueOnError === true || st.continueOnError === "true") step.continueOnError = true;
    if (st.timeoutInMinutes !== undefined && Number(st.timeoutInMinutes) > 0) step.timeoutSeconds = Number(st.timeoutInMinutes) * 60;
    if (st.retryCountOnTaskFailure !== undefined) step.retries = Math.min(10, Number(st.retryCountOnTaskFailure) || 0);
    if (st.enabled === false || st.enabled === "false") {
      report(ctx, "PG-ADO-IMPORT-LOSSY", "a disabled step (enabled: false) was left out", st, sp);
      continue;
    }
    if (kept.length) report(ctx, "PG-ADO-IMPORT-MACRO", `runtime syntax ${[...new Set(kept)].join(", ")} kept as literal text`, st, sp);
    mark(ctx, sp, st);
    out.steps.push(step);
  }
  for (const [name, paths] of pendingCopies) out.produces.push({ name, paths });
  return out;
}
