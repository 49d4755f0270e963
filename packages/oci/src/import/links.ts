/**
 * How OCI DevOps files of one pipeline name each other other than by path, for the audit's
 * grouping (ProviderBase.links), from the OCI CLI's JSON or the request details: a build or deploy
 * pipeline is its id; its stages (a stage list, or one stage) and its triggers are part of it; a
 * stage that starts a deploy pipeline, or runs a command spec artifact, uses them; a deploy
 * artifact is its id. Build specs are named by path (buildSpecFile), which the audit reads itself.
 * Never throws.
 */
import { type NativeFile, type PipelineLinks } from "@pipeglot/core";
import { str } from "./context.js";
import { itemsOf, parseFile, type Item } from "./files.js";

const ids = (...values: unknown[]): string[] => values.flatMap((v) => (Array.isArray(v) ? ids(...(v as unknown[])) : str(v) ? [str(v)!] : []));

function itemLinks(it: Item): PipelineLinks {
  const v = it.value;
  switch (it.kind) {
    case "buildPipeline":
    case "deployPipeline":
    case "deployArtifact":
      return { is: ids(v.id), uses: [], partOf: [] };
    case "buildStage":
      return { is: ids(v.id), uses: ids(v.deployPipelineId), partOf: ids(v.buildPipelineId) };
    case "deployStage":
      return { is: ids(v.id), uses: ids(v.commandSpecDeployArtifactId, v.deployArtifactIds), partOf: ids(v.deployPipelineId) };
    case "trigger": {
      const actions = Array.isArray(v.actions) ? (v.actions as unknown[]) : [];
      return {
        is: ids(v.id),
        uses: [],
        partOf: ids(actions.map((a) => (a && typeof a === "object" ? (a as Record<string, unknown>).buildPipelineId : undefined))),
      };
    }
    default:
      return { is: [], uses: [], partOf: [] };
  }
}

export function links(file: NativeFile): PipelineLinks {
  const p = parseFile(file);
  const out: PipelineLinks = { is: [], uses: [], partOf: [] };
  if (p.error) return out;
  for (const it of itemsOf(p, new Map())) {
    const l = itemLinks(it);
    out.is.push(...l.is);
    out.uses.push(...l.uses);
    out.partOf.push(...l.partOf);
  }
  return out;
}
