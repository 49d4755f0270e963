/**
 * Real-world shapes, from hand-made files under test/fixtures/aws/realworld (issue 12):
 *   - get-pipeline JSON with SourceArtifact/BuildArtifact and passed-through deploy actions: native →
 *     import → compile to AWS keeps every artifact name and reference of the original;
 *   - a CloudFormation template with !Ref/!GetAtt/!Sub/!Join for roles and buckets, and booleans and
 *     numbers in action configurations: pipeline.json gets valid placeholders (with positioned
 *     warnings) and strings, cloudformation.yaml gets parameters / !Sub, and importing that
 *     template again gives the same references back;
 *   - a buildspec.yml alone;
 *   - artifact names AWS rejects (a matrix job's artifact, spaces, `$(...)`, dots).
 * Structure rules are checked here; the vendor oracles (botocore, CloudFormation schema) in the
 * second suite.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { denormalize, validate, type PipelineIR } from "@pipeglot/schema";
import { toYaml, translate, type NativeFile, type ProviderOutput } from "@pipeglot/core";
import { compile, importFiles, provider as aws } from "@pipeglot/aws";
import { REPO, sharedSuite } from "../helpers/paths.js";
import { conformanceCheckers } from "../conformance/index.js";
import { structureProblems } from "./structure.js";
import { cfnPipelineSchema, cfnTemplateProblems } from "./cloudformation.js";

const FIX = join(REPO, "test/fixtures/aws/realworld");
const files = (...names: string[]): NativeFile[] => names.map((n) => ({ path: join(FIX, n), content: readFileSync(join(FIX, n), "utf8") }));
const ARTIFACT = /^[a-zA-Z0-9_-]{1,100}$/;

interface Action {
  name: string;
  actionTypeId: { category: string; version: unknown };
  configuration?: Record<string, unknown>;
  inputArtifacts?: { name: string }[];
  outputArtifacts?: { name: string }[];
  roleArn?: string;
}
interface Declaration {
  roleArn: string;
  artifactStore: { location: string };
  stages: { name: string; actions: Action[] }[];
}

/** stage/action → its input and output artifact names. */
function artifactLists(p: Declaration): Record<string, { in: string[]; out: string[] }> {
  return Object.fromEntries(
    p.stages.flatMap((s) =>
      s.actions.map((a) => [`${s.name}/${a.name}`, { in: (a.inputArtifacts ?? []).map((x) => x.name), out: (a.outputArtifacts ?? []).map((x) => x.name) }]),
    ),
  );
}
const pipelineOf = (out: ProviderOutput): Declaration => JSON.parse(out.files.find((f) => f.path === "pipeline.json")!.content).pipeline;
const templateOf = (out: ProviderOutput) => parse(out.files.find((f) => f.path === "cloudformation.yaml")!.content);
const action = (p: Declaration, stage: string, name: string): Action => p.stages.find((s) => s.name === stage)!.actions.find((a) => a.name === name)!;
const errors = (ds: { severity: string }[]) => ds.filter((d) => d.severity === "error");

function importValid(given: NativeFile[]): PipelineIR {
  const r = importFiles(given);
  expect(errors(r.diagnostics)).toEqual([]);
  expect(errors(validate(toYaml(denormalize(r.pipeline!))).diagnostics)).toEqual([]);
  return r.pipeline!;
}

const ORIGINAL = JSON.parse(readFileSync(join(FIX, "get-pipeline.json"), "utf8")).pipeline as Declaration;

