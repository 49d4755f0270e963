/**
 * A build/command spec's steps → neutral steps: pipeglot's wrapper read back (env, working
 * directory, retries, continue-on-error, image, shell, guards), onFailure commands as a following
 * failure step, steps of another type kept as native.oci. pipeglot's own generated steps (artifact
 * pack/unpack, exports) are no steps: what they say is returned for the job's artifacts.
 */
import { isObject, NameRegistry } from "@pipeglot/core";
import type { StepIR } from "@pipeglot/schema";
import { GENERATED_STEP } from "../conventions.js";
import { SPEC_STEP_KEYS } from "../native/build-spec.js";
import { neutralRule } from "../names.js";
import { isWord, patternOf, tokenize, type WordSeg } from "../shell.js";
import { isShell, neutralText, neutralWord, parseWrapped, referencedNames, type RefMap, type WrappedStep } from "./commands.js";
import { num, str, type At, type Importer, type JobDraft, type Obj } from "./context.js";
import type { Item } from "./files.js";

/** What the steps say besides themselves. */
export interface StepsRead {
  /** Images of wrapped steps (the first is the job's). */
  images: string[];
  /** Names the steps reference (a vault variable nobody references is job env). */
  referenced: Set<string>;
  /** Step names taken so far (later generated steps take theirs from it too). */
  names: NameRegistry;
  /** Artifacts pipeglot's pack steps archive (name → paths), and the ones its unpack steps read. */
  packs: Map<string, string[]>;
  unpacks: Set<string>;
}

interface StepsCx {
  imp: Importer;
  d: JobDraft;
  spec: Item;
  refs: RefMap;
  ours: boolean;
  read: StepsRead;
}

export function importSteps(imp: Importer, d: JobDraft, spec: Item, refs: RefMap, ours: boolean): StepsRead {
  const read: StepsRead = { images: [], referenced: new Set(), names: new NameRegistry(neutralRule), packs: new Map(), unpacks: new Set() };
  const cx: StepsCx = { imp, d, spec, refs, ours, read };
  const rawSteps = (Array.isArray(spec.value.steps) ? spec.value.steps : []) as unknown[];
  let index = 0;
  rawSteps.forEach((raw, n) => {
    if (isObject(raw)) index = importStep(cx, raw, n, index);
  });
  return read;
}

