/**
 * The import invariant for Azure, as a property: random Azure documents in the shapes real files
 * have — templates that cannot be read at every level, `extends`, conditions with and without a
 * neutral form, `dependsOn` on what is and is not there, artifacts published and downloaded under
 * plain, folded, run-time and repeated names, from this run and from others, dotted variable
 * names, `extends` whose parameters carry the stages — always import to a pipeline that `validate` accepts, with no error; compiled back to
 * Azure, the output passes the Azure oracles, keeps every template reference of the source, and
 * imports again to the same stages (a second round trip changes nothing).
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { toYaml } from "@pipeglot/core";
import { denormalize, validate } from "@pipeglot/schema";
import { compile, importFiles } from "@pipeglot/azure";
import { conformanceCheckers } from "../conformance/index.js";
import { sharedSuite } from "../helpers/paths.js";

const RUNS = Number(process.env.AZURE_IMPORT_RUNS ?? 150);

const names = fc.constantFrom("Build", "Test", "Deploy", "Package", "lint_1", "Missing");
const artifact = fc.constantFrom("drop", "web", "OpenAPI Spec", "$(artifactName)", "$(osName)Backend", "x y/z");
const condition = fc.constantFrom(
  "succeeded()",
  "always()",
  "and(succeeded(), eq(variables['Build.SourceBranch'], 'refs/heads/main'))",
  "eq(variables['Deploy'], 'yes')",
  "and(succeeded(), ne(variables['osName'], 'Windows'))",
  "eq(variables['System.JobAttempt'], '1')",
  "succeededOrFailed()",
);
const templateRef = fc.record(
  {
    template: fc.constantFrom("t.yml", "steps/x.yml@templates", "jobs/build.yml@other", "../up.yml"),
    parameters: fc.option(fc.dictionary(fc.constantFrom("a", "b"), fc.constantFrom("1", "$(X)", "${{ parameters.p }}")), { nil: undefined }),
  },
  { requiredKeys: ["template"] },
);

const withCondition = <T extends object>(a: fc.Arbitrary<T>) =>
  fc.tuple(a, fc.option(condition, { nil: undefined })).map(([s, c]) => (c ? { ...s, condition: c } : s));

const step = fc.oneof(
  withCondition(
    fc.record(
      {
        bash: fc.constantFrom("make", "echo $(JQM.name)", "npm test"),
        displayName: fc.option(fc.constantFrom("Run tests", "build", "Build"), { nil: undefined }),
      },
      { requiredKeys: ["bash"] },
    ),
  ),
  withCondition(fc.record({ script: fc.constantFrom("echo hi", "dotnet build") })),
  withCondition(fc.constantFrom({ task: "UseDotNet@2", inputs: { version: "8.x" } }, { task: "NodeTool@0", inputs: { versionSpec: "20.x" } })),
  withCondition(fc.record({ publish: fc.constantFrom("dist", "$(Build.ArtifactStagingDirectory)"), artifact })),
  withCondition(fc.record({ download: fc.constantFrom("current", "other"), artifact })),
  fc.record({
    task: fc.constant("PublishBuildArtifacts@1"),
    inputs: fc.record({ PathtoPublish: fc.constantFrom("logs", "out"), ArtifactName: artifact }, { requiredKeys: ["PathtoPublish"] }),
  }),
  fc.record({
    task: fc.constant("DownloadPipelineArtifact@2"),
    inputs: fc.record({ buildType: fc.constantFrom("current", "specific"), artifactName: artifact }),
  }),
  fc.constant({ checkout: "self" }),
  templateRef,
);

const dependsOn = fc.option(fc.oneof(names, fc.array(names, { maxLength: 3 })), { nil: undefined });
const job = fc.oneof(
  {
    weight: 4,
    arbitrary: withCondition(fc.record({ job: names, dependsOn, steps: fc.array(step, { minLength: 1, maxLength: 6 }) }, { requiredKeys: ["job", "steps"] })),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      deployment: names,
      environment: fc.constantFrom("prod", "staging.vm1"),
      strategy: fc.array(step, { minLength: 1, maxLength: 3 }).map((steps) => ({ runOnce: { deploy: { steps } } })),
    }),
  },
  { weight: 1, arbitrary: templateRef },
);
const stage = fc.oneof(
  {
    weight: 4,
    arbitrary: withCondition(fc.record({ stage: names, dependsOn, jobs: fc.array(job, { minLength: 1, maxLength: 4 }) }, { requiredKeys: ["stage", "jobs"] })),
  },
  { weight: 1, arbitrary: templateRef },
);
const variables = fc.option(
  fc.array(
    fc.oneof(
      fc.record({ name: fc.constantFrom("JQM.name", "Deploy", "artifactName"), value: fc.constant("v") }),
      fc.record({ group: fc.constant("secrets") }),
      templateRef,
    ),
    { maxLength: 3 },
  ),
  { nil: undefined },
);

/** Azure refuses cyclic dependsOn: keep only dependencies on earlier items or on names no item has (those the importer must settle). */
function acyclic(items: unknown): void {
  if (!Array.isArray(items)) return;
  const all = items.map((x) =>
    x && typeof x === "object"
      ? ((x as Record<string, unknown>).stage ?? (x as Record<string, unknown>).job ?? (x as Record<string, unknown>).deployment)
      : undefined,
  );
  items.forEach((x, i) => {
    if (!x || typeof x !== "object") return;
    const o = x as Record<string, unknown>;
    if (o.dependsOn !== undefined) {
      const deps = ([] as unknown[]).concat(o.dependsOn).filter((d) => all.indexOf(d) < 0 || all.slice(0, i).includes(d));
      o.dependsOn = deps.filter((d) => d !== all[i]);
    }
    acyclic(o.jobs);
  });
}