describe("AWS real-world shapes (hand-made files)", () => {
  describe("get-pipeline JSON: SourceArtifact → CodeBuild → BuildArtifact → CloudFormation + CodeDeploy", () => {
    for (const given of [["get-pipeline.json", "projects.json"], ["get-pipeline.json"]]) {
      it(`${given.join(" + ")}: every artifact keeps its name, producer and consumers`, () => {
        const out = compile(importValid(files(...given)));
        const p = pipelineOf(out);
        expect(structureProblems(p)).toEqual([]);
        // Written out by hand from get-pipeline.json.
        expect(artifactLists(p)).toEqual({
          "Source/Source": { in: [], out: ["SourceArtifact"] },
          "Build/Build": { in: ["SourceArtifact"], out: ["BuildArtifact"] },
          "Build/UnitTest": { in: ["SourceArtifact"], out: [] },
          "Deploy/CreateChangeSet": { in: ["BuildArtifact", "SourceArtifact"], out: ["ChangeSetOutput"] },
          "Deploy/DeployToFleet": { in: ["BuildArtifact"], out: [] },
        });
        expect(artifactLists(p)).toEqual(artifactLists(ORIGINAL));
        // Passed-through actions are the original ones.
        for (const [s, a] of [
          ["Deploy", "CreateChangeSet"],
          ["Deploy", "DeployToFleet"],
          ["Build", "UnitTest"],
        ] as const)
          expect(action(p, s, a).configuration).toEqual(action(ORIGINAL, s, a).configuration);
        // The CodeBuild project keeps its name (the compiled pipeline updates the project that exists).
        expect(action(p, "Build", "Build").configuration!.ProjectName).toBe("orders-build");
        if (given.length === 2) expect(out.files.map((f) => f.path)).toContain("codebuild/orders-build.json");
        // The CodeBuild action's variable namespace (later actions may read #{BuildVariables.X}) stays.
        expect((action(p, "Build", "Build") as Action & { namespace?: string }).namespace).toBe("BuildVariables");
        expect(p.roleArn).toBe(ORIGINAL.roleArn);
        expect(p.artifactStore.location).toBe(ORIGINAL.artifactStore.location);
      });
    }
    it("what compile wrote (pipeline.json + codebuild/*.json, or cloudformation.yaml) imports back to the same output", () => {
      const out = compile(importValid(files("get-pipeline.json", "projects.json")));
      for (const kinds of [["codepipeline.CreatePipelineInput", "codebuild.CreateProjectInput"], ["cloudformation.Template"]]) {
        const back = importValid(out.files.filter((f) => kinds.includes(f.kind)).map((f) => ({ path: f.path, content: f.content })));
        expect(compile(back).files).toEqual(out.files);
      }
    });
    it("translate --from aws --to aws writes the same pipeline as import + compile", () => {
      const given = files("get-pipeline.json", "projects.json");
      const r = translate(given, aws, [aws]);
      expect(errors(r.importDiagnostics)).toEqual([]);
      expect(r.targets[0]!.output.files).toEqual(compile(importValid(given)).files);
    });
  });

  describe("CloudFormation with !Ref/!GetAtt/!Sub/!Join for roles and buckets", () => {
    const given = files("template.yaml");
    const text = given[0]!.content;
    const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
    const ir = importValid(given);
    const out = compile(ir);
    const p = pipelineOf(out);

    it("resolves what a deploy with defaults would: parameter defaults, !FindInMap (first allowed value of a parameter without default)", () => {
      expect(ir.source).toEqual({ repository: "acme/orders-service", branch: "main" });
    });
    it("the IR carries each unresolved reference as Fn::Sub text", () => {
      expect(ir.targets.aws).toEqual({
        roleArn: "${CodePipelineServiceRole.Arn}",
        codebuildRoleArn: "${CodeBuildRole.Arn}",
        artifactBucket: "${ArtifactBucket}",
        connectionArn: "${ConnectionArn}",
      });
    });
    it("pipeline.json holds valid, marked placeholders, each with a warning at its place in the template", () => {
      expect(structureProblems(p)).toEqual([]);
      expect(p.roleArn).toMatch(/^arn:aws:iam::[0-9]{12}:role\/PIPEGLOT-PLACEHOLDER-/);
      expect(p.artifactStore.location).toMatch(/^pipeglot-placeholder-[a-z0-9-]+$/);
      expect(action(p, "Deploy", "ExecuteChangeSet").roleArn).toMatch(/^arn:aws:iam::[0-9]{12}:role\/PIPEGLOT-PLACEHOLDER-/);
      // Pseudo parameters take the account and region of the targets (placeholder account here).
      expect(action(p, "Deploy", "CreateChangeSet").configuration!.RoleArn).toBe("arn:aws:iam::000000000000:role/cfn-deploy");
      expect(JSON.stringify(p)).not.toContain("${");
      const r = translate(given, aws, [aws]);
      const refs = r.targets[0]!.output.diagnostics.filter((d) => d.code === "PG-AWS-CFN-REFERENCE");
      const at = (path: string) => refs.find((d) => d.path === path);
      expect(at("/targets/aws/roleArn")).toMatchObject({
        severity: "warning",
        file: given[0]!.path,
        line: lineOf("RoleArn: !GetAtt CodePipelineServiceRole.Arn"),
      });
      expect(at("/targets/aws/artifactBucket")).toMatchObject({ file: given[0]!.path, line: lineOf("Location: !Ref ArtifactBucket") });
      expect(at("/targets/aws/connectionArn")).toMatchObject({ line: lineOf("ConnectionArn: !Ref ConnectionArn") });
      expect(at("/stages/1/jobs/1/native/aws/action/roleArn")).toMatchObject({ line: lineOf("- Name: ExecuteChangeSet") });
    });
    it("configuration booleans and numbers are strings, and action type versions too", () => {
      expect(action(p, "Build", "IntegrationTests").configuration).toEqual({
        ProjectName: "orders-integration-tests",
        BatchEnabled: "true",
        CombineArtifacts: "false",
      });
      expect(action(p, "Deploy", "Notify").configuration).toEqual({ FunctionName: "orders-notify", UserParameters: "42" });
      for (const s of p.stages) for (const a of s.actions) expect(a.actionTypeId.version, `${s.name}/${a.name}`).toBe("1");
    });
    it("cloudformation.yaml keeps the references: parameters for resources, !Sub for pseudo parameters", () => {
      const t = templateOf(out);
      const props = t.Resources.Pipeline.Properties;
      const param = (v: { Ref: string }) => t.Metadata.pipeglot.references[v.Ref];
      expect(param(props.RoleArn)).toBe("${CodePipelineServiceRole.Arn}");
      expect(param(props.ArtifactStore.Location)).toBe("${ArtifactBucket}");
      expect(t.Parameters[props.RoleArn.Ref]).toMatchObject({ Type: "String", Default: p.roleArn });
      const deploy = props.Stages.find((s: { Name: string }) => s.Name === "Deploy").Actions;
      expect(deploy[0].Configuration.RoleArn).toEqual({ "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:role/cfn-deploy" });
      expect(deploy[0].Configuration.StackName).toEqual({ "Fn::Sub": "${AWS::StackName}-app" });
      expect(param(deploy[1].Configuration.RoleArn)).toBe("arn:aws:iam::${ProdAccount}:role/cfn-deploy");
      expect(deploy[1].Configuration.RoleArn.Ref).toBe("ProdAccountRoleArn");
    });
    it("a repository from a parameter without default: a placeholder in pipeline.json, !Ref in the template", () => {
      const noDefault = [{ path: given[0]!.path, content: text.replace("    Default: acme/orders-service\n", "") }];
      expect(noDefault[0]!.content).not.toBe(text);
      const o = compile(importValid(noDefault));
      expect(action(pipelineOf(o), "Source", "Source").configuration!.FullRepositoryId).toBe("PIPEGLOT-PLACEHOLDER-GitHubRepo");
      expect(o.diagnostics.find((d) => d.code === "PG-AWS-CFN-REFERENCE" && d.path === "/source/repository")).toBeDefined();
      const t = templateOf(o);
      expect(t.Resources.Pipeline.Properties.Stages[0].Actions[0].Configuration.FullRepositoryId).toEqual({ Ref: "GitHubRepo" });
      expect(t.Metadata.pipeglot.references.GitHubRepo).toBe("${GitHubRepo}");
    });
    it("importing the compiled cloudformation.yaml gives the same IR again", () => {
      const back = importValid(out.files.filter((f) => f.path === "cloudformation.yaml").map((f) => ({ path: f.path, content: f.content })));
      expect(back).toEqual(ir);
    });
  });

  it("a buildspec.yml alone compiles to a valid pipeline", () => {
    const p = pipelineOf(compile(importValid(files("buildspec.yml"))));
    expect(structureProblems(p)).toEqual([]);
  });

  describe("artifact names AWS rejects", () => {
    const doc = `pipeglot: 1
name: names
source: { repository: acme/names, branch: main }
stages:
  - name: build
    jobs:
      - name: compile
        matrix: { os: [linux, windows, macos] }
        steps: [{ run: make }]
        artifacts: { produce: [{ name: drop, paths: [out/**] }] }
      - name: spec
        steps: [{ run: make spec }]
        artifacts: { produce: [{ name: openapi.spec, paths: [spec/**] }, { name: nrftc, paths: [nrftc/**] }] }
  - name: publish
    jobs:
      - name: upload
        steps: [{ run: ./upload.sh }]
        artifacts: { consume: [drop, openapi.spec, nrftc] }
`;
    const valid = validate(doc).ir!;
    // The names an Azure import gives before any repair: spaces and $(...).
    const raw = structuredClone(valid);
    raw.stages[0]!.jobs[1]!.produces[0]!.name = "OpenAPI Spec";
    raw.stages[0]!.jobs[1]!.produces[1]!.name = "nrftc-$(Agent.OS)";
    raw.stages[1]!.jobs[0]!.consumes = ["drop", "OpenAPI Spec", "nrftc-$(Agent.OS)"];
    for (const [what, ir] of [
      ["valid definition", valid],
      ["names from an Azure import", raw],
    ] as const)
      it(`${what}: one artifact per matrix cell, legal unique names, consumers get every one`, () => {
        const out = compile(ir);
        const p = pipelineOf(out);
        expect(structureProblems(p)).toEqual([]);
        const lists = artifactLists(p);
        const outs = Object.values(lists).flatMap((l) => l.out);
        for (const n of outs) expect(n).toMatch(ARTIFACT);
        expect(new Set(outs).size).toBe(outs.length);
        expect(lists["build/compile-linux"]!.out).toEqual(["drop-linux"]);
        expect(lists["build/compile-windows"]!.out).toEqual(["drop-windows"]);
        expect(lists["build/compile-macos"]!.out).toEqual(["drop-macos"]);
        const spec = what === "valid definition" ? ["openapi_spec", "nrftc"] : ["OpenAPI_Spec", "nrftc-_Agent_OS_"];
        expect(lists["build/spec"]!.out).toEqual(spec);
        expect(lists["publish/upload"]!.in).toEqual(["source", "drop-linux", "drop-windows", "drop-macos", ...spec]);
        const renamed = out.diagnostics.filter((d) => d.code === "PG-AWS-NAME-CHANGED").map((d) => d.path);
        expect(renamed).toEqual(expect.arrayContaining(["/stages/0/jobs/0/artifacts/produce/0/name", "/stages/0/jobs/1/artifacts/produce/0/name"]));
      });
  });
});