/** One native step (index: of the next neutral step) → its steps; returns the index after them. */
function importStep(cx: StepsCx, raw: Obj, n: number, index: number): number {
  const { imp, d, spec, refs, read } = cx;
  const job = d.job;
  const at = (ptr: string): At => ({ item: spec, ptr });
  const stepName = str(raw.name);
  const command = typeof raw.command === "string" ? raw.command : raw.command === undefined || raw.command === null ? "" : String(raw.command);
  if (stepName?.startsWith(GENERATED_STEP) && cx.ours) {
    if (stepName.startsWith("pipeglot-pack-")) read.packs.set(stepName.slice("pipeglot-pack-".length), packPaths(command));
    else if (stepName.startsWith("pipeglot-unpack-")) read.unpacks.add(stepName.slice("pipeglot-unpack-".length));
    // EXPORT_STEP only sets values for the deploy pipeline.
    return index;
  }
  if (raw.type !== undefined && raw.type !== "Command") {
    job.steps.push(foreignTypeStep(imp, raw, read.names, at(`/steps/${n}`), index));
    d.stepAt.push({ item: spec, ptr: `/steps/${n}` });
    d.clauses.push([]);
    return index + 1;
  }
  for (const k of Object.keys(raw))
    if (!(SPEC_STEP_KEYS as readonly string[]).includes(k))
      imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/steps/${n}/${k}`), `step key "${k}" has no neutral equivalent; ignored`);
  if ("runAs" in raw) imp.report("PG-OCI-IMPORT-UNSUPPORTED-KEY", at(`/steps/${n}/runAs`), `step key "runAs" has no neutral equivalent; ignored`);
  const w = parseWrapped(command);
  const text = w ? w.text : command;
  for (const r of referencedNames(text)) read.referenced.add(r);
  if (w) for (const [, segs] of w.env) for (const x of segs) if (x.kind === "env") read.referenced.add(x.name);
  const step = stepFrom(w, text, refs);
  const id = stepName !== undefined ? read.names.take(stepName) : undefined;
  if (stepName !== undefined && id !== stepName) imp.report("PG-OCI-IMPORT-NAME", at(`/steps/${n}/name`), `step name "${stepName}" becomes "${id}"`);
  step.id = id ?? `step-${index + 1}`;
  if (id !== undefined) step.name = id;
  const st = num(raw.timeoutInSeconds);
  if (st !== undefined) step.timeoutSeconds = st;
  if (w?.image) read.images.push(neutralWord(w.image, refs));
  if (w?.shell && isShell(w.shell)) step.shell = w.shell;
  if (!w && typeof raw.shell === "string" && isShell(raw.shell)) step.shell = raw.shell;
  d.stepAt.push({ item: spec, ptr: `/steps/${n}` });
  job.steps.push(step);
  d.clauses.push(w?.clauses ?? []);
  index++;
  if (Array.isArray(raw.onFailure) && raw.onFailure.length) {
    onFailureStep(cx, raw, n, stepName ?? index, id ?? `step-${index}`);
    index++;
  }
  return index;
}

/** A step's onFailure commands → a following step with condition: failure. */
function onFailureStep(cx: StepsCx, raw: Obj, n: number, label: string | number, base: string): void {
  const { d, spec } = cx;
  const cmds = (raw.onFailure as unknown[])
    .filter(isObject)
    .map((f) => (typeof f.command === "string" ? f.command : ""))
    .filter(Boolean);
  cx.imp.report(
    "PG-OCI-IMPORT-ON-FAILURE",
    { item: spec, ptr: `/steps/${n}/onFailure` },
    `the onFailure commands of step "${label}" become a following step with condition: failure (it runs when any earlier step failed)`,
  );
  const fid = cx.read.names.take(`${base}-on-failure`);
  d.job.steps.push({
    id: fid,
    name: fid,
    run: neutralText(cmds.join("\n"), cx.refs),
    shell: "bash",
    env: {},
    continueOnError: false,
    retries: 0,
    condition: { status: "failure", branches: [], variables: {} },
  });
  d.stepAt.push({ item: spec, ptr: `/steps/${n}/onFailure` });
  d.clauses.push([]);
}

function stepFrom(w: WrappedStep | undefined, text: string, refs: RefMap): StepIR {
  const step: StepIR = { id: "", run: neutralText(text, refs), shell: "bash", env: {}, continueOnError: false, retries: 0 };
  if (!w) return step;
  for (const [k, segs] of w.env) step.env[k] = neutralWord(segs as WordSeg[], refs);
  if (w.workingDirectory !== undefined) step.workingDirectory = w.workingDirectory;
  step.retries = w.retries;
  step.continueOnError = w.continueOnError;
  return step;
}

/** Paths of a generated pack step: the words after `tar -czf FILE`. */
function packPaths(command: string): string[] {
  const line = command.split("\n").find((l) => l.startsWith("tar -czf "));
  const tokens = line ? tokenize(line) : undefined;
  if (!tokens) return [];
  // `--` ends tar's options (a path or a matched file name starting with '-' is never an option).
  const rest = tokens.slice(3);
  return (isWord(rest[0], "--") ? rest.slice(1) : rest).flatMap((t) => (t.type === "word" ? [patternOf(t)] : []));
}

/**
 * A step of another type than Command (VulnerabilityAudit, …) has no neutral equivalent: it is
 * kept whole as a native.oci step, so that a compile to OCI writes it back as it was.
 */
function foreignTypeStep(imp: Importer, raw: Obj, names: NameRegistry, at: { item: Item; ptr: string }, index: number): StepIR {
  const stepName = str(raw.name);
  const id = stepName !== undefined ? names.take(stepName) : names.take(`step-${index + 1}`);
  imp.report(
    "PG-OCI-IMPORT-NATIVE-STEP",
    { item: at.item, ptr: `${at.ptr}/type` },
    `step type "${String(raw.type)}" has no neutral equivalent: the step is kept as written in native.oci`,
  );
  return {
    id,
    ...(stepName !== undefined ? { name: id } : {}),
    shell: "bash",
    env: {},
    continueOnError: false,
    retries: 0,
    native: { oci: structuredClone(raw) },
  };
}