const doc = fc
  .oneof(
    { weight: 3, arbitrary: fc.record({ variables, stages: fc.array(stage, { minLength: 1, maxLength: 4 }) }, { requiredKeys: ["stages"] }) },
    { weight: 2, arbitrary: fc.record({ variables, jobs: fc.array(job, { minLength: 1, maxLength: 4 }) }, { requiredKeys: ["jobs"] }) },
    { weight: 1, arbitrary: fc.record({ variables, steps: fc.array(step, { minLength: 1, maxLength: 6 }) }, { requiredKeys: ["steps"] }) },
    { weight: 1, arbitrary: fc.record({ trigger: fc.constant("none"), extends: templateRef }) },
    {
      weight: 1,
      arbitrary: fc.record({
        trigger: fc.constant("none"),
        extends: fc.record({
          template: fc.constant("v1/Official.yml@1es"),
          parameters: fc.record({ stages: fc.array(stage, { minLength: 1, maxLength: 3 }) }),
        }),
      }),
    },
  )
  .map((d) => {
    const c = structuredClone(d) as Record<string, unknown>;
    acyclic(c.stages);
    acyclic(c.jobs);
    acyclic((c.extends as { parameters?: { stages?: unknown } } | undefined)?.parameters?.stages);
    return c;
  });

/** Every template reference in a parsed Azure document, as `template` + parameters text, in document order. */
function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.template === "string") out.push(`${o.template} ${JSON.stringify(o.parameters ?? null)}`);
    else Object.values(o).forEach((x) => refs(x, out));
  }
  return out;
}

sharedSuite("azure import invariant (property)", () => {
  const azureOracle = conformanceCheckers().azure;
  it(
    `${RUNS} random partial Azure documents import valid and round-trip through Azure`,
    () => {
      fc.assert(
        fc.property(doc, (d) => {
          const text = stringify(d, { aliasDuplicateObjects: false });
          const r = importFiles([{ path: "azure-pipelines.yml", content: text }]);
          expect(r.diagnostics.filter((x) => x.severity === "error").map((x) => `${x.code} ${x.message}`)).toEqual([]);
          expect(r.pipeline).toBeDefined();
          const v = validate(toYaml(denormalize(r.pipeline!)));
          expect(v.diagnostics.filter((x) => x.severity === "error").map((x) => `${x.code} ${x.path} ${x.message}`)).toEqual([]);
          for (const s of r.pipeline!.stages)
            for (const j of s.jobs) for (const st of j.steps) expect(st.run !== undefined && st.native !== undefined).toBe(false);
          const out = compile(r.pipeline!);
          expect(out.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
          expect(azureOracle(out)).toEqual([]);
          const y = out.files.find((f) => f.kind === "azure.PipelineYaml")!.content;
          // Template parameters are expanded on import (`${{ parameters.p }}` has no value here): compare the references (as a multiset: native root keys come after the rest).
          const names = (v: unknown) =>
            refs(v)
              .map((x) => x.split(" ")[0])
              .sort();
          expect(names(parse(y))).toEqual(names(parse(text)));
          const back = importFiles(out.files.map((f) => ({ path: f.path, content: f.content })));
          expect(back.pipeline?.stages).toEqual(r.pipeline!.stages);
        }),
        { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 12 },
      );
    },
    Math.max(60_000, RUNS * 100),
  );
});
