/**
 * What `apply` writes, from what compile produced: the definition (definition.json), the
 * environments, the Approval checks and — only with pushYaml — the YAML file itself.
 * Bodies are compile's, in comparable form ({@link canonicalDefinition}): the project moves to
 * the URL and an Azure Repos URL is the server's to derive.
 */
import { keyString, type DesiredResource, type ProviderOutput, type Obj } from "@pipeglot/core";
import { KIND, yamlKeyName } from "./client.js";
import { canonicalCheck, canonicalDefinition } from "./normalize.js";

export interface DesiredOptions {
  /** Also push the compiled YAML through the Git API (`--push-yaml`; Azure Repos only). */
  pushYaml?: boolean;
}

export interface YamlTarget {
  /** Path in the repository, without a leading slash. */
  path: string;
  content: string;
  repositoryType: string;
  repository: string;
  branch: string;
}

export function definitionOf(output: ProviderOutput): Obj {
  const f = output.files.find((x) => x.kind === "azure.BuildDefinition");
  if (!f) throw new Error(`the azure output of ${output.pipeline} has no azure.BuildDefinition file`);
  return JSON.parse(f.content) as Obj;
}

/** Where the compiled YAML must be committed. */
export function yamlTarget(output: ProviderOutput): YamlTarget {
  const def = definitionOf(output);
  const proc = def.process as Obj;
  const repo = def.repository as Obj;
  const path = String(proc.yamlFilename).replace(/^\//, "");
  const file = output.files.find((x) => x.kind === "azure.PipelineYaml");
  if (!file) throw new Error(`the azure output of ${output.pipeline} has no azure.PipelineYaml file`);
  return {
    path,
    content: file.content,
    repositoryType: String(repo.type),
    repository: String(repo.name),
    branch: String(repo.defaultBranch ?? "refs/heads/main"),
  };
}

/** The compiled YAML as a repository file (without --push-yaml: plan compares it with the working tree). */
export function yamlFile(output: ProviderOutput): { path: string; content: string } {
  const y = yamlTarget(output);
  // `./ci/azure-pipelines.yml` names the same file as `ci/azure-pipelines.yml`.
  return { path: y.path.replace(/^(?:\.\/+)+/, ""), content: y.content };
}

export function desiredResources(output: ProviderOutput, opts: DesiredOptions = {}): DesiredResource[] {
  const out: DesiredResource[] = [];
  for (const f of output.files) {
    if (f.kind !== "azure.Environment") continue;
    const body = JSON.parse(f.content) as Obj;
    // Shared: another pipeline's environment is used as it is (see README "Environments are shared").
    out.push({ key: { kind: KIND.environment, name: String(body.name) }, body, dependsOn: [], shared: "as-is" });
  }
  for (const f of output.files) {
    if (f.kind !== "azure.CheckConfiguration") continue;
    const body = canonicalCheck(JSON.parse(f.content) as Obj);
    const env = String((body.resource as Obj).name);
    const envKey = keyString({ kind: KIND.environment, name: env });
    // The check is the environment owner's: another pipeline uses it only while it asks for the same one.
    out.push({ key: { kind: KIND.check, name: env }, body, dependsOn: [envKey], shared: "if-equal", ownedWith: envKey });
  }
  const deps: string[] = [];
  if (opts.pushYaml) {
    const y = yamlTarget(output);
    const key = { kind: KIND.yaml, name: yamlKeyName(y.repository, y.branch, y.path) };
    out.push({ key, body: { path: y.path, content: y.content }, dependsOn: [] });
    deps.push(keyString(key));
  }
  const def = definitionOf(output);
  out.push({ key: { kind: KIND.definition, name: String(def.name) }, body: canonicalDefinition(def), dependsOn: deps });
  return out;
}