sharedSuite("AWS real-world shapes pass the vendor oracles (botocore, CloudFormation schema)", () => {
  const check = conformanceCheckers().aws;
  const schema = cfnPipelineSchema();
  const cases: [string, () => PipelineIR][] = [
    ["get-pipeline.json + projects.json", () => importValid(files("get-pipeline.json", "projects.json"))],
    ["get-pipeline.json", () => importValid(files("get-pipeline.json"))],
    ["template.yaml", () => importValid(files("template.yaml"))],
    ["buildspec.yml", () => importValid(files("buildspec.yml"))],
  ];
  for (const [name, ir] of cases)
    it(name, () => {
      const out = compile(ir());
      expect(check(out)).toEqual([]);
      expect(cfnTemplateProblems(out.files.find((f) => f.path === "cloudformation.yaml")!.content, schema)).toEqual([]);
    });
  it("the CloudFormation check rejects a reference to nothing and a literal ${...} role", () => {
    const out = compile(importValid(files("template.yaml")));
    const text = out.files.find((f) => f.path === "cloudformation.yaml")!.content;
    expect(cfnTemplateProblems(text.replace(/Ref: CodePipelineServiceRoleArn/, "Ref: Nowhere"), schema).join("\n")).toMatch(/refers to Nowhere/);
    const literal = text.replace(/RoleArn:\n\s+Ref: CodePipelineServiceRoleArn/, 'RoleArn: "${CodePipelineServiceRole.Arn}"');
    expect(literal).not.toBe(text);
    expect(cfnTemplateProblems(literal, schema).join("\n")).toMatch(/RoleArn/);
  });
});
