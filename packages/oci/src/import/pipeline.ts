/**
 * The pipeline's own fields: source (the first BUILD stage's source), name (the build pipeline's,
 * else the spec's), triggers, description and targets.oci.
 */
import { isObject } from "@pipeglot/core";
import { NAME_PATTERN, type PipelineIR } from "@pipeglot/schema";
import { TAG } from "../conventions.js";
import { neutralRule } from "../names.js";
import { str, tagsOf, type Importer, type Obj } from "./context.js";
import type { Item } from "./files.js";
import { importTriggers } from "./triggers.js";

export function pipelineOf(
  imp: Importer,
  items: Item[],
  buildPipeline: Item | undefined,
  ours: boolean,
  parts: Pick<PipelineIR, "variables" | "secrets" | "stages">,
): PipelineIR {
  const bp = buildPipeline?.value ?? {};
  const stageItems = items.filter((i) => i.kind === "buildStage" || i.kind === "deployStage");
  const firstBuild = stageItems.find((i) => i.value.buildPipelineStageType === "BUILD")?.value;
  const sources = isObject(firstBuild?.buildSourceCollection) ? ((firstBuild!.buildSourceCollection as Obj).items as Obj[] | undefined) : undefined;
  const src = sources?.[0];
  const url = str(src?.repositoryUrl);
  const ct = str(src?.connectionType);
  const provider = ours
    ? tagsOf(bp)[TAG.sourceProvider] || undefined
    : ct === "GITHUB"
      ? "github"
      : ct === "GITLAB"
        ? "gitlab"
        : ct?.startsWith("BITBUCKET")
          ? "bitbucket"
          : undefined;
  const m = url ? /^https?:\/\/(github\.com|gitlab\.com|bitbucket\.org)\/(.+?)(\.git)?\/?$/.exec(url) : null;
  const repository = m ? m[2]! : (url ?? "unknown/repository");
  const ir: PipelineIR = {
    version: 1,
    name: pipelineName(imp, items, buildPipeline),
    source: { repository, branch: str(src?.branch) ?? "main", ...(provider ? { provider: provider as PipelineIR["source"]["provider"] & string } : {}) },
    triggers: importTriggers(items, str(src?.branch) ?? "main", stageItems.length > 0),
    concurrency: "queue",
    variables: parts.variables,
    secrets: parts.secrets,
    defaults: {},
    stages: parts.stages,
    targets: {},
  };
  if (str(bp.description) !== undefined) ir.description = str(bp.description)!;
  const oci: NonNullable<PipelineIR["targets"]["oci"]> = {};
  const projectId = str(bp.projectId);
  if (projectId && !projectId.startsWith("${")) oci.projectId = projectId;
  const conn = str(src?.connectionId);
  if (conn && !conn.startsWith("${")) oci.connectionId = conn;
  if (url && !m) oci.repositoryUrl = url;
  if (Object.keys(oci).length) ir.targets.oci = oci;
  if (buildPipeline) imp.mark("", buildPipeline);
  return ir;
}

function pipelineName(imp: Importer, items: Item[], buildPipeline: Item | undefined): string {
  const nameRaw = str(buildPipeline?.value.displayName) ?? specsName(items);
  let name = neutralRule.sanitize(nameRaw).slice(0, 64);
  if (!NAME_PATTERN.test(name)) name = "imported";
  if (name !== nameRaw && buildPipeline)
    imp.report("PG-OCI-IMPORT-NAME", { item: buildPipeline, ptr: "/displayName" }, `pipeline name "${nameRaw}" becomes "${name}"`);
  return name;
}

function specsName(items: Item[]): string {
  const s = items.find((i) => i.kind === "spec");
  return s
    ? s.file
        .split("/")
        .pop()!
        .replace(/\.(ya?ml)$/i, "")
    : "imported";
}
