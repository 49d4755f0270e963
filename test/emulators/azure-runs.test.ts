/**
 * The Azure DevOps emulator's runs through the real azure-devops-node-api 17 (PipelinesApi,
 * BuildApi) and raw REST where the SDK has no client (approvals): what the service refuses
 * (unknown template parameters, a YAML that is not there, deciding twice), the timeline's record
 * tree, secret variables withheld, runs kept across saveState / loadState.
 */
import * as azdev from "azure-devops-node-api";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { afterEach, describe, expect, it } from "vitest";

const open: Emulators[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

const YAML = `parameters:
  - name: REGION
    type: string
    default: eu
stages:
  - stage: build
    jobs:
      - job: compile
        steps:
          - bash: make
            name: make
  - stage: prod
    displayName: production
    dependsOn: [build]
    jobs:
      - deployment: ship
        displayName: deploy
        environment: live
        strategy:
          runOnce:
            deploy:
              steps:
                - bash: ./ship.sh
                  name: upload
`;
const APPROVAL = "8c6f20a7-a545-4486-9777-f762fafe0d4d";
const AUTH = { authorization: `Basic ${Buffer.from(":t").toString("base64")}`, "content-type": "application/json" };

async function start(clock: { now: number }) {
  const emu = await startEmulators({ providers: ["azure"], now: () => new Date(clock.now), runs: { stepMs: 1000 } });
  open.push(emu);
  const repo = emu.azure.addRepository("p", "app", { files: { "/azure-pipelines.yml": YAML } });
  const web = new azdev.WebApi(emu.azure.organizationUrl, azdev.getPersonalAccessTokenHandler("t"));
  const build = await web.getBuildApi();
  const def = await build.createDefinition(
    {
      name: "app",
      process: { type: 2, yamlFilename: "azure-pipelines.yml" },
      repository: { type: "TfsGit", id: repo.id, name: "app", defaultBranch: "refs/heads/main" },
      queue: { name: "Azure Pipelines" },
    } as never,
    "p",
  );
  const rest = (method: string, path: string, body?: unknown) =>
    fetch(`${emu.azure.organizationUrl}/p/_apis/${path}${path.includes("?") ? "&" : "?"}api-version=7.1`, {
      method,
      headers: AUTH,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  return { emu, web, build, pipelines: await web.getPipelinesApi(), defId: def.id!, rest };
}

describe("Azure DevOps emulator: runs", () => {
  it("refuses what the service refuses: an undeclared template parameter, a branch without the YAML", async () => {
    const s = await start({ now: 0 });
    await expect(s.pipelines.runPipeline({ templateParameters: { NOPE: "x" } }, "p", s.defId)).rejects.toMatchObject({
      statusCode: 400,
      message: "Unexpected parameter 'NOPE'",
    });
    s.emu.azure.commitFiles("p", "app", { "/azure-pipelines.yml": null }, "remove", "main");
    await expect(s.pipelines.runPipeline({}, "p", s.defId)).rejects.toMatchObject({ statusCode: 400 });
  });

  it("a run's timeline: Stage records in order, the Checkpoint.Approval under the stage's Checkpoint has the approval's id", async () => {
    const clock = { now: Date.parse("2026-01-01T00:00:00Z") };
    const s = await start(clock);
    const env = await (await s.rest("POST", "distributedtask/environments", { name: "live" })).json();
    const check = await s.rest("POST", "pipelines/checks/configurations", {
      type: { id: APPROVAL },
      settings: { approvers: [{ id: "5f0c7a3e-2b1d-4c8e-9a6f-3d2e1b0c9a87", displayName: "ops" }], instructions: "look first" },
      resource: { type: "environment", id: String((env as { id: number }).id) },
    });
    expect(check.status).toBe(200);
    const run = await s.pipelines.runPipeline(
      { templateParameters: { REGION: "us" }, variables: { TOKEN: { value: "s3cr3t-value", isSecret: true } } },
      "p",
      s.defId,
    );
    expect(JSON.stringify(run)).not.toContain("s3cr3t-value");
    expect(run.templateParameters).toEqual({ REGION: "us" });
    clock.now += 2000; // queue 1s, compile 1s: prod's check waits
    const t = await s.build.getBuildTimeline("p", run.id!);
    const recs = t.records!;
    const stages = recs.filter((r) => r.type === "Stage");
    expect(stages.map((r) => [r.identifier, r.name, r.state])).toEqual([
      ["build", "build", 2],
      ["prod", "production", 1],
    ]);
    const checkpoint = recs.find((r) => r.type === "Checkpoint" && r.parentId === stages[1]!.id)!;
    const approvalRec = recs.find((r) => r.type === "Checkpoint.Approval" && r.parentId === checkpoint.id)!;
    const pending = (await (await s.rest("GET", "pipelines/approvals?state=pending&$expand=steps")).json()) as { value: Record<string, unknown>[] };
    expect(pending.value.map((a) => a.id)).toEqual([approvalRec.id]);
    expect(pending.value[0]).toMatchObject({
      instructions: "look first",
      pipeline: { owner: { id: run.id } },
      steps: [{ assignedApprover: { displayName: "ops" }, status: "pending" }],
    });
    const jobs = recs.filter((r) => r.type === "Job").map((r) => r.identifier);
    expect(jobs).toEqual(["build.compile.__default", "prod.ship.__default"]);

    // Decided once; a second decision on it is refused; an unknown id is not found.
    const ok = await s.rest("PATCH", "pipelines/approvals", [{ approvalId: approvalRec.id, status: "approved", comment: "go" }]);
    expect(ok.status).toBe(200);
    const again = await s.rest("PATCH", "pipelines/approvals", [{ approvalId: approvalRec.id, status: "rejected" }]);
    expect(again.status).toBe(400);
    expect((await s.rest("PATCH", "pipelines/approvals", [{ approvalId: "00000000-0000-4000-8000-000000000000", status: "approved" }])).status).toBe(404);

    clock.now += 1000;
    const b = await s.build.getBuild("p", run.id!);
    expect([b.status, b.result]).toEqual([2, 2]); // completed, succeeded

    // Runs are part of the saved state.
    const saved = s.emu.azure.saveState();
    s.emu.azure.reset();
    await expect(s.build.getBuild("p", run.id!)).resolves.toBeNull();
    s.emu.azure.loadState(saved);
    expect((await s.build.getBuilds("p", [s.defId])).map((x) => [x.id, x.buildNumber])).toEqual([[run.id, "20260101.1"]]);
  });
});
