/**
 * A pipeline as Cloud Build runs it: its parts (one build each, part k started by part k-1's last
 * step or by its own trigger), the stages and jobs of each part (from the step ids
 * `stage__job__step`), and the triggers: the event triggers of part 0 (manual, push, ...) and the
 * gate trigger of each later part (its approval, its held state). Read from the triggers the
 * definition compiles to when a file was given, else from the live ones.
 */
import type { ProviderOutput } from "@pipeglot/core";
import { PipeglotError } from "@pipeglot/core";
import { KIND_TRIGGER } from "../compile/index.js";
import { PART_TAG, PIPELINE_TAG, splitStepId } from "../names.js";

export type Raw = Record<string, unknown>;

export interface StageLayout {
  name: string;
  jobs: string[];
}

export interface PartLayout {
  index: number;
  /** Names of the triggers that start this part's build. */
  triggers: string[];
  stages: StageLayout[];
  /** Parts after the first: the stage the part opens (its gate) and whether the gate is an approval. */
  gate?: { stage: string; trigger: string; approval: boolean; instructions?: string };
}

export interface Layout {
  pipeline: string;
  parts: PartLayout[];
  /** The trigger `pipeglot run` starts (the pipeline's manual trigger). */
  manual?: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const obj = (v: unknown): Raw => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Raw) : {});

/** The part a trigger's build is (its `pipeglot-part-N` build tag). */
export function partOf(tags: readonly string[]): number | undefined {
  const t = tags.find((x) => x.startsWith(PART_TAG));
  const n = t === undefined ? NaN : Number(t.slice(PART_TAG.length));
  return Number.isInteger(n) ? n : undefined;
}

/** Stages and jobs in the order their steps come. */
function stagesOf(steps: unknown[]): StageLayout[] {
  const out: StageLayout[] = [];
  for (const s of steps) {
    const id = obj(s).id;
    const parts = typeof id === "string" ? splitStepId(id) : undefined;
    if (!parts) continue;
    let st = out.find((x) => x.name === parts.stage);
    if (!st) out.push((st = { name: parts.stage, jobs: [] }));
    if (!st.jobs.includes(parts.job)) st.jobs.push(parts.job);
  }
  return out;
}

const lineOf = (description: unknown, prefix: string): string | undefined =>
  typeof description === "string"
    ? description
        .split("\n")
        .find((l) => l.startsWith(prefix))
        ?.slice(prefix.length)
    : undefined;

/** The layout of the pipeline's triggers (compiled or live bodies). */
export function layoutOf(pipeline: string, triggers: readonly Raw[]): Layout {
  const mine = triggers.filter((t) => strings(t.tags).includes(PIPELINE_TAG + pipeline));
  const byPart = new Map<number, Raw[]>();
  for (const t of mine) {
    const k = partOf(strings(obj(t.build).tags));
    if (k === undefined || typeof t.name !== "string") continue;
    byPart.set(k, [...(byPart.get(k) ?? []), t]);
  }
  const parts: PartLayout[] = [...byPart.keys()]
    .sort((a, b) => a - b)
    .map((index) => {
      const ts = byPart.get(index)!;
      const stages = stagesOf(Array.isArray(obj(ts[0]!.build).steps) ? (obj(ts[0]!.build).steps as unknown[]) : []);
      const part: PartLayout = { index, triggers: ts.map((t) => t.name as string).sort(), stages };
      if (index > 0 && stages[0]) {
        const t = ts[0]!;
        const instructions = lineOf(t.description, "Approval: ");
        part.gate = {
          stage: stages[0].name,
          trigger: t.name as string,
          approval: obj(t.approvalConfig).approvalRequired === true,
          ...(instructions ? { instructions } : {}),
        };
      }
      return part;
    });
  const first = byPart.get(0) ?? [];
  const manual = first.find((t) => t.name === `${pipeline}-manual`) ?? first.find((t) => t.sourceToBuild !== undefined);
  return { pipeline, parts, ...(manual ? { manual: manual.name as string } : {}) };
}

/** The trigger bodies of a compile output. */
export function compiledTriggers(output: ProviderOutput): Raw[] {
  return output.files.filter((f) => f.kind === KIND_TRIGGER).map((f) => JSON.parse(f.content) as Raw);
}

/** The stages in order, each with its part. */
export function stagesInOrder(layout: Layout): { stage: StageLayout; part: PartLayout }[] {
  return layout.parts.flatMap((part) => part.stages.map((stage) => ({ stage, part })));
}

/** The held reason written in a trigger's description (`Held: …`, as compile writes it). */
export const heldReason = (trigger: Raw): string | undefined => lineOf(trigger.description, "Held: ");

export function noTriggers(pipeline: string, parent: string): PipeglotError {
  return new PipeglotError(`pipeline ${pipeline} has no triggers in ${parent}: apply it first (pipeglot apply FILE --target gcp)`, "not-found");
}
