/**
 * Codes, capability table and README agree, and every code is emitted by a test input (shared
 * runner, ../runner/codes.ts). Cloud Build's extra inputs: builds over its limits, artifacts across
 * an approval without a bucket, an odd pipeline name, and native files
 * of shapes compile never writes (legacy KMS secrets, Pub/Sub triggers, dynamic substitutions...).
 */
import { provider } from "@pipeglot/gcp";
import { codesSuite } from "../runner/codes.js";

const base = { pipeglot: 1, name: "codes", source: { repository: "acme/app" } };
const job = (steps: unknown[], extra = {}) => ({ name: "t", image: "node:20", steps, ...extra });

codesSuite(provider, {
  nativeDirs: ["gcp", "cloudbuild"],
  documents: {
    "a job of 301 steps": { ...base, stages: [{ name: "build", jobs: [job(Array.from({ length: 301 }, (_, i) => ({ run: `make part${i}` })))] }] },
    "a command of 10,001 characters": { ...base, stages: [{ name: "build", jobs: [job([{ run: `echo ${"x".repeat(10_000)}` }])] }] },
    "an artifact across an approval, no artifactBucket": {
      ...base,
      stages: [
        { name: "build", jobs: [job([{ run: "make" }], { artifacts: { produce: [{ name: "dist", paths: ["dist/**"] }] } })] },
        { name: "deploy", approval: {}, jobs: [job([{ run: "make deploy" }], { artifacts: { consume: ["dist"] } })] },
      ],
    },
    "a pipeline name a trigger cannot have": {
      ...base,
      name: "My_Pipeline.v2",
      triggers: { push: { branches: ["main"] } },
      stages: [{ name: "build", jobs: [job([{ run: "make" }])] }],
    },
  },
  imports: {
    "YAML that does not parse": [{ path: "cloudbuild.yaml", content: "steps: [\n" }],
    "a duplicate key": [{ path: "cloudbuild.yaml", content: "steps:\n  - name: node:20\n    name: evil\n" }],
    "YAML that is neither a build nor a trigger": [{ path: "cloudbuild.yaml", content: "hello: world\n" }],
    "a trigger naming a build file not given": [
      {
        path: "trigger.json",
        content: JSON.stringify({ name: "t", github: { owner: "acme", name: "app", push: { branch: "^main$" } }, filename: "missing.yaml" }),
      },
    ],
    "a legacy KMS secret": [
      {
        path: "cloudbuild.yaml",
        content:
          "steps:\n  - name: node:20\n    secretEnv: [TOKEN]\n    args: [make]\nsecrets:\n  - kmsKeyName: projects/p/locations/global/keyRings/r/cryptoKeys/k\n    secretEnv:\n      TOKEN: c2VjcmV0\n",
      },
    ],
    "a trigger regex globs cannot say": [
      {
        path: "trigger.json",
        content: JSON.stringify({
          name: "t",
          github: { owner: "acme", name: "app", push: { branch: "^(main|rel-[0-9]+)$" } },
          build: { steps: [{ name: "node:20", args: ["make"] }] },
        }),
      },
    ],
    "a Pub/Sub trigger": [
      {
        path: "trigger.json",
        content: JSON.stringify({ name: "t", pubsubConfig: { topic: "projects/p/topics/t" }, build: { steps: [{ name: "node:20", args: ["make"] }] } }),
      },
    ],
    "a dynamic substitution": [
      {
        path: "cloudbuild.yaml",
        content:
          "options:\n  dynamicSubstitutions: true\nsubstitutions:\n  _ENV: dev\nsteps:\n  - name: node:20\n    entrypoint: bash\n    args: [-c, 'make ENV=${_ENV:-prod}']\n",
      },
    ],
  },
  notEmitted: {
    "PG-GCB-SECRET-MISSING": "no code path emits it (a secret without a gcp reference gets the assumed name silently): a bug to fix in packages/gcp",
    "PG-GCB-IMPORT-NAME": "no code path emits it (import renames step ids silently): a bug to fix in packages/gcp",
  },
});
