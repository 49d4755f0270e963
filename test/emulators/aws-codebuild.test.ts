/** The CodeBuild emulator (projects) through the real @aws-sdk/client-codebuild. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BatchGetProjectsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  DeleteProjectCommand,
  ListProjectsCommand,
  ResourceAlreadyExistsException,
  UpdateProjectCommand,
  type CreateProjectCommandInput,
} from "@aws-sdk/client-codebuild";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { codeBuild, errorName } from "./fixtures.js";

function project(name: string): CreateProjectCommandInput {
  return {
    name,
    source: { type: "CODEPIPELINE", buildspec: "version: 0.2\nphases:\n  build:\n    commands: [npm test]\n" },
    artifacts: { type: "CODEPIPELINE" },
    environment: { type: "LINUX_CONTAINER", image: "aws/codebuild/standard:7.0", computeType: "BUILD_GENERAL1_SMALL" },
    serviceRole: "arn:aws:iam::123456789012:role/pipeglot-codebuild",
    tags: [{ key: "pipeglot:managed-by", value: "pipeglot" }],
  };
}

describe("CodeBuild emulator", () => {
  let emu: Emulators;
  let cb: CodeBuildClient;
  const clock = { t: Date.parse("2026-03-01T00:00:00Z") };

  beforeAll(async () => {
    emu = await startEmulators({ providers: ["aws"], region: "eu-west-1", accountId: "210987654321", now: () => new Date((clock.t += 60_000)) });
    cb = codeBuild(emu.endpoints.aws!);
  });
  afterAll(async () => {
    cb.destroy();
    await emu.close();
  });

  it("create → batch get → update → list → delete", async () => {
    const created = await cb.send(new CreateProjectCommand(project("pg-shop-build-test")));
    expect(created.project?.arn).toBe("arn:aws:codebuild:eu-west-1:210987654321:project/pg-shop-build-test");
    expect(created.project?.created).toBeInstanceOf(Date);
    expect(created.project?.timeoutInMinutes).toBe(60); // server-filled defaults
    expect(created.project?.queuedTimeoutInMinutes).toBe(480);
    expect(created.project?.environment?.imagePullCredentialsType).toBe("CODEBUILD");
    expect(created.project?.badge?.badgeEnabled).toBe(false);

    await cb.send(new CreateProjectCommand(project("pg-shop-build-lint")));
    const batch = await cb.send(
      new BatchGetProjectsCommand({ names: ["pg-shop-build-test", "arn:aws:codebuild:eu-west-1:210987654321:project/pg-shop-build-lint", "missing"] }),
    );
    expect(batch.projects?.map((p) => p.name)).toEqual(["pg-shop-build-test", "pg-shop-build-lint"]);
    expect(batch.projectsNotFound).toEqual(["missing"]);

    const updated = await cb.send(new UpdateProjectCommand({ name: "pg-shop-build-test", timeoutInMinutes: 20, description: "tests" }));
    expect(updated.project?.timeoutInMinutes).toBe(20);
    expect(updated.project?.description).toBe("tests");
    expect(updated.project?.source?.type).toBe("CODEPIPELINE"); // untouched members stay
    expect(updated.project!.lastModified!.getTime()).toBeGreaterThan(updated.project!.created!.getTime());

    expect((await cb.send(new ListProjectsCommand({}))).projects).toEqual(["pg-shop-build-lint", "pg-shop-build-test"]);
    expect((await cb.send(new ListProjectsCommand({ sortBy: "LAST_MODIFIED_TIME", sortOrder: "DESCENDING" }))).projects).toEqual([
      "pg-shop-build-test",
      "pg-shop-build-lint",
    ]);

    await cb.send(new DeleteProjectCommand({ name: "pg-shop-build-lint" }));
    await cb.send(new DeleteProjectCommand({ name: "pg-shop-build-test" }));
    expect((await cb.send(new ListProjectsCommand({}))).projects).toEqual([]);
  });

  it("typed errors: already exists, not found, invalid input", async () => {
    await cb.send(new CreateProjectCommand(project("dup")));
    const again = await cb.send(new CreateProjectCommand(project("dup"))).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(await errorName(cb.send(new UpdateProjectCommand({ name: "ghost", description: "x" })))).toBe("ResourceNotFoundException");
    expect(
      await errorName(cb.send(new CreateProjectCommand({ ...project("nosrc"), source: { type: "NO_SOURCE" }, artifacts: { type: "NO_ARTIFACTS" } }))),
    ).toBe("InvalidInputException");
    expect(await errorName(cb.send(new CreateProjectCommand({ ...project("mixed"), artifacts: { type: "NO_ARTIFACTS" } })))).toBe("InvalidInputException");
    expect(await errorName(cb.send(new BatchGetProjectsCommand({ names: [] })))).toBe("InvalidInputException");
  });

  it("an out-of-band edit moves lastModified", async () => {
    const before = (await cb.send(new BatchGetProjectsCommand({ names: ["dup"] }))).projects![0];
    emu.aws.mutateProject("dup", (p) => {
      p.description = "edited in the console";
    });
    const after = (await cb.send(new BatchGetProjectsCommand({ names: ["dup"] }))).projects![0];
    expect(after.description).toBe("edited in the console");
    expect(after.lastModified!.getTime()).toBeGreaterThan(before.lastModified!.getTime());
    expect(emu.aws.state().projects.map((p) => p.name)).toEqual(["dup"]);
  });
});
