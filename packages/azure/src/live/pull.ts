/**
 * Read a live pipeline back as the files the azure importer reads: the YAML (from Azure Repos,
 * at the definition's default branch), definition.json, environments/<name>.json and
 * checks/<name>.json — each normalized exactly as plan compares them (ids back to placeholders).
 * Lost on the way: the Azure Repos `repository.url` of definition.json (the server's own URL, not
 * the one compile derives from targets.azure.organization); `project` is the connected project.
 */
import { toJson, type LiveClient, type NativeFile } from "@pipeglot/core";
import { UserError } from "@pipeglot/core";
import { fileName } from "../names.js";
import { AzureLiveClient, KIND } from "./client.js";

type Obj = Record<string, unknown>;

/** What pull cannot read (no such definition, no committed YAML): the CLI prints it and exits 1. */
export class PullError extends UserError {
  override readonly name = "PullError";
  constructor(message: string) {
    super(message, 1);
  }
}

export async function pull(client: LiveClient, pipeline: string): Promise<NativeFile[]> {
  if (!(client instanceof AzureLiveClient)) throw new PullError("pull needs the client that connect() of @pipeglot/azure returns");
  const [def] = await client.read([{ kind: KIND.definition, name: pipeline }]);
  if (!def) throw new PullError(`no build definition named ${pipeline} in project ${client.project}`);
  const body = def.body as Obj;
  const repo = body.repository as Obj;
  const yamlPath = String((body.process as Obj).yamlFilename).replace(/^\//, "");
  if (String(repo.type).toLowerCase() !== "tfsgit") {
    throw new PullError(`${pipeline} builds the ${String(repo.type)} repository ${String(repo.name)}; the Azure DevOps API cannot read ${yamlPath} from it: fetch the file from ${String(repo.name)} and import it together with the definition`);
  }
  const item = await client.yamlItem(yamlPath, undefined, { name: String(repo.name), branch: String(repo.defaultBranch ?? "refs/heads/main") });
  if (!item) throw new PullError(`${yamlPath} is not committed on ${String(repo.defaultBranch)} of ${String(repo.name)}`);
  const files: NativeFile[] = [
    { path: yamlPath, content: item.content },
    { path: "definition.json", content: toJson({ ...body, project: { name: client.project } }) },
  ];
  const keys = (await client.ownedEnvironments(pipeline)).flatMap((name) => [
    { kind: KIND.environment, name },
    { kind: KIND.check, name },
  ]);
  const live = await client.read(keys);
  keys.forEach((k, i) => {
    const l = live[i];
    if (!l) return;
    files.push({ path: `${k.kind === KIND.environment ? "environments" : "checks"}/${fileName(k.name)}.json`, content: toJson(l.body) });
  });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
