/**
 * A Cloud Build step → a neutral step: shell commands (entrypoint + args, `bash -c` args, script,
 * or pipeglot's wrapper) become `run`; everything else is kept as a native step.
 */
import { escapeLiteral, formatTemplate, parseTemplate, references, type ConditionIR, type Segment, type Shell, type StepIR } from "@pipeglot/schema";
import { parseLenientDuration } from "../native/build.js";
import { BUILTIN_SUBSTITUTIONS, parseSubstitutions } from "../native/substitution.js";
import { parseHeader, WRAPPER_ARG0, type WrapperSpec } from "../wrapper.js";
import { headerConditions } from "./conditions.js";
import { strList, type Json } from "./parse.js";
import { isObject } from "@pipeglot/core";

export interface TextCtx {
  /** Substitution keys used (user ones), to declare variables. */
  usedKeys: Set<string>;
  /** Built-in keys kept as text. */
  builtins: Set<string>;
  dynamic: boolean;
  dynamicSeen: boolean;
  /** A pipeglot build started by a previous one: `${_PIPEGLOT_BRANCH}` is the branch that build passed on. */
  passedBranch?: boolean;
}

/**
 * The env entries compile writes so that a script reads a variable (`_X=${_X}`), the branch
 * (`PIPEGLOT_BRANCH=${BRANCH_NAME}${TAG_NAME}`) or a matrix value (`PG_MATRIX_X=<value>`) as data
 * (compile/render.ts): each name with what a script's `${NAME}` stands for. A matrix value comes
 * back as its text: the import has one job per cell, so the cell's value is literal there.
 */
function dataEnvNames(env: readonly string[], t: TextCtx): Map<string, Segment[]> {
  const out = new Map<string, Segment[]>();
  for (const e of env) {
    const m = /^(_[A-Z0-9_]+)=\$\{(_[A-Z0-9_]+)\}$/.exec(e);
    if (m && m[1] === m[2] && !BUILTIN_SUBSTITUTIONS.has(m[1]!)) out.set(m[1]!, [{ kind: "var", name: m[1]!.slice(1) }]);
    else if (e === "PIPEGLOT_BRANCH=${BRANCH_NAME}${TAG_NAME}" || (t.passedBranch && e === "PIPEGLOT_BRANCH=${_PIPEGLOT_BRANCH}"))
      out.set("PIPEGLOT_BRANCH", [{ kind: "git", name: "branch" }]);
    else if (/^PG_MATRIX_[A-Za-z_][A-Za-z0-9_]*=/.test(e)) {
      const i = e.indexOf("=");
      out.set(e.slice(0, i), parseTemplate(neutralText(e.slice(i + 1), t)).segments);
    }
  }
  return out;
}

/** Literal script text → segments: `${NAME}` of a data env name becomes what it stands for. */
function shellRefs(value: string, names: ReadonlyMap<string, Segment[]>, t: TextCtx): Segment[] {
  if (!names.size) return [{ kind: "text", value }];
  const out: Segment[] = [];
  let last = 0;
  for (const m of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const segs = names.get(m[1]!);
    if (!segs) continue;
    out.push({ kind: "text", value: value.slice(last, m.index) });
    for (const s of segs) if (s.kind === "var") t.usedKeys.add("_" + s.name);
    out.push(...segs);
    last = m.index! + m[0].length;
  }
  out.push({ kind: "text", value: value.slice(last) });
  return out;
}

/** Cloud Build text (before substitution) → neutral text; `envNames`: data env names the script reads (dataEnvNames). */
export function neutralText(text: string, t: TextCtx, envNames: ReadonlyMap<string, Segment[]> = new Map()): string {
  const parts = parseSubstitutions(text);
  const segs: Segment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.kind === "text") {
      if (t.dynamic && /\$\{_[A-Z0-9_]+[^A-Z0-9_}]/.test(p.value)) t.dynamicSeen = true;
      segs.push(...shellRefs(p.value, envNames, t));
      continue;
    }
    const k = p.key;
    if (t.passedBranch && k === "_PIPEGLOT_BRANCH") segs.push({ kind: "git", name: "branch" });
    else if (k.startsWith("_") && !BUILTIN_SUBSTITUTIONS.has(k)) {
      t.usedKeys.add(k);
      segs.push({ kind: "var", name: k.slice(1) });
    } else if (k === "COMMIT_SHA" || k === "REVISION_ID") segs.push({ kind: "git", name: "commit" });
    else if (k === "BRANCH_NAME") {
      const nx = parts[i + 1];
      if (nx && nx.kind === "key" && nx.key === "TAG_NAME") i++;
      segs.push({ kind: "git", name: "branch" });
    } else {
      t.builtins.add(k);
      segs.push({ kind: "text", value: p.braced ? `\${${k}}` : `$${k}` });
    }
  }
  // Merge adjacent text segments so that the result is canonical.
  const merged: Segment[] = [];
  for (const s of segs) {
    if (s.kind === "text" && s.value === "") continue;
    const last = merged[merged.length - 1];
    if (s.kind === "text" && last?.kind === "text") last.value += s.value;
    else merged.push({ ...s });
  }
  return formatTemplate(merged);
}

