/**
 * The OCI DevOps emulator through the real oci-devops client (SimpleAuthenticationDetailsProvider
 * with a generated RSA key, PROVIDERS.md §4.6/§7), plus raw HTTP for what the client cannot send.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as common from "oci-common";
import { DevopsClient } from "oci-devops";
import { OCI_ENDPOINT_ENV, startEmulators, type Emulators } from "@pipeglot/emulators";

const PROJECT = "ocid1.devopsproject.oc1.iad.amaaaaaaproject";
const TENANCY = "ocid1.tenancy.oc1..t";
const USER = "ocid1.user.oc1..u";
const keys = () =>
  generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

function client(endpoint: string, privateKey: string, fingerprint = "aa:bb"): DevopsClient {
  const auth = new common.SimpleAuthenticationDetailsProvider(TENANCY, USER, fingerprint, privateKey, null, common.Region.US_ASHBURN_1);
  const c = new DevopsClient(
    { authenticationDetailsProvider: auth },
    {
      circuitBreaker: new common.CircuitBreaker({ noCircuit: true }),
      retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
    },
  );
  c.endpoint = endpoint;
  return c;
}

async function failure(p: Promise<unknown>): Promise<{ statusCode?: number; serviceCode?: string; message?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { statusCode?: number; serviceCode?: string; message?: string };
  }
  throw new Error("expected a failure");
}

describe("OCI DevOps emulator", () => {
  const trusted = keys();
  let emu: Emulators;
  let oci: DevopsClient;

  beforeAll(async () => {
    emu = await startEmulators({
      providers: ["oci"],
      seed: 3,
      now: () => new Date("2026-03-04T05:06:07.000Z"),
      ociTrustedKeys: { [`${TENANCY}/${USER}/aa:bb`]: trusted.publicKey },
    });
    oci = client(emu.endpoints.oci!, trusted.privateKey);
  });
  afterAll(async () => {
    await emu.close();
  });

  const finish = async (wr: string | undefined) => {
    const seen: string[] = [];
    for (let i = 0; i < 5 && wr; i++) {
      const s = (await oci.getWorkRequest({ workRequestId: wr })).workRequest.status;
      seen.push(s);
      if (s === "SUCCEEDED") break;
    }
    return seen;
  };

  it("puts its endpoint in the env and checks signatures", () => {
    expect(emu.env[OCI_ENDPOINT_ENV]).toBe(emu.endpoints.oci);
    expect(emu.oci.checksSignatures).toBe(true);
  });

  it("create → work request → ACTIVE → list → update with if-match → delete, with etags", async () => {
    const created = await oci.createBuildPipeline({
      createBuildPipelineDetails: { projectId: PROJECT, displayName: "app", freeformTags: { "managed-by": "pipeglot" } },
    });
    const bp = created.buildPipeline;
    expect(bp.id).toMatch(/^ocid1\.devopsbuildpipeline\.oc1\.us-ashburn-1\./);
    expect(bp.lifecycleState).toBe("CREATING");
    expect(created.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(created.opcWorkRequestId).toMatch(/^ocid1\.devopsworkrequest\./);
    // Server-filled defaults a sync client has to normalize.
    expect(bp.buildPipelineParameters).toEqual({ items: [] });
    expect(bp.definedTags).toEqual({ "Oracle-Tags": { CreatedBy: "pipeglot-emulator", CreatedOn: "2026-03-04T05:06:07.000Z" } });
    // A child of a pipeline that is still CREATING is refused with 409 IncorrectState (retryable).
    const early = await failure(
      oci.createBuildPipelineStage({
        createBuildPipelineStageDetails: {
          buildPipelineStageType: "WAIT",
          buildPipelineId: bp.id,
          buildPipelineStagePredecessorCollection: { items: [{ id: bp.id }] },
          waitCriteria: { waitType: "ABSOLUTE_WAIT", waitDuration: "PT10M" },
        } as never,
      }),
    );
    expect(early).toMatchObject({ statusCode: 409, serviceCode: "IncorrectState" });
    expect(await finish(created.opcWorkRequestId)).toEqual(["IN_PROGRESS", "SUCCEEDED"]);
    const got = await oci.getBuildPipeline({ buildPipelineId: bp.id });
    expect(got.buildPipeline.lifecycleState).toBe("ACTIVE");
    expect(got.etag).toBe(created.etag);

    const stage = await oci.createBuildPipelineStage({
      createBuildPipelineStageDetails: {
        buildPipelineStageType: "BUILD",
        buildPipelineId: bp.id,
        displayName: "build",
        buildPipelineStagePredecessorCollection: { items: [{ id: bp.id }] },
        image: "OL8_X86_64_STANDARD_10",
        buildSourceCollection: {
          items: [
            { name: "src", connectionType: "GITHUB", repositoryUrl: "https://github.com/a/b", branch: "main", connectionId: "ocid1.devopsconnection.oc1..c" },
          ],
        },
      } as never,
    });
    const st = stage.buildPipelineStage as unknown as Record<string, unknown>;
    expect(st).toMatchObject({
      projectId: PROJECT,
      stageExecutionTimeoutInSeconds: 36000,
      buildRunnerShapeConfig: { buildRunnerType: "DEFAULT" },
      primaryBuildSource: "src",
    });
    await finish(stage.opcWorkRequestId);
    const listed = await oci.listBuildPipelineStages({ buildPipelineId: bp.id });
    expect(listed.buildPipelineStageCollection.items.map((i) => i.displayName)).toEqual(["build"]);

    const stale = await failure(oci.updateBuildPipeline({ buildPipelineId: bp.id, ifMatch: "0".repeat(32), updateBuildPipelineDetails: { description: "x" } }));
    expect(stale).toMatchObject({ statusCode: 412, serviceCode: "PreconditionFailed" });
    const upd = await oci.updateBuildPipeline({ buildPipelineId: bp.id, ifMatch: got.etag, updateBuildPipelineDetails: { description: "v2" } });
    expect(upd.etag).not.toBe(got.etag);
    expect(upd.buildPipeline).toMatchObject({ description: "v2", lifecycleState: "UPDATING", displayName: "app" });
    await finish(upd.opcWorkRequestId);

    // A pipeline with stages cannot go; a stage can, then the pipeline.
    const blocked = await failure(oci.deleteBuildPipeline({ buildPipelineId: bp.id }));
    expect(blocked).toMatchObject({ statusCode: 409, serviceCode: "Conflict" });
    const delStage = await oci.deleteBuildPipelineStage({ buildPipelineStageId: stage.buildPipelineStage.id, ifMatch: stage.etag });
    await finish(delStage.opcWorkRequestId);
    const gone = await failure(oci.getBuildPipelineStage({ buildPipelineStageId: stage.buildPipelineStage.id }));
    expect(gone).toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
    await finish((await oci.deleteBuildPipeline({ buildPipelineId: bp.id, ifMatch: upd.etag })).opcWorkRequestId);
    expect(emu.oci.state()).toEqual([]);
  });

  it("deploy pipelines, deploy stages, artifacts and triggers; lists page with opc-next-page", async () => {
    emu.oci.reset();
    const art = await oci.createDeployArtifact({
      createDeployArtifactDetails: {
        projectId: PROJECT,
        displayName: "spec",
        deployArtifactType: "COMMAND_SPEC",
        argumentSubstitutionMode: "NONE",
        deployArtifactSource: { deployArtifactSourceType: "INLINE", base64EncodedContent: Buffer.from("version: 0.1").toString("base64") },
      } as never,
    });
    const dp = await oci.createDeployPipeline({ createDeployPipelineDetails: { projectId: PROJECT, displayName: "deploy" } });
    emu.oci.completeWorkRequests();
    const shell = await oci.createDeployStage({
      createDeployStageDetails: {
        deployStageType: "SHELL",
        deployPipelineId: dp.deployPipeline.id,
        displayName: "run",
        deployStagePredecessorCollection: { items: [{ id: dp.deployPipeline.id }] },
        commandSpecDeployArtifactId: art.deployArtifact.id,
        containerConfig: {
          containerConfigType: "CONTAINER_INSTANCE_CONFIG",
          shapeName: "CI.Standard.E4.Flex",
          shapeConfig: { ocpus: 1 },
          networkChannel: { networkChannelType: "SERVICE_VNIC_CHANNEL", subnetId: "ocid1.subnet.oc1..s" },
        },
      } as never,
    });
    expect((shell.deployStage as unknown as Record<string, unknown>).timeoutInSeconds).toBe(36000);
    emu.oci.completeWorkRequests();
    expect(
      (await oci.getDeployPipeline({ deployPipelineId: dp.deployPipeline.id })).deployPipeline.deployPipelineArtifacts?.items.map((i) => i.deployArtifactId),
    ).toEqual([art.deployArtifact.id]);
    // An artifact a stage uses cannot be deleted.
    expect(await failure(oci.deleteDeployArtifact({ deployArtifactId: art.deployArtifact.id }))).toMatchObject({ statusCode: 409 });
    // A predecessor from another pipeline is refused.
    expect(
      await failure(
        oci.createDeployStage({
          createDeployStageDetails: {
            deployStageType: "MANUAL_APPROVAL",
            deployPipelineId: dp.deployPipeline.id,
            deployStagePredecessorCollection: { items: [{ id: "ocid1.devopsdeploystage.oc1..other" }] },
            approvalPolicy: { approvalPolicyType: "COUNT_BASED_APPROVAL", numberOfApprovalsRequired: 1 },
          } as never,
        }),
      ),
    ).toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });

    const bp = await oci.createBuildPipeline({ createBuildPipelineDetails: { projectId: PROJECT, displayName: "b" } });
    emu.oci.completeWorkRequests();
    const trig = await oci.createTrigger({
      createTriggerDetails: {
        triggerSource: "GITHUB",
        projectId: PROJECT,
        displayName: "push",
        connectionId: "ocid1.devopsconnection.oc1..c",
        actions: [
          {
            type: "TRIGGER_BUILD_PIPELINE",
            buildPipelineId: bp.buildPipeline.id,
            filter: { triggerSource: "GITHUB", events: ["PUSH"], include: { headRef: "main" } },
          },
        ],
      } as never,
    });
    const result = trig.triggerCreateResult as unknown as Record<string, unknown>;
    expect(String(result.triggerUrl)).toContain(String(result.id));
    expect(result.secret).toMatch(/^whsec-/);
    emu.oci.completeWorkRequests();
    expect((await oci.getTrigger({ triggerId: String(result.id) })).trigger).not.toHaveProperty("secret");

    for (let i = 0; i < 4; i++) await oci.createBuildPipeline({ createBuildPipelineDetails: { projectId: PROJECT, displayName: `p${i}` } });
    const page1 = await oci.listBuildPipelines({ projectId: PROJECT, limit: 3 });
    expect(page1.buildPipelineCollection.items).toHaveLength(3);
    expect(page1.opcNextPage).toBeTruthy();
    const page2 = await oci.listBuildPipelines({ projectId: PROJECT, limit: 3, page: page1.opcNextPage });
    expect(page2.buildPipelineCollection.items.map((x) => x.displayName)).toEqual(["p2", "p3"]);
    expect(page2.opcNextPage).toBeUndefined();
    expect((await oci.listBuildPipelines({ projectId: PROJECT, displayName: "p1" })).buildPipelineCollection.items).toHaveLength(1);
  });

  it("ListWorkRequests: the compartment's (required), newest first, in pages; a listing counts as a look, as a GET does", async () => {
    const before = (await oci.listWorkRequests({ compartmentId: "ocid1.compartment.oc1..pipeglotemulator", limit: 1000 })).workRequestCollection.items.length;
    const ids: string[] = [];
    for (const n of ["wr-a", "wr-b", "wr-c"])
      ids.push((await oci.createBuildPipeline({ createBuildPipelineDetails: { projectId: PROJECT, displayName: n } })).opcWorkRequestId);
    const compartmentId = "ocid1.compartment.oc1..pipeglotemulator";
    const first = await oci.listWorkRequests({ compartmentId, limit: 2 });
    // Newest first: the last create's work request leads.
    expect(first.workRequestCollection.items.map((w) => w.id)).toEqual([ids[2], ids[1]]);
    expect(first.workRequestCollection.items.map((w) => w.status)).toEqual(["IN_PROGRESS", "IN_PROGRESS"]);
    const second = await oci.listWorkRequests({ compartmentId, limit: 2, page: first.opcNextPage });
    expect(second.workRequestCollection.items[0]!.id).toBe(ids[0]);
    // The second look (a listing here, the second page counting for the oldest) ends them (two looks each by default).
    const again = await oci.listWorkRequests({ compartmentId, limit: 3 });
    expect(again.workRequestCollection.items.map((w) => w.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    expect((await oci.listWorkRequests({ compartmentId, limit: 1000 })).workRequestCollection.items).toHaveLength(before + 3);
    expect((await oci.listWorkRequests({ compartmentId: "ocid1.compartment.oc1..other" })).workRequestCollection.items).toEqual([]);
    const missing = await failure(oci.listWorkRequests({ compartmentId: "" }));
    expect(missing.statusCode).toBe(400);
  });

  it("out-of-band edits move the etag; a create replayed with the same opc-retry-token is not duplicated", async () => {
    emu.oci.reset();
    const a = await oci.createDeployPipeline({ createDeployPipelineDetails: { projectId: PROJECT, displayName: "d" }, opcRetryToken: "tok-1" });
    const b = await oci.createDeployPipeline({ createDeployPipelineDetails: { projectId: PROJECT, displayName: "d" }, opcRetryToken: "tok-1" });
    expect(b.deployPipeline.id).toBe(a.deployPipeline.id);
    expect(emu.oci.state()).toHaveLength(1);
    emu.oci.completeWorkRequests();
    const after = emu.oci.mutate(
      "d",
      (p) => {
        p.description = "console";
      },
      "deployPipeline",
    );
    expect(after.description).toBe("console");
    const now = await oci.getDeployPipeline({ deployPipelineId: a.deployPipeline.id });
    expect(now.etag).not.toBe(a.etag);
    expect(
      await failure(oci.updateDeployPipeline({ deployPipelineId: a.deployPipeline.id, ifMatch: a.etag, updateDeployPipelineDetails: { description: "mine" } })),
    ).toMatchObject({ statusCode: 412 });
  });

  it("refuses requests signed with an unknown key, a tampered body, or no signature (401 NotAuthenticated)", async () => {
    const stranger = client(emu.endpoints.oci!, keys().privateKey);
    expect(await failure(stranger.listBuildPipelines({ projectId: PROJECT }))).toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
    const wrongId = client(emu.endpoints.oci!, trusted.privateKey, "cc:dd");
    expect(await failure(wrongId.listBuildPipelines({ projectId: PROJECT }))).toMatchObject({ statusCode: 401 });
    const bare = await fetch(`${emu.endpoints.oci}/20210630/buildPipelines?projectId=${PROJECT}`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ code: "NotAuthenticated" });
    // A signed request whose body was changed after signing.
    const signer = new common.DefaultRequestSigner(
      new common.SimpleAuthenticationDetailsProvider(TENANCY, USER, "aa:bb", trusted.privateKey, null, common.Region.US_ASHBURN_1),
    );
    const url = `${emu.endpoints.oci}/20210630/buildPipelines`;
    const headers = new Headers({ "content-type": "application/json" });
    const req = { method: "POST", uri: url, headers, body: JSON.stringify({ projectId: PROJECT, displayName: "signed" }) };
    await signer.signHttpRequest(req as never);
    const ok = await fetch(url, { method: "POST", headers, body: req.body });
    expect(ok.status).toBe(200);
    const tampered = await fetch(url, { method: "POST", headers, body: JSON.stringify({ projectId: PROJECT, displayName: "evil!!" }) });
    expect(tampered.status).toBe(401);
  });

  it("injects 429 TooManyRequests, 503 and dropped connections, and counts them", async () => {
    emu.oci.counters.reset();
    emu.oci.faults.set({ throttleRate: 1 });
    expect(await failure(oci.listTriggers({ projectId: PROJECT }))).toMatchObject({ statusCode: 429, serviceCode: "TooManyRequests" });
    emu.oci.faults.set({ throttleRate: 0, errorRate: 1 });
    expect(await failure(oci.listTriggers({ projectId: PROJECT }))).toMatchObject({ statusCode: 503, serviceCode: "ServiceUnavailable" });
    emu.oci.faults.set({ errorRate: 0, dropRate: 1 });
    const dropped = await failure(oci.listTriggers({ projectId: PROJECT }));
    expect(dropped.statusCode).toBeUndefined();
    emu.oci.faults.clear();
    expect(emu.oci.counters.get("Devops.ListTriggers")).toEqual({ requests: 3, ok: 0, clientErrors: 0, throttled: 1, serverErrors: 1, dropped: 1 });
  });
});
