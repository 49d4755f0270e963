/**
 * Codes, capability table and README agree, and every code is emitted by a test input (shared
 * runner, ../runner/codes.ts). AWS's extra inputs: a job over CodeBuild's five inputs, native files
 * that do not parse or hold no pipeline, and a compiled buildspec edited by hand.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { provider } from "@pipeglot/aws";
import { codesSuite } from "../runner/codes.js";
import { goldenDir } from "../runner/golden.js";

const producers = ["a", "b", "c", "d", "e", "f"];
const tooManyInputs = {
  pipeglot: 1,
  name: "too-many-inputs",
  source: { repository: "acme/app" },
  stages: [
    {
      name: "build",
      jobs: producers.map((n) => ({
        name: n,
        image: "node:20",
        steps: [{ run: `make ${n}` }],
        artifacts: { produce: [{ name: `out-${n}`, paths: [`${n}/**`] }] },
      })),
    },
    { name: "deploy", jobs: [{ name: "ship", image: "node:20", artifacts: { consume: producers.map((n) => `out-${n}`) }, steps: [{ run: "make deploy" }] }] },
  ],
};

const specPath = "codebuild/step-retries-build-test.buildspec.yml";
const spec = readFileSync(join(goldenDir("aws"), "step.retries", specPath), "utf8");

codesSuite(provider, {
  nativeDirs: ["aws", "buildspec", "codepipeline"],
  documents: { "a job consuming six artifacts (CodeBuild takes five inputs)": tooManyInputs },
  imports: {
    "a file that does not parse": [{ path: "pipeline.json", content: '{"pipeline": ' }],
    "a duplicate key": [{ path: "pipeline.json", content: '{"pipeline": {"name": "a", "name": "b", "stages": []}}' }],
    "JSON that is no pipeline": [{ path: "notes.json", content: '{"hello": "world"}' }],
    "a compiled buildspec whose command was edited by hand": [
      { path: "buildspec.yml", content: spec.replace(/- for pg_try .*\n/, "- make flaky-test --again\n") },
    ],
  },
  notEmitted: {},
  rowsWithoutCode: { "job.matrix": "a matrix is emulated with one project and action per cell, exactly: nothing to warn about" },
});