export interface ImportedStep {
  step: StepIR;
  /** Set by pipeglot's wrapper: settings of the job and the stage. */
  jobRetries?: number;
  jobCondition?: ConditionIR;
  stageCondition?: ConditionIR;
  /** The image (step `name`). */
  image: string;
  native: boolean;
  /** Fields of a shell step with no neutral equivalent (volumes, allowExitCodes, ...). */
  leftover?: Json;
}

const SHELLS: Record<string, Shell> = {
  bash: "bash",
  "/bin/bash": "bash",
  "/usr/bin/bash": "bash",
  sh: "sh",
  "/bin/sh": "sh",
  python: "python",
  python3: "python",
  pwsh: "pwsh",
};

function shebangShell(script: string): Shell {
  const first = script.split("\n", 1)[0]!;
  if (!first.startsWith("#!")) return "bash";
  if (/python/.test(first)) return "python";
  if (/pwsh/.test(first)) return "pwsh";
  if (/\bbash\b/.test(first)) return "bash";
  if (/\bsh\b/.test(first)) return "sh";
  return "bash";
}

/** `id` and `name` are decided by the caller. */
export function importStep(raw: Json, t: TextCtx): ImportedStep {
  const image = String(raw.name ?? "");
  const args = strList(raw.args);
  const entry = typeof raw.entrypoint === "string" ? raw.entrypoint : undefined;
  const step: StepIR = { id: "", shell: "bash", env: {}, continueOnError: false, retries: 0 };
  const out: ImportedStep = { step, image, native: false };
  const consumed = new Set(["id", "name", "waitFor"]);
  let header: WrapperSpec | undefined;
  const dataEnv = dataEnvNames(strList(raw.env), t);
  if (entry && SHELLS[entry] === "bash" && args.length === 4 && args[0] === "-c" && args[2] === WRAPPER_ARG0 && (header = parseHeader(neutralRaw(args[1]!)))) {
    step.run = neutralText(args[3]!, t, dataEnv);
    step.shell = header.shell ?? "bash";
    consumed.add("entrypoint").add("args");
  } else if (entry && SHELLS[entry] && args.length === 2 && args[0] === (SHELLS[entry] === "pwsh" ? "-Command" : "-c")) {
    step.run = neutralText(args[1]!, t, dataEnv);
    step.shell = SHELLS[entry]!;
    consumed.add("entrypoint").add("args");
  } else if (!entry && args.length === 3 && (args[0] === "bash" || args[0] === "sh") && args[1] === "-c") {
    step.run = neutralText(args[2]!, t, dataEnv);
    step.shell = args[0] as Shell;
    consumed.add("args");
  } else if (typeof raw.script === "string" && !entry && !raw.args) {
    step.run = escapeLiteral(raw.script);
    step.shell = shebangShell(raw.script);
    consumed.add("script");
  } else {
    out.native = true;
  }
  if (out.native) return nativeStep(raw, image);
  if (header) {
    if (header.retries) step.retries = header.retries;
    if (header.jobRetries) out.jobRetries = header.jobRetries;
    headerConditions(header, step, out);
  }
  const runtimeSecrets = new Set<string>();
  for (const v of Object.values(header?.env ?? {})) for (const s of references(v).secrets) runtimeSecrets.add(s);
  for (const e of strList(raw.env)) {
    const i = e.indexOf("=");
    const k = i < 0 ? e : e.slice(0, i);
    if (dataEnv.has(k)) continue;
    step.env[k] = neutralText(i < 0 ? "" : e.slice(i + 1), t);
  }
  for (const s of strList(raw.secretEnv)) if (!runtimeSecrets.has(s)) step.env[s] = `\${{ secrets.${s} }}`;
  for (const [k, v] of Object.entries(header?.env ?? {})) step.env[k] = v;
  consumed.add("env").add("secretEnv");
  if (typeof raw.dir === "string") {
    step.workingDirectory = neutralText(raw.dir, t);
    consumed.add("dir");
  }
  const to = parseLenientDuration(raw.timeout);
  if (to !== undefined) {
    step.timeoutSeconds = Math.round(to);
    consumed.add("timeout");
  }
  if (typeof raw.allowFailure === "boolean") {
    step.continueOnError = raw.allowFailure;
    consumed.add("allowFailure");
  }
  const rest: Json = {};
  for (const [k, v] of Object.entries(raw)) if (!consumed.has(k)) rest[k] = structuredClone(v);
  if (Object.keys(rest).length) out.leftover = rest;
  return out;
}

/** The whole step as a native step (everything but id and waitFor). */
export function nativeStep(raw: Json, image: string): ImportedStep {
  const native: Json = {};
  for (const [k, v] of Object.entries(raw)) if (k !== "id" && k !== "waitFor") native[k] = structuredClone(v);
  return { step: { id: "", shell: "bash", env: {}, continueOnError: false, retries: 0, native: { gcp: native } }, image, native: true };
}

/** Undo only the `$$` escape (for reading the wrapper header). */
function neutralRaw(text: string): string {
  return parseSubstitutions(text)
    .map((p) => (p.kind === "text" ? p.value : p.braced ? `\${${p.key}}` : `$${p.key}`))
    .join("");
}
export { isObject };
