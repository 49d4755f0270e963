/**
 * The Google Cloud Build runtime model: runs pipeglot's Cloud Build compile output (the
 * triggers' builds, cloudbuild[.<part>].yaml) on this machine as Cloud Build would, and maps
 * each step back to the definition's job and step through the step ids the compile wrote.
 * The rules, each with its page: config.ts, substitute.ts, start.ts, tools.ts, dag.ts,
 * step-run.ts, build-run.ts, chain.ts, artifacts.ts.
 */
import type { RuntimeModel } from "../model.js";
import { assemble } from "./assemble.js";
import { runChain } from "./chain.js";
import { readCompiled } from "./config.js";

export const gcpModel: RuntimeModel = {
  target: "gcp",
  sources: [
    "https://cloud.google.com/build/docs/build-config-file-schema",
    "https://cloud.google.com/build/docs/configuring-builds/configure-build-step-order",
    "https://cloud.google.com/build/docs/configuring-builds/substitute-variable-values",
    "https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#BuildStep",
    "https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#substitutionoption",
    "https://cloud.google.com/build/docs/securing-builds/use-secrets",
    "https://cloud.google.com/build/docs/automating-builds/create-manage-triggers",
    "https://cloud.google.com/build/docs/securing-builds/gate-builds-on-approval",
    "https://cloud.google.com/sdk/gcloud/reference/builds/triggers/run",
    "https://cloud.google.com/sdk/gcloud/reference/topic/escaping",
    "https://cloud.google.com/storage/docs/gsutil/commands/cp",
  ],
  async run(output, ir, opts, sandbox) {
    const chain = await runChain(readCompiled(output), ir, opts, sandbox);
    return assemble(ir, opts, sandbox, chain);
  },
};
