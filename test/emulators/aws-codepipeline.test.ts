/**
 * The CodePipeline emulator through the real @aws-sdk/client-codepipeline: create → get → update
 * (version bump) → list → tags → delete, transitions, typed errors, out-of-band edits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodePipelineClient,
  CreatePipelineCommand,
  DeletePipelineCommand,
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineCommand,
  GetPipelineStateCommand,
  ListPipelinesCommand,
  ListTagsForResourceCommand,
  PipelineNameInUseException,
  PipelineNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePipelineCommand,
} from "@aws-sdk/client-codepipeline";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { codePipeline, errorName, pipeline } from "./fixtures.js";

describe("CodePipeline emulator (no botocore model)", () => {
  let emu: Emulators;
  let cp: CodePipelineClient;
  const clock = { t: Date.parse("2026-01-01T00:00:00Z") };

  beforeAll(async () => {
    emu = await startEmulators({ providers: ["aws"], now: () => new Date((clock.t += 1000)) });
    cp = codePipeline(emu.endpoints.aws!);
  });
  afterAll(async () => {
    cp.destroy();
    await emu.close();
  });

  it("listens on 127.0.0.1 and validation is off without a model", () => {
    expect(emu.endpoints.aws).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.aws.validating).toBe(false);
  });

  it("create → get → update → list → delete, with version and metadata", async () => {
    const created = await cp.send(new CreatePipelineCommand({ pipeline: pipeline("shop"), tags: [{ key: "pipeglot:managed-by", value: "pipeglot" }] }));
    expect(created.pipeline?.version).toBe(1);
    expect(created.pipeline?.executionMode).toBe("SUPERSEDED"); // server-filled default
    expect(created.tags).toEqual([{ key: "pipeglot:managed-by", value: "pipeglot" }]);

    const got = await cp.send(new GetPipelineCommand({ name: "shop" }));
    expect(got.pipeline?.stages?.map((s) => s.name)).toEqual(["Source", "Build", "Production"]);
    expect(got.metadata?.pipelineArn).toBe("arn:aws:codepipeline:us-east-1:123456789012:shop");
    expect(got.metadata?.created).toBeInstanceOf(Date);
    expect(got.metadata?.created?.toISOString()).toBe(got.metadata?.updated?.toISOString());

    const changed = { ...got.pipeline!, stages: got.pipeline!.stages!.slice(0, 2) };
    const updated = await cp.send(new UpdatePipelineCommand({ pipeline: changed }));
    expect(updated.pipeline?.version).toBe(2);
    const after = await cp.send(new GetPipelineCommand({ name: "shop" }));
    expect(after.pipeline?.version).toBe(2);
    expect(after.pipeline?.stages).toHaveLength(2);
    expect(after.metadata!.updated!.getTime()).toBeGreaterThan(after.metadata!.created!.getTime());
    // Earlier versions stay readable, as in the service.
    const v1 = await cp.send(new GetPipelineCommand({ name: "shop", version: 1 }));
    expect(v1.pipeline?.stages).toHaveLength(3);
    expect(await errorName(cp.send(new GetPipelineCommand({ name: "shop", version: 9 })))).toBe("PipelineVersionNotFoundException");

    await cp.send(new CreatePipelineCommand({ pipeline: pipeline("another") }));
    const list = await cp.send(new ListPipelinesCommand({}));
    expect(list.pipelines?.map((p) => [p.name, p.version, p.pipelineType])).toEqual([
      ["another", 1, "V2"],
      ["shop", 2, "V2"],
    ]);
    const page1 = await cp.send(new ListPipelinesCommand({ maxResults: 1 }));
    expect(page1.pipelines?.map((p) => p.name)).toEqual(["another"]);
    const page2 = await cp.send(new ListPipelinesCommand({ maxResults: 1, nextToken: page1.nextToken }));
    expect(page2.pipelines?.map((p) => p.name)).toEqual(["shop"]);
    expect(page2.nextToken).toBeUndefined();
    expect(await errorName(cp.send(new ListPipelinesCommand({ nextToken: "not-a-token" })))).toBe("InvalidNextTokenException");

    await cp.send(new DeletePipelineCommand({ name: "another" }));
    await cp.send(new DeletePipelineCommand({ name: "shop" }));
    expect((await cp.send(new ListPipelinesCommand({}))).pipelines).toEqual([]);
    const err = await cp.send(new GetPipelineCommand({ name: "shop" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineNotFoundException);
    expect((err as PipelineNotFoundException).$metadata.httpStatusCode).toBe(400);
  });

  it("tags: list, add, replace, remove; unknown ARNs are typed errors", async () => {
    await cp.send(new CreatePipelineCommand({ pipeline: pipeline("tagged"), tags: [{ key: "team", value: "shop" }] }));
    const arn = (await cp.send(new GetPipelineCommand({ name: "tagged" }))).metadata!.pipelineArn!;
    await cp.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: [
          { key: "pipeglot:source-hash", value: "abc" },
          { key: "team", value: "platform" },
        ],
      }),
    );
    let tags = (await cp.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
    expect(tags).toEqual([
      { key: "team", value: "platform" },
      { key: "pipeglot:source-hash", value: "abc" },
    ]);
    await cp.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["team"] }));
    tags = (await cp.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
    expect(tags).toEqual([{ key: "pipeglot:source-hash", value: "abc" }]);
    expect(emu.aws.state().pipelines.find((p) => p.name === "tagged")?.tags).toEqual({ "pipeglot:source-hash": "abc" });

    expect(await errorName(cp.send(new ListTagsForResourceCommand({ resourceArn: "arn:aws:codepipeline:us-east-1:123456789012:nope" })))).toBe(
      "ResourceNotFoundException",
    );
    expect(await errorName(cp.send(new TagResourceCommand({ resourceArn: "not-an-arn", tags: [] })))).toBe("InvalidArnException");
    expect(await errorName(cp.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "aws:reserved", value: "x" }] })))).toBe("InvalidTagsException");
    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(await errorName(cp.send(new TagResourceCommand({ resourceArn: arn, tags: many })))).toBe("TooManyTagsException");
    await cp.send(new DeletePipelineCommand({ name: "tagged" }));
  });

  it("stage transitions: disable with a reason, enable, unknown stage", async () => {
    await cp.send(new CreatePipelineCommand({ pipeline: pipeline("gated") }));
    await cp.send(new DisableStageTransitionCommand({ pipelineName: "gated", stageName: "Production", transitionType: "Inbound", reason: "Release freeze" }));
    let state = await cp.send(new GetPipelineStateCommand({ name: "gated" }));
    expect(state.pipelineVersion).toBe(1);
    const prod = state.stageStates?.find((s) => s.stageName === "Production");
    expect(prod?.inboundTransitionState?.enabled).toBe(false);
    expect(prod?.inboundTransitionState?.disabledReason).toBe("Release freeze");
    expect(prod?.inboundTransitionState?.lastChangedBy).toBe("arn:aws:iam::123456789012:user/AKIATESTEMULATOR");
    expect(prod?.inboundTransitionState?.lastChangedAt).toBeInstanceOf(Date);
    expect(state.stageStates?.find((s) => s.stageName === "Build")?.inboundTransitionState?.enabled).toBe(true);
    expect(state.stageStates?.[0].inboundTransitionState).toBeUndefined(); // nothing flows into the first stage
    expect(state.stageStates?.[1].actionStates?.map((a) => a.actionName)).toEqual(["test"]);

    // A disabled transition survives an UpdatePipeline that keeps the stage.
    const got = await cp.send(new GetPipelineCommand({ name: "gated" }));
    await cp.send(new UpdatePipelineCommand({ pipeline: got.pipeline }));
    state = await cp.send(new GetPipelineStateCommand({ name: "gated" }));
    expect(state.pipelineVersion).toBe(2);
    expect(state.stageStates?.find((s) => s.stageName === "Production")?.inboundTransitionState?.enabled).toBe(false);

    await cp.send(new EnableStageTransitionCommand({ pipelineName: "gated", stageName: "Production", transitionType: "Inbound" }));
    state = await cp.send(new GetPipelineStateCommand({ name: "gated" }));
    const enabled = state.stageStates?.find((s) => s.stageName === "Production")?.inboundTransitionState;
    expect(enabled?.enabled).toBe(true);
    expect(enabled?.disabledReason).toBeUndefined();

    expect(
      await errorName(cp.send(new DisableStageTransitionCommand({ pipelineName: "gated", stageName: "Nope", transitionType: "Inbound", reason: "x" }))),
    ).toBe("StageNotFoundException");
    expect(await errorName(cp.send(new EnableStageTransitionCommand({ pipelineName: "missing", stageName: "Build", transitionType: "Inbound" })))).toBe(
      "PipelineNotFoundException",
    );
    await cp.send(new DeletePipelineCommand({ name: "gated" }));
  });

  it("conflicts and structure errors are the service's typed errors", async () => {
    await cp.send(new CreatePipelineCommand({ pipeline: pipeline("dup") }));
    const again = await cp.send(new CreatePipelineCommand({ pipeline: pipeline("dup") })).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(PipelineNameInUseException);

    const oneStage = { ...pipeline("one"), stages: pipeline("one").stages!.slice(0, 1) };
    expect(await errorName(cp.send(new CreatePipelineCommand({ pipeline: oneStage })))).toBe("InvalidStructureException");
    const orphanInput = pipeline("orphan");
    orphanInput.stages![1].actions![0].inputArtifacts = [{ name: "nowhere" }];
    expect(await errorName(cp.send(new CreatePipelineCommand({ pipeline: orphanInput })))).toBe("InvalidStructureException");
    const sourceLate = pipeline("late");
    sourceLate.stages![1].actions![0].actionTypeId!.category = "Source";
    expect(await errorName(cp.send(new CreatePipelineCommand({ pipeline: sourceLate })))).toBe("InvalidStructureException");
    const dupStage = pipeline("dupstage");
    dupStage.stages![2].name = "Build";
    expect(await errorName(cp.send(new CreatePipelineCommand({ pipeline: dupStage })))).toBe("InvalidStageDeclarationException");
    const dupAction = pipeline("dupaction");
    dupAction.stages![2].actions!.push({ ...dupAction.stages![2].actions![0] });
    expect(await errorName(cp.send(new CreatePipelineCommand({ pipeline: dupAction })))).toBe("InvalidActionDeclarationException");
    expect(await errorName(cp.send(new UpdatePipelineCommand({ pipeline: pipeline("ghost") })))).toBe("PipelineNotFoundException");
    expect(emu.aws.state().pipelines.map((p) => p.name)).toEqual(["dup"]);
    await cp.send(new DeletePipelineCommand({ name: "dup" }));
  });

  it("an out-of-band edit bumps the version and shows in GetPipeline", async () => {
    const created = await cp.send(new CreatePipelineCommand({ pipeline: pipeline("shared") }));
    const seen = created.pipeline!.version!;
    const edited = emu.aws.mutatePipeline("shared", (p) => {
      (p.stages as { name: string }[])[2].name = "Prod";
    });
    expect(edited.version).toBe(seen + 1);
    const got = await cp.send(new GetPipelineCommand({ name: "shared" }));
    expect(got.pipeline?.version).toBe(seen + 1);
    expect(got.pipeline?.stages?.[2].name).toBe("Prod");
    expect(got.metadata!.updated!.getTime()).toBeGreaterThan(got.metadata!.created!.getTime());
    // A sync client that recorded `seen` now detects drift before writing.
    expect(got.pipeline!.version).not.toBe(seen);
    expect(() => emu.aws.mutatePipeline("nope", () => undefined)).toThrow(/nope/);
    await cp.send(new DeletePipelineCommand({ name: "shared" }));
  });

  it("counts requests per operation", () => {
    const counts = emu.aws.counters.snapshot();
    expect(counts["CodePipeline.CreatePipeline"].requests).toBeGreaterThanOrEqual(10);
    expect(counts["CodePipeline.GetPipeline"].ok).toBeGreaterThan(0);
    expect(counts["CodePipeline.GetPipeline"].clientErrors).toBeGreaterThan(0);
    const c = emu.aws.counters.get("CodePipeline.CreatePipeline");
    expect(c.requests).toBe(c.ok + c.clientErrors + c.throttled + c.serverErrors + c.dropped);
  });
});
