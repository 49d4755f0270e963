/**
 * @pipeglot/azure — Azure Pipelines: compile to azure-pipelines.yml + BuildDefinition (+ environments
 * and approval checks), import from azure-pipelines.yml (templates and expressions expanded).
 */
import type { Provider } from "@pipeglot/core";
import type { AzureTarget } from "@pipeglot/schema";
import { capabilities } from "./capabilities.js";
import { compile } from "./compile/index.js";
import { CODES } from "./diagnostics.js";
import { detect, importFiles } from "./import/index.js";
import { connectAzure, desiredResources, pull, syncPreflight, yamlFile, type AzureLiveClient } from "./live/index.js";
import { cost, priceSchema } from "./cost.js";
import { operate } from "./operate/index.js";
import { fileRoles, runGraph } from "./run-graph.js";

export { compile, capabilities, CODES, detect, importFiles };
export type { AzureCode } from "./diagnostics.js";
export { expandTemplates, type ExpandResult } from "./import/template/expand.js";
export { evaluate, parseExpression } from "./import/template/expr.js";
export * as live from "./live/index.js";
export { checkYamlCommitted, preflight, desiredResources, connectAzure } from "./live/index.js";

export const provider: Provider<AzureTarget, AzureLiveClient> = {
  id: "azure",
  displayName: "Azure Pipelines",
  capabilities,
  codes: CODES,
  compile: (ir) => compile(ir),
  detect,
  fileNames: /^\.?azure-pipelines[^/]*\.ya?ml$/i,
  import: (files, opts) => importFiles(files, opts),
  runGraph,
  fileRoles,
  priceSchema,
  cost,
  live: {
    target: (targets) => targets.azure ?? {},
    connect: (opts) => connectAzure(opts),
    desired: (output, opts) => desiredResources(output, opts),
    // Without --push-yaml the YAML is a repository file: plan compares it with the working tree
    // and apply writes it there. With --push-yaml it is the azure.PipelineYaml resource, pushed instead.
    repositoryFiles: (output, opts) => (opts?.pushYaml ? [] : [yamlFile(output)]),
    preflight: (client, output, opts) => syncPreflight(client, output, opts),
    pull,
    operate,
  },
};
export default provider;
