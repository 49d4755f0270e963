/**
 * Request validation against botocore's service-2.json models (../shared/oracles/aws/botocore),
 * seen through the real SDK: a bad request gets the error AWS answers with, as a typed error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  DisableStageTransitionCommand,
  GetPipelineCommand,
  ListPipelinesCommand,
  ValidationException,
  type PipelineDeclaration,
} from "@aws-sdk/client-codepipeline";
import { CodeBuildClient, CreateProjectCommand } from "@aws-sdk/client-codebuild";
import { ShapeValidator, emulateCommand, findServiceModel, startEmulators, validationMessage, type Emulators } from "@pipeglot/emulators";
import { sharedOrSkip } from "../helpers/paths.js";
import { BOTOCORE_DIR, codeBuild, codePipeline, errorName, pipeline, rejection } from "./fixtures.js";

const HAVE_MODELS = sharedOrSkip("botocore-validated emulator tests");

describe.runIf(HAVE_MODELS)("botocore shape validator", () => {
  const cp = (): ShapeValidator => ShapeValidator.fromFile(findServiceModel(BOTOCORE_DIR, "codepipeline", "2015-07-09")!);

  it("accepts a valid pipeline and reports each broken constraint in AWS's wording", () => {
    const v = cp();
    expect(v.targetPrefix).toBe("CodePipeline_20150709");
    expect(v.validateInput("CreatePipeline", { pipeline: pipeline("ok") as never })).toEqual([]);
    const bad: Partial<PipelineDeclaration> = pipeline("bad name!");
    delete bad.roleArn;
    const problems = v.validateInput("CreatePipeline", { pipeline: bad as never });
    expect(problems.map((p) => p.path).sort()).toEqual(["pipeline.name", "pipeline.roleArn"]);
    expect(validationMessage(problems)).toMatch(/^2 validation errors detected: /);
    expect(problems.find((p) => p.path === "pipeline.name")?.message).toBe(
      "Value 'bad name!' at 'pipeline.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+",
    );
    expect(problems.find((p) => p.path === "pipeline.roleArn")?.message).toBe(
      "Value null at 'pipeline.roleArn' failed to satisfy constraint: Member must not be null",
    );
  });

  it("checks nested lists, enums, numbers and types", () => {
    const v = cp();
    const p = pipeline("nested");
    p.stages![1].actions![0].actionTypeId!.category = "Compile" as never;
    p.stages![1].actions![0].runOrder = 1000;
    const problems = v.validateInput("CreatePipeline", { pipeline: p as never });
    expect(problems.map((x) => x.path)).toEqual([
      "pipeline.stages.2.member.actions.1.member.actionTypeId.category",
      "pipeline.stages.2.member.actions.1.member.runOrder",
    ]);
    expect(problems[0].message).toContain("Member must satisfy enum value set: [Source, Build, Deploy, Test, Invoke, Approval, Compute]");
    expect(problems[1].message).toContain("Member must have value less than or equal to 999");
    expect(v.validateInput("GetPipeline", { name: "x", version: "two" })).toEqual([expect.objectContaining({ kind: "serialization", path: "version" })]);
  });
});

describe.runIf(HAVE_MODELS)("AWS emulator with botocore validation", () => {
  let emu: Emulators;
  let cp: CodePipelineClient;
  let cb: CodeBuildClient;

  beforeAll(async () => {
    emu = await startEmulators({ providers: ["aws"], botocoreDir: BOTOCORE_DIR });
    cp = codePipeline(emu.endpoints.aws!);
    cb = codeBuild(emu.endpoints.aws!);
  });
  afterAll(async () => {
    cp.destroy();
    cb.destroy();
    await emu.close();
  });

  it("is validating", () => {
    expect(emu.aws.validating).toBe(true);
  });

  it("a valid pipeline passes; a broken one is a ValidationException with the constraint", async () => {
    await cp.send(new CreatePipelineCommand({ pipeline: pipeline("valid") }));
    const bad: PipelineDeclaration = { ...pipeline("x"), name: "has space", roleArn: "not-an-arn" };
    const err = await rejection(cp.send(new CreatePipelineCommand({ pipeline: bad })));
    expect(err).toBeInstanceOf(ValidationException);
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toMatch(/^2 validation errors detected: /);
    expect(err.message).toContain("at 'pipeline.name' failed to satisfy constraint: Member must satisfy regular expression pattern");
    expect(err.message).toContain("at 'pipeline.roleArn'");
    expect(emu.aws.state().pipelines.map((p) => p.name)).toEqual(["valid"]);
  });

  it("lengths, enums and patterns of other operations", async () => {
    expect(await errorName(cp.send(new GetPipelineCommand({ name: "x".repeat(101) })))).toBe("ValidationException");
    expect(await errorName(cp.send(new ListPipelinesCommand({ maxResults: 0 })))).toBe("ValidationException");
    // The reason pattern rejects ':' (a real constraint people hit).
    const reason = await rejection(
      cp.send(new DisableStageTransitionCommand({ pipelineName: "valid", stageName: "Build", transitionType: "Inbound", reason: "freeze: Q4" })),
    );
    expect(reason.name).toBe("ValidationException");
    expect(reason.message).toContain("at 'reason'");
    const type = await rejection(
      cp.send(new DisableStageTransitionCommand({ pipelineName: "valid", stageName: "Build", transitionType: "Sideways" as never, reason: "freeze" })),
    );
    expect(type.message).toContain("Member must satisfy enum value set: [Inbound, Outbound]");
  });

  it("CodeBuild inputs are validated against the CodeBuild model", async () => {
    const err = await rejection(
      cb.send(
        new CreateProjectCommand({
          name: "-starts-with-dash",
          source: { type: "NO_SOURCE", buildspec: "version: 0.2" },
          artifacts: { type: "NO_ARTIFACTS" },
          environment: { type: "LINUX_CONTAINER", image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_SMALL" },
          serviceRole: "arn:aws:iam::123456789012:role/cb",
          timeoutInMinutes: 3,
        }),
      ),
    );
    expect(err.name).toBe("ValidationException");
    expect(err.message).toContain("at 'name'");
    expect(err.message).toContain("at 'timeoutInMinutes' failed to satisfy constraint: Member must have value greater than or equal to 5");
    expect(await errorName(cb.send(new CreateProjectCommand({ name: "no-env" } as never)))).toBe("ValidationException");
  });
});

describe.runIf(HAVE_MODELS)("pipeglot emulate with PIPEGLOT_BOTOCORE_DIR", () => {
  it("turns validation on from the env", async () => {
    const { text, emulators } = await emulateCommand({ providers: "aws" }, { PIPEGLOT_BOTOCORE_DIR: BOTOCORE_DIR });
    try {
      expect(text).toContain("botocore validation on");
      expect(emulators.aws.validating).toBe(true);
    } finally {
      await emulators.close();
    }
  });
});
