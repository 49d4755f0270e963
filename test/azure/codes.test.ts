/**
 * Codes, capability table and README agree, and every code is emitted by a test input (shared
 * runner, ../runner/codes.ts). Azure's extra inputs: approvals in approvalMode environment, a
 * malformed secret reference, a native step with a working directory, and native files that do
 * not parse or hold no pipeline.
 */
import { provider } from "@pipeglot/azure";
import { codesSuite } from "../runner/codes.js";

const base = { pipeglot: 1, name: "codes", source: { repository: "acme/app" } };
const build = { name: "build", jobs: [{ name: "compile", image: "node:20", steps: [{ run: "make build" }] }] };
const gated = (jobs: unknown[]) => ({
  ...base,
  targets: { azure: { approvalMode: "environment" } },
  stages: [build, { name: "production", approval: { notify: ["ops@acme.example.com"] }, jobs }],
});

codesSuite(provider, {
  nativeDirs: ["azure"],
  documents: {
    "an approval in approvalMode environment before a job with an environment": gated([
      { name: "ship", image: "node:20", environment: "production", steps: [{ run: "make deploy" }] },
    ]),
    "an approval in approvalMode environment before jobs without one": gated([{ name: "ship", image: "node:20", steps: [{ run: "make deploy" }] }]),
    "a secret reference that is not group:<group>/<variable>": {
      ...base,
      secrets: { TOKEN: { azure: "TOKEN" } },
      stages: [{ name: "build", jobs: [{ name: "t", image: "node:20", env: { TOKEN: "${{ secrets.TOKEN }}" }, steps: [{ run: "make" }] }] }],
    },
    "a native step with a working directory": {
      ...base,
      stages: [
        {
          name: "build",
          jobs: [{ name: "t", image: "node:20", steps: [{ name: "cache", workingDirectory: "app", native: { azure: { checkout: "self" } } }] }],
        },
      ],
    },
  },
  imports: {
    "YAML that does not parse": [{ path: "azure-pipelines.yml", content: "steps: [\n" }],
    "a duplicate key": [{ path: "azure-pipelines.yml", content: "steps:\n  - script: make\n    script: evil\n" }],
    "YAML with no stages, jobs or steps": [{ path: "azure-pipelines.yml", content: "trigger: [main]\n" }],
  },
  notEmitted: {
    "PG-ADO-IMPORT-TEMPLATE-DEPTH":
      "a template that includes itself is read through the expander's readFile (packages/azure/src/import/template/expand.test.ts emits it), not a file list",
    "PG-ADO-IMPORT-TEMPLATE-BUDGET": "needs an expansion of over 100,000 values: test/cli/template-budget.test.ts and the expander's unit tests build one",
  },
});
