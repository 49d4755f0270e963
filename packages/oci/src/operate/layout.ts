/**
 * The definition's stages and jobs as OCI stages: each BUILD stage (build pipeline) and SHELL stage
 * (deploy pipeline) is one job, each MANUAL_APPROVAL stage a gate (approval or disabled transition)
 * before a stage. Read from the compile output when the definition was given, else from the live
 * stages' freeform tags, which carry the same mapping (pipeglot-stage, -stage-index, -job,
 * -job-index, -gate).
 */
import type { Obj, ProviderOutput } from "@pipeglot/core";
import { TAG } from "../conventions.js";
import { str, tagsOf } from "./calls.js";

export interface Unit {
  /** The OCI stage's displayName. */
  native: string;
  pipeline: "build" | "deploy";
  stage: string;
  stageIndex: number;
  job?: string;
  jobIndex: number;
  gate?: "approval" | "transition";
  description?: string;
  tags: Record<string, string>;
}

export interface Layout {
  /** Stages in the definition's order, each with its units. */
  stages: { name: string; jobs: Unit[]; gates: Unit[] }[];
}

function unitOf(body: Obj, pipeline: Unit["pipeline"]): Unit | undefined {
  const tags = tagsOf(body);
  const stage = tags[TAG.stage];
  const native = str(body.displayName);
  if (!stage || !native) return undefined;
  const gate = tags[TAG.gate];
  return {
    native,
    pipeline,
    stage,
    stageIndex: Number(tags[TAG.stageIndex] ?? 0),
    ...(tags[TAG.job] ? { job: tags[TAG.job] } : {}),
    jobIndex: Number(tags[TAG.jobIndex] ?? 0),
    ...(gate === "approval" || gate === "transition" ? { gate } : {}),
    ...(str(body.description) ? { description: str(body.description)! } : {}),
    tags,
  };
}

export function layoutOf(bodies: { body: Obj; pipeline: Unit["pipeline"] }[]): Layout {
  const units = bodies.flatMap(({ body, pipeline }) => unitOf(body, pipeline) ?? []);
  const names = [...new Map(units.map((u) => [u.stage, u.stageIndex])).entries()].sort((a, b) => a[1] - b[1]).map(([n]) => n);
  return {
    stages: names.map((name) => ({
      name,
      jobs: units.filter((u) => u.stage === name && u.job !== undefined).sort((a, b) => a.jobIndex - b.jobIndex),
      // Compile order: the transition's gate, then the approval.
      gates: units.filter((u) => u.stage === name && u.gate !== undefined).sort((a, b) => (a.gate === b.gate ? 0 : a.gate === "transition" ? -1 : 1)),
    })),
  };
}

/** The compile output's stages. */
export function layoutFromOutput(output: ProviderOutput): Layout {
  const bodies: { body: Obj; pipeline: Unit["pipeline"] }[] = [];
  for (const f of output.files) {
    const pipeline = f.kind === "oci.CreateBuildPipelineStageDetails" ? "build" : f.kind === "oci.CreateDeployStageDetails" ? "deploy" : undefined;
    if (pipeline) bodies.push({ body: JSON.parse(f.content) as Obj, pipeline });
  }
  return layoutOf(bodies);
}

/** The live stages' tags. */
export function layoutFromLive(buildStages: Obj[], deployStages: Obj[]): Layout {
  return layoutOf([
    ...buildStages.map((body) => ({ body, pipeline: "build" as const })),
    ...deployStages.map((body) => ({ body, pipeline: "deploy" as const })),
  ]);
}
