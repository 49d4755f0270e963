/**
 * A PipelineDeclaration (+ its CodeBuild projects and transitions) → Pipeline IR.
 * Stage 1 (source actions) gives `source` and the triggers; every other action becomes a job
 * (CodeBuild actions through their projects, others as job-level native.aws.action blocks).
 * Each concept is read by its own module; this one only puts them together.
 */
import type { Concurrency, PipelineIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { TAG } from "../encoding.js";
import { neutralName } from "../names.js";
import { declarationContext, str, type DeclarationInput } from "./context.js";
import type { ImportMap, ImportReport } from "./parse.js";
import { importSource } from "./source.js";
import { importStages } from "./stages.js";
import { importTargets } from "./targets.js";
import { importTriggers } from "./triggers.js";
import { importVariables } from "./variables.js";

export type { DeclarationInput, ProjectRef } from "./context.js";

export function importDeclaration(inp: DeclarationInput, report: ImportReport, sm: ImportMap): PipelineIR {
  const cx = declarationContext(inp, report, sm);
  const { decl } = inp;
  const stages = Array.isArray(decl.stages) ? decl.stages.filter(isObject) : [];
  sm.set("", inp.map, inp.base);
  const src = importSource(cx, stages);
  const triggers = importTriggers(cx, src);
  const variables = importVariables(cx);
  const ir: PipelineIR = {
    version: 1,
    name: neutralName(str(decl.name), "pipeline").slice(0, 64),
    source: src.source,
    triggers,
    concurrency: ({ QUEUED: "queue", PARALLEL: "parallel" } as Record<string, Concurrency>)[str(decl.executionMode)] ?? "supersede",
    variables,
    secrets: {},
    defaults: {},
    stages: [],
    targets: {},
  };
  const description = cx.tag(TAG.description);
  if (description !== undefined) ir.description = description;
  const codebuildRole = importStages(cx, stages, ir, src);
  importTargets(cx, ir, src, codebuildRole);
  return ir;
}
