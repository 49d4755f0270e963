/**
 * Hand-made definitions of the shapes the compile-invariant property found: each compiles to
 * output the vendor oracles accept, or is refused with a positioned error, and the output holds
 * what a reader of the vendor docs expects.
 */
import { parse } from "yaml";
import { beforeAll, expect, it } from "vitest";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { compile as aws } from "@pipeglot/aws";
import { compile as azure, importFiles as importAzure } from "@pipeglot/azure";
import { compile as gcp } from "@pipeglot/gcp";
import { sharedSuite } from "../helpers/paths.js";
import { conformanceCheckers } from "../conformance/index.js";

function ir(text: string): PipelineIR {
  const r = validate(text, { file: "case.yaml" });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
}

const head = "pipeglot: 1\nname: app\nsource: { repository: acme/app }\n";

sharedSuite("compile-invariant regressions", () => {
  let checkers: ReturnType<typeof conformanceCheckers>;
  beforeAll(() => {
    checkers = conformanceCheckers();
  });

  it("azure: a python step's working directory is a PythonScript@0 input (a task step has no workingDirectory key)", () => {
    const out = azure(ir(`${head}stages: [{ name: build, jobs: [{ name: b, steps: [{ run: "print(1)", shell: python, workingDirectory: tools }] }] }]\n`));
    expect(checkers.azure(out)).toEqual([]);
    const yaml = parse(out.files.find((f) => f.kind === "azure.PipelineYaml")!.content);
    const step = yaml.stages[0].jobs[0].steps[0];
    expect(step).toMatchObject({ task: "PythonScript@0", inputs: { scriptSource: "inline", script: "print(1)", workingDirectory: "tools" } });
    expect(step.workingDirectory).toBeUndefined();
    // And the importer reads it back: the round trip keeps the working directory.
    const back = importAzure(out.files.filter((f) => f.kind === "azure.PipelineYaml").map((f) => ({ path: f.path, content: f.content })));
    expect(back.pipeline?.stages[0]?.jobs[0]?.steps[0]).toMatchObject({ run: "print(1)", shell: "python", workingDirectory: "tools" });
  });

  it("azure: a step with only another provider's native, and a job with no steps, become bash steps that fail with a message (Azure rejects a step of no kind)", () => {
    const out = azure(
      ir(
        `${head}stages: [{ name: build, jobs: [{ name: b, steps: [{ native: { oci: { command: x } }, workingDirectory: src }, { run: make }] }, { name: c, steps: [], native: { aws: { project: { queuedTimeoutInMinutes: 30 } } } }] }]\n`,
      ),
    );
    expect(checkers.azure(out)).toEqual([]);
    const jobs = parse(out.files.find((f) => f.kind === "azure.PipelineYaml")!.content).stages[0].jobs;
    expect(jobs[0].steps[0]).toEqual({
      bash: expect.stringMatching(/^echo 'pipeglot: step step-1 is native\.oci only[^\n]*' >&2\nexit 1$/),
      workingDirectory: "src",
    });
    expect(jobs[0].steps[1]).toEqual({ bash: "make" });
    expect(jobs[1].steps).toEqual([{ bash: expect.stringMatching(/^echo 'pipeglot: job build\.c has no steps[^\n]*' >&2\nexit 1$/) }]);
    expect(out.diagnostics.filter((d) => d.code === "PG-ADO-NOT-TRANSLATED").map((d) => d.path)).toEqual([
      "/stages/0/jobs/0/steps/0/native",
      "/stages/0/jobs/1/steps",
    ]);
  });

  it("azure: a trigger glob outside Azure's filter alphabet is refused with an error at the filter, and left out of the file", () => {
    const out = azure(
      ir(
        `${head}triggers: { push: { branches: [main], tags: ["v[0-9]*"] }, schedules: [{ cron: "0 3 * * *", branches: ["release/[ab]"] }] }\nstages: [{ name: build, jobs: [{ name: b, steps: [{ run: make }] }] }]\n`,
      ),
    );
    expect(out.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.path])).toEqual([
      ["PG-ADO-FILTER-GLOB", "/triggers/push/tags"],
      ["PG-ADO-FILTER-GLOB", "/triggers/schedules/0/branches"],
    ]);
    expect(checkers.azure(out)).toEqual([]);
    const yaml = parse(out.files.find((f) => f.kind === "azure.PipelineYaml")!.content);
    expect(yaml.trigger).toEqual({ branches: { include: ["main"] } });
  });

  it("azure: a working directory on a native task step becomes the task's input, on a checkout step it is dropped, with a warning each", () => {
    const steps = `[{ native: { azure: { task: AzureCLI@2, inputs: { azureSubscription: c, scriptType: bash, scriptLocation: inlineScript, inlineScript: ls } } }, workingDirectory: infra }, { native: { azure: { checkout: self } }, workingDirectory: src }]`;
    const out = azure(ir(`${head}stages: [{ name: build, jobs: [{ name: b, steps: ${steps} }] }]\n`));
    expect(checkers.azure(out)).toEqual([]);
    const yaml = parse(out.files.find((f) => f.kind === "azure.PipelineYaml")!.content);
    expect(yaml.stages[0].jobs[0].steps).toEqual([
      {
        task: "AzureCLI@2",
        inputs: { azureSubscription: "c", scriptType: "bash", scriptLocation: "inlineScript", inlineScript: "ls", workingDirectory: "infra" },
      },
      { checkout: "self" },
    ]);
    expect(out.diagnostics.filter((d) => d.code === "PG-ADO-STEP-WORKDIR").map((d) => d.path)).toEqual([
      "/stages/0/jobs/0/steps/0/workingDirectory",
      "/stages/0/jobs/0/steps/1/workingDirectory",
    ]);
  });

  it("aws: a variable description that spans lines is written on one line (CodePipeline's .* stops at a line break)", () => {
    const out = aws(
      ir(
        `${head}variables: { REGION: { default: eu-west-1, description: "where\\nit deploys" } }\nstages: [{ name: build, jobs: [{ name: b, steps: [{ run: make }] }] }]\n`,
      ),
    );
    expect(checkers.aws(out)).toEqual([]);
    const p = JSON.parse(out.files.find((f) => f.kind === "codepipeline.CreatePipelineInput")!.content);
    expect(p.pipeline.variables).toEqual([{ name: "REGION", defaultValue: "eu-west-1", description: "where it deploys" }]);
  });

  it("aws: a variable default that spans lines is refused with an error at the variable", () => {
    const out = aws(ir(`${head}variables: { MSG: "two\\nlines" }\nstages: [{ name: build, jobs: [{ name: b, steps: [{ run: make }] }] }]\n`));
    expect(out.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.path])).toEqual([["PG-AWS-LIMIT", "/variables/MSG"]]);
  });

  it("gcp: with manual: false and no event trigger, the build is still written as a manual trigger (the only resource that holds it)", () => {
    const out = gcp(
      ir(`${head}triggers: { manual: false, schedules: [{ cron: "0 3 * * *" }] }\nstages: [{ name: build, jobs: [{ name: b, steps: [{ run: make }] }] }]\n`),
    );
    expect(checkers.gcp(out)).toEqual([]);
    const triggers = out.files.filter((f) => f.kind === "cloudbuild.BuildTrigger").map((f) => JSON.parse(f.content));
    expect(triggers.map((t) => [t.name, t.sourceToBuild?.ref])).toEqual([["app-manual", "refs/heads/main"]]);
    expect(out.diagnostics.map((d) => d.code)).toContain("PG-GCB-MANUAL");
  });
});
