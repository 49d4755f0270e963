/**
 * The OCI DevOps emulator's build runs and deployments through the raw oci-devops client: a small
 * build pipeline (two BUILD stages in a row, a trigger stage) and a deploy pipeline (an approval,
 * a WAIT stage) driven on the test's clock; the SDK's own models read back; the refusals.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as common from "oci-common";
import { DevopsClient } from "oci-devops";
import { startEmulators, type Emulators } from "@pipeglot/emulators";

const PROJECT = "ocid1.devopsproject.oc1.iad.amaaaaaaproject";
const TENANCY = "ocid1.tenancy.oc1..t";
const USER = "ocid1.user.oc1..approver";
const T0 = Date.parse("2026-03-04T05:00:00.000Z");

async function failure(p: Promise<unknown>): Promise<{ statusCode?: number; serviceCode?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode?: number; serviceCode?: string; message?: string };
  }
  throw new Error("expected a failure");
}

describe("OCI DevOps emulator: build runs and deployments", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  let clock = T0;
  let emu: Emulators;
  let oci: DevopsClient;
  const ids: Record<string, string> = {};

  const ready = () => emu.oci.completeWorkRequests();
  const stage = async (buildPipelineId: string, displayName: string, pred: string, extra: Record<string, unknown> = {}) => {
    const details = {
      buildPipelineStageType: "BUILD",
      buildPipelineId,
      displayName,
      image: "OL8_X86_64_STANDARD_10",
      buildSpecFile: "b.yaml",
      buildSourceCollection: { items: [] },
      ...extra,
    };
    const full = { ...details, buildPipelineStagePredecessorCollection: { items: [{ id: pred }] } };
    const r = await oci.createBuildPipelineStage({ createBuildPipelineStageDetails: full as never });
    ready();
    return r.buildPipelineStage.id;
  };

  beforeAll(async () => {
    emu = await startEmulators({
      providers: ["oci"],
      seed: 5,
      now: () => new Date(clock),
      ociTrustedKeys: { [`${TENANCY}/${USER}/aa:bb`]: publicKey },
      runs: { stepMs: 1000, failSteps: ["broken"] },
    });
    const auth = new common.SimpleAuthenticationDetailsProvider(TENANCY, USER, "aa:bb", privateKey, null, common.Region.US_ASHBURN_1);
    oci = new DevopsClient(
      { authenticationDetailsProvider: auth },
      {
        circuitBreaker: new common.CircuitBreaker({ noCircuit: true }),
        retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
      },
    );
    oci.endpoint = emu.endpoints.oci!;
    const dp = (await oci.createDeployPipeline({ createDeployPipelineDetails: { projectId: PROJECT, displayName: "app-deploy" } })).deployPipeline.id;
    ready();
    const approval = await oci.createDeployStage({
      createDeployStageDetails: {
        deployStageType: "MANUAL_APPROVAL",
        deployPipelineId: dp,
        displayName: "gate",
        deployStagePredecessorCollection: { items: [{ id: dp }] },
        approvalPolicy: { approvalPolicyType: "COUNT_BASED_APPROVAL", numberOfApprovalsRequired: 1 },
      } as never,
    });
    ready();
    await oci.createDeployStage({
      createDeployStageDetails: {
        deployStageType: "WAIT",
        deployPipelineId: dp,
        displayName: "after-gate",
        deployStagePredecessorCollection: { items: [{ id: approval.deployStage.id }] },
        waitCriteria: { waitType: "ABSOLUTE_WAIT", waitDuration: "PT1M" },
      } as never,
    });
    ready();
    const bp = (await oci.createBuildPipeline({ createBuildPipelineDetails: { projectId: PROJECT, displayName: "app" } })).buildPipeline.id;
    ready();
    const first = await stage(bp, "first", bp);
    const second = await stage(bp, "second", first);
    await stage(bp, "trigger", second, { buildPipelineStageType: "TRIGGER_DEPLOYMENT_PIPELINE", deployPipelineId: dp, isPassAllParametersEnabled: true });
    Object.assign(ids, { dp, bp, first, second, gate: approval.deployStage.id });
  });
  afterAll(async () => {
    await emu.close();
  });

  it("a build run goes ACCEPTED → stages one step each in predecessor order → SUCCEEDED, and starts the deployment", async () => {
    const run = (
      await oci.createBuildRun({ createBuildRunDetails: { buildPipelineId: ids.bp!, buildRunArguments: { items: [{ name: "REGION", value: "eu" }] } } })
    ).buildRun;
    expect(run.lifecycleState).toBe("ACCEPTED");
    expect(run.buildRunSource.sourceType).toBe("MANUAL");
    clock = T0 + 1500;
    const mid = (await oci.getBuildRun({ buildRunId: run.id })).buildRun;
    expect(mid.lifecycleState).toBe("IN_PROGRESS");
    const progress = mid.buildRunProgress!.buildPipelineStageRunProgress!;
    expect(Object.values(progress).map((p) => [p.stageDisplayName, p.status])).toEqual([["first", "IN_PROGRESS"]]);
    clock = T0 + 4000;
    const done = (await oci.getBuildRun({ buildRunId: run.id })).buildRun;
    expect(done.lifecycleState).toBe("SUCCEEDED");
    const stages = Object.values(done.buildRunProgress!.buildPipelineStageRunProgress!);
    expect(stages.map((p) => [p.stageDisplayName, p.status, String(p.timeStarted), String(p.timeFinished)])).toEqual([
      ["first", "SUCCEEDED", "2026-03-04T05:00:01.000Z", "2026-03-04T05:00:02.000Z"],
      ["second", "SUCCEEDED", "2026-03-04T05:00:02.000Z", "2026-03-04T05:00:03.000Z"],
      ["trigger", "SUCCEEDED", "2026-03-04T05:00:03.000Z", "2026-03-04T05:00:04.000Z"],
    ]);
    const deploymentId = (stages[2] as { deploymentId?: string }).deploymentId!;
    expect(deploymentId).toMatch(/^ocid1\.devopsdeployment\./);
    const listed = (await oci.listBuildRuns({ buildPipelineId: ids.bp! })).buildRunSummaryCollection.items;
    expect(listed.map((r) => r.id)).toEqual([run.id]);
    ids.deployment = deploymentId;
  });

  it("the deployment waits IN_PROGRESS at the approval; ApproveDeployment records who and why, then it finishes", async () => {
    const waiting = (await oci.getDeployment({ deploymentId: ids.deployment! })).deployment;
    expect(waiting.lifecycleState).toBe("IN_PROGRESS");
    expect(waiting.deploymentArguments).toEqual({ items: [{ name: "REGION", value: "eu" }] });
    const gate = waiting.deploymentExecutionProgress!.deployStageExecutionProgress![ids.gate!] as { status?: string; approvalActions?: unknown[] };
    expect(gate).toMatchObject({ status: "IN_PROGRESS", approvalActions: [] });
    clock = T0 + 10_000;
    const approved = await oci.approveDeployment({
      deploymentId: ids.deployment!,
      approveDeploymentDetails: { deployStageId: ids.gate!, action: "APPROVE" as never, reason: "looks good" },
    });
    const after = approved.deployment.deploymentExecutionProgress!.deployStageExecutionProgress![ids.gate!] as { status?: string; approvalActions?: unknown[] };
    expect(after).toMatchObject({ status: "SUCCEEDED", approvalActions: [{ subjectId: USER, action: "APPROVE", reason: "looks good" }] });
    clock = T0 + 11_000;
    expect((await oci.getDeployment({ deploymentId: ids.deployment! })).deployment.lifecycleState).toBe("SUCCEEDED");
    // Decided once: a second decision is refused.
    const again = await failure(
      oci.approveDeployment({ deploymentId: ids.deployment!, approveDeploymentDetails: { deployStageId: ids.gate!, action: "REJECT" as never } }),
    );
    expect([again.statusCode, again.serviceCode]).toEqual([409, "Conflict"]);
  });

  it("a stage in failSteps fails the run; the stages after it never start", async () => {
    clock = T0 + 20_000;
    const broken = await stage(ids.bp!, "broken", ids.bp!);
    const run = (await oci.createBuildRun({ createBuildRunDetails: { buildPipelineId: ids.bp! } })).buildRun;
    clock = T0 + 30_000;
    const failed = (await oci.getBuildRun({ buildRunId: run.id })).buildRun;
    expect(failed.lifecycleState).toBe("FAILED");
    expect(failed.buildRunProgress!.buildPipelineStageRunProgress![broken]!.status).toBe("FAILED");
    // first/second/trigger ran beside it (they do not follow it): only "broken" failed.
    expect(Object.values(failed.buildRunProgress!.buildPipelineStageRunProgress!).filter((p) => p.status === "FAILED")).toHaveLength(1);
  });

  it("cancel ends a run CANCELED; the refusals are OCI's", async () => {
    const run = (await oci.createBuildRun({ createBuildRunDetails: { buildPipelineId: ids.bp! } })).buildRun;
    const cancelled = (await oci.cancelBuildRun({ buildRunId: run.id, cancelBuildRunDetails: { reason: "no" } })).buildRun;
    expect(cancelled.lifecycleState).toBe("CANCELED");
    expect((await failure(oci.cancelBuildRun({ buildRunId: run.id, cancelBuildRunDetails: { reason: "again" } }))).statusCode).toBe(409);
    expect((await failure(oci.getBuildRun({ buildRunId: "ocid1.devopsbuildrun.oc1.iad.none" }))).serviceCode).toBe("NotAuthorizedOrNotFound");
    expect((await failure(oci.createBuildRun({ createBuildRunDetails: { buildPipelineId: ids.dp! } }))).statusCode).toBe(404);
    expect((await failure(oci.listDeployments({}))).serviceCode).toBe("MissingParameter");
  });
});
