/**
 * Read a live pipeline back as the files the azure importer reads: the YAML (from Azure Repos,
 * at the definition's default branch, else from the working tree), definition.json, environments/<name>.json and
 * checks/<name>.json — each normalized exactly as plan compares them (ids back to placeholders).
 * Lost on the way: the Azure Repos `repository.url` of definition.json (the server's own URL, not
 * the one compile derives from targets.azure.organization); `project` is the connected project.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { toJson, within, type LiveClient, type NativeFile, type PullOptions, type Obj } from "@pipeglot/core";
import { UserError } from "@pipeglot/core";
import { fileName } from "../names.js";
import { AzureLiveClient, KIND } from "./client.js";
import { byText } from "@pipeglot/schema";

/** What pull cannot find (no such definition, no committed YAML; kind "not-found"): the CLI prints it and exits 1. */
export class PullError extends UserError {
  override readonly name = "PullError";
  constructor(message: string) {
    super(message, "not-found");
  }
}

/**
 * The YAML the definition names: from Azure Repos (what Azure runs), else from the working tree at
 * `root` (a GitHub or Bitbucket repository, which the Azure DevOps API cannot read, or a file not
 * pushed yet), read only inside it.
 */
async function yamlOf(client: AzureLiveClient, pipeline: string, body: Obj, root: string | undefined): Promise<{ path: string; content: string }> {
  const repo = body.repository as Obj;
  const path = String((body.process as Obj).yamlFilename).replace(/^\//, "");
  const branch = String(repo.defaultBranch ?? "refs/heads/main");
  const azureRepos = String(repo.type).toLowerCase() === "tfsgit";
  if (azureRepos) {
    const item = await client.yamlItem(path, undefined, { name: String(repo.name), branch });
    if (item) return { path, content: item.content };
  }
  const at = root !== undefined ? within(root, path) : undefined;
  if (at && existsSync(at) && statSync(at).isFile()) return { path, content: readFileSync(at, "utf8") };
  const where = azureRepos
    ? `is not committed on ${branch.replace(/^refs\/heads\//, "")} of ${String(repo.name)}`
    : `lives in the ${String(repo.type)} repository ${String(repo.name)}, which the Azure DevOps API cannot read,`;
  throw new PullError(
    `${pipeline}: ${path} ${where} and is not in the working tree${root !== undefined ? ` of ${root}` : ""}: run pull in a checkout of ${String(repo.name)}`,
  );
}

export async function pull(client: LiveClient, pipeline: string, opts: PullOptions = {}): Promise<NativeFile[]> {
  if (!(client instanceof AzureLiveClient)) throw new PullError("pull needs the client that connect() of @pipeglot/azure returns");
  const [def] = await client.read([{ kind: KIND.definition, name: pipeline }]);
  if (!def) throw new PullError(`no build definition named ${pipeline} in project ${client.project}`);
  const body = def.body as Obj;
  const yaml = await yamlOf(client, pipeline, body, opts.repositoryRoot);
  const files: NativeFile[] = [
    { path: yaml.path, content: yaml.content },
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
  return files.sort(byText((x) => x.path));
}
