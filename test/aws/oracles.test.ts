/**
 * Every golden case's compiled AWS output (the examples and the per-feature pairs,
 * test/runner/golden.ts) against the vendors' own definitions: botocore's
 * CodePipeline and CodeBuild API models, the CloudFormation registry schema for
 * AWS::CodePipeline::Pipeline, and CodePipeline's structural rules. Each validator is also shown
 * to reject a deliberately broken input.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { compile } from "@pipeglot/aws";
import { ORACLES, sharedSuite } from "../helpers/paths.js";
import { goldenCases, loadIr } from "../runner/golden.js";
import { loadModel, validateShape } from "./botocore.js";
import { structureProblems } from "./structure.js";

sharedSuite("AWS output conforms to the vendor oracles (botocore models, CloudFormation schema)", async () => {
  const cp = loadModel(join(ORACLES, "aws/botocore/codepipeline-2015-07-09.service-2.json"));
  const cb = loadModel(join(ORACLES, "aws/botocore/codebuild-2016-10-06.service-2.json"));
  const schema = JSON.parse(readFileSync(join(ORACLES, "aws/cloudformation/AWS_CodePipeline_Pipeline.json"), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true });
  const cfnPipeline = ajv.compile(schema);
  const outputs = await Promise.all(goldenCases("aws").map(async (c) => ({ name: c.name, out: compile(await loadIr(c.file)) })));
  const file = (o: (typeof outputs)[number], kind: string) => o.out.files.filter((f) => f.kind === kind);

  for (const o of outputs) {
    describe(o.name, () => {
      it("pipeline.json is a valid CreatePipelineInput (botocore) and follows CodePipeline's structure rules", () => {
        const input = JSON.parse(file(o, "codepipeline.CreatePipelineInput")[0]!.content);
        expect(validateShape(cp, "CreatePipelineInput", input)).toEqual([]);
        expect(structureProblems(input.pipeline)).toEqual([]);
      });
      it("every codebuild/*.json is a valid CreateProjectInput (botocore) whose buildspec equals its .buildspec.yml", () => {
        const projects = file(o, "codebuild.CreateProjectInput");
        expect(projects.length).toBeGreaterThan(0);
        for (const f of projects) {
          const p = JSON.parse(f.content);
          expect(validateShape(cb, "CreateProjectInput", p), f.path).toEqual([]);
          const spec = o.out.files.find((x) => x.path === f.path.replace(/\.json$/, ".buildspec.yml"))!;
          expect(p.source.buildspec).toBe(spec.content);
          const bs = parse(spec.content);
          expect(bs.version).toBe(0.2);
          expect(Object.keys(bs.phases).every((k) => ["install", "pre_build", "build", "post_build"].includes(k))).toBe(true);
        }
      });
      it("transitions.json entries are valid DisableStageTransitionInput parts (botocore)", () => {
        const input = JSON.parse(file(o, "codepipeline.CreatePipelineInput")[0]!.content);
        for (const f of file(o, "codepipeline.Transitions"))
          for (const t of JSON.parse(f.content)) {
            expect(t.enabled).toBe(false);
            expect(
              validateShape(cp, "DisableStageTransitionInput", {
                pipelineName: input.pipeline.name,
                stageName: t.stageName,
                transitionType: "Inbound",
                reason: t.reason,
              }),
            ).toEqual([]);
            expect(input.pipeline.stages.map((s: { name: string }) => s.name)).toContain(t.stageName);
          }
      });
      it("cloudformation.yaml's pipeline passes the CloudFormation schema, and its projects the CodeBuild model", () => {
        const t = parse(file(o, "cloudformation.Template")[0]!.content);
        const pipes = Object.values(t.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).filter(
          (r) => r.Type === "AWS::CodePipeline::Pipeline",
        );
        expect(pipes).toHaveLength(1);
        const ok = cfnPipeline(pipes[0]!.Properties);
        expect(cfnPipeline.errors ?? [], JSON.stringify(cfnPipeline.errors)).toEqual([]);
        expect(ok).toBe(true);
        const n = Object.values(t.Resources as Record<string, { Type: string }>).filter((r) => r.Type === "AWS::CodeBuild::Project").length;
        expect(n).toBe(file(o, "codebuild.CreateProjectInput").length);
      });
    });
  }

  describe("the validators reject broken input", () => {
    const base = () =>
      JSON.parse(
        file(
          outputs.find((o) => o.name === "example:node-webapp")!,
          "codepipeline.CreatePipelineInput",
        )[0]!.content,
      );
    it("botocore: unknown member, missing required member, pattern, enum, min/max", () => {
      const a = base();
      a.pipeline.stages[1].actions[0].colour = "red";
      expect(validateShape(cp, "CreatePipelineInput", a).join("\n")).toMatch(/unknown member/);
      const b = base();
      delete b.pipeline.roleArn;
      expect(validateShape(cp, "CreatePipelineInput", b).join("\n")).toMatch(/missing required member roleArn/);
      const c = base();
      c.pipeline.stages[1].name = "bad name!";
      expect(validateShape(cp, "CreatePipelineInput", c).join("\n")).toMatch(/does not match/);
      const d = base();
      d.pipeline.executionMode = "LIFO";
      expect(validateShape(cp, "CreatePipelineInput", d).join("\n")).toMatch(/not one of/);
      const e = base();
      e.pipeline.stages[1].actions[0].runOrder = 0;
      expect(validateShape(cp, "CreatePipelineInput", e).join("\n")).toMatch(/< min 1/);
      const f = base();
      f.pipeline.stages[1].actions[0].configuration.ProjectName = "x".repeat(1001);
      expect(validateShape(cp, "CreatePipelineInput", f).join("\n")).toMatch(/> max 1000/);
      const g = JSON.parse(file(outputs[0]!, "codebuild.CreateProjectInput")[0]!.content);
      g.environment.computeType = "HUGE";
      g.timeoutInMinutes = 3;
      const problems = validateShape(cb, "CreateProjectInput", g).join("\n");
      expect(problems).toMatch(/HUGE/);
      expect(problems).toMatch(/< min 5/);
    });
    it("CloudFormation schema: unknown property and bad RoleArn", () => {
      const t = parse(file(outputs[0]!, "cloudformation.Template")[0]!.content);
      const props = structuredClone(t.Resources.Pipeline.Properties);
      props.Stages[0].Colour = "red";
      expect(cfnPipeline(props)).toBe(false);
      const p2 = structuredClone(t.Resources.Pipeline.Properties);
      p2.RoleArn = "not-an-arn";
      expect(cfnPipeline(p2)).toBe(false);
    });
    it("structure rules: one stage, source outside the first stage, duplicates, dangling input", () => {
      const a = base();
      a.pipeline.stages = a.pipeline.stages.slice(0, 1);
      expect(structureProblems(a.pipeline).join("\n")).toMatch(/at least two stages/);
      const b = base();
      b.pipeline.stages[1].actions.push(structuredClone(b.pipeline.stages[0].actions[0]));
      expect(structureProblems(b.pipeline).join("\n")).toMatch(/source action Source outside the first stage/);
      const c = base();
      c.pipeline.stages[2].name = c.pipeline.stages[1].name;
      expect(structureProblems(c.pipeline).join("\n")).toMatch(/duplicate stage name/);
      const d = base();
      d.pipeline.stages[1].actions[1].name = d.pipeline.stages[1].actions[0].name;
      expect(structureProblems(d.pipeline).join("\n")).toMatch(/duplicate action name/);
      const e = base();
      e.pipeline.stages[1].actions[0].inputArtifacts.push({ name: "web-dist" });
      expect(structureProblems(e.pipeline).join("\n")).toMatch(/web-dist .* is not produced by an earlier action/);
      const f = base();
      f.pipeline.stages[2].actions[0].outputArtifacts = [{ name: "source" }];
      expect(structureProblems(f.pipeline).join("\n")).toMatch(/not unique/);
    });
  });
});
