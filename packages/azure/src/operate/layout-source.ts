/**
 * Where the pipeline's layout comes from: the compile output when a definition file was given,
 * else the YAML the live definition runs (its Azure Repos repository, default branch). A pipeline
 * whose YAML cannot be read (GitHub) has no layout: timeline names are shown as they are.
 */
import { isObject, type Obj, type RunRef } from "@pipeglot/core";
import type { AzureLiveClient } from "../live/client.js";
import { layoutOf, stageNamed, yamlParameters, type LayoutStage } from "./layout.js";

export type { LayoutStage };
export { stageNamed };

async function liveYaml(az: AzureLiveClient, def: Obj): Promise<string | undefined> {
  const repo = isObject(def.repository) ? def.repository : {};
  const process = isObject(def.process) ? def.process : {};
  if (String(repo.type).toLowerCase() !== "tfsgit" || typeof process.yamlFilename !== "string") return undefined;
  const branch = typeof repo.defaultBranch === "string" ? repo.defaultBranch : "refs/heads/main";
  const item = await az.yamlItem(process.yamlFilename, undefined, { name: String(repo.name ?? repo.id), branch });
  return item?.content;
}

/** The pipeline YAML: the compiled one, else the one the live definition runs. */
export async function pipelineYaml(az: AzureLiveClient, ref: RunRef, def: Obj): Promise<string | undefined> {
  return ref.output?.files.find((f) => f.kind === "azure.PipelineYaml")?.content ?? (await liveYaml(az, def));
}

export async function pipelineLayout(az: AzureLiveClient, ref: RunRef, def: Obj): Promise<LayoutStage[]> {
  const text = await pipelineYaml(az, ref, def);
  return text === undefined ? [] : layoutOf(text, ref.output);
}

export { yamlParameters };
