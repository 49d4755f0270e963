/**
 * The per-cloud part of the live runner (./live.ts): how to start the emulator and connect with
 * the provider's own connect() (fake credentials in the env), how someone else edits a resource out
 * of band (the emulator's hook, as a console user would), and how a resource pipeglot does not
 * manage is created (through the cloud's API: the SDK, or the REST call the SDK makes).
 */
import { CodeBuildClient, CreateProjectCommand } from "@aws-sdk/client-codebuild";
import { provider as awsProvider } from "@pipeglot/aws";
import { provider as azureProvider, live as azureLive } from "@pipeglot/azure";
import type { LiveClient } from "@pipeglot/core";
import { startEmulators, type Emulators, type JsonObject } from "@pipeglot/emulators";
import { provider as gcpProvider } from "@pipeglot/gcp";
import type { OciLiveClient } from "@pipeglot/oci";
import type { PipelineIR } from "@pipeglot/schema";
import { cleanup, connectTo, identity, startOci } from "../oci-live/helpers.js";
import type { Cloud, LiveAdapter } from "./live.js";

/** Closes every client a cloud handed out (those that hold sockets), then the emulator. */
function closer(emu: Emulators, clients: LiveClient[], after?: () => void): () => Promise<void> {
  return async () => {
    for (const c of clients) await (c as { close?: () => unknown }).close?.();
    await emu.close();
    after?.();
  };
}

const AWS_KEY_ID = "AKIAPGRUNNERKEY7Q3ZX";
const AWS_SECRET = "pgRunnerSecret/DoNotPrint+4e1d9a7c";
const AWS_TOKEN = "pgRunnerSessionToken-DoNotPrint-77bb";

export const aws: LiveAdapter = {
  id: "aws",
  gaps: {},
  async start(): Promise<Cloud> {
    const emu = await startEmulators({ providers: ["aws"], seed: 7 });
    const env = { AWS_ACCESS_KEY_ID: AWS_KEY_ID, AWS_SECRET_ACCESS_KEY: AWS_SECRET, AWS_SESSION_TOKEN: AWS_TOKEN, AWS_REGION: "us-east-1" };
    const clients: LiveClient[] = [];
    const pipelineOf = (name: string) => emu.aws.state().pipelines.find((p) => p.name === name);
    return {
      emu,
      secrets: [AWS_KEY_ID, AWS_SECRET, AWS_TOKEN],
      async connect(ir) {
        const c = await awsProvider.live.connect({ target: { ...(ir.targets.aws ?? {}) }, env, endpoint: emu.endpoints.aws! });
        clients.push(c);
        return c;
      },
      outOfBand(pipeline) {
        emu.aws.mutatePipeline(pipeline, (d) => {
          const vars = ((d as { variables?: JsonObject[] }).variables ??= []);
          vars.push({ name: "HOTFIX", defaultValue: "1" });
        });
        return { key: `codepipeline.Pipeline/${pipeline}`, state: () => pipelineOf(pipeline) };
      },
      async unmanaged(ir) {
        const name = `${ir.name}-build-handmade`;
        const cb = new CodeBuildClient({
          region: "us-east-1",
          endpoint: emu.endpoints.aws!,
          credentials: { accessKeyId: AWS_KEY_ID, secretAccessKey: AWS_SECRET },
        });
        try {
          await cb.send(
            new CreateProjectCommand({
              name,
              source: { type: "NO_SOURCE", buildspec: "version: 0.2" },
              artifacts: { type: "NO_ARTIFACTS" },
              environment: { type: "LINUX_CONTAINER", image: "alpine", computeType: "BUILD_GENERAL1_SMALL" },
              serviceRole: "arn:aws:iam::123456789012:role/x",
            }),
          );
        } finally {
          cb.destroy();
        }
        return { name: `codebuild.Project/${name}`, exists: () => emu.aws.state().projects.some((p) => p.name === name) };
      },
      close: closer(emu, clients),
    };
  },
};

const AZURE_PROJECT = "shop";
const AZURE_TOKEN = "pgRunnerAzureTok-Zq9xW3vB7nK2mL5pR8sT";
const b64 = (s: string) => Buffer.from(s).toString("base64");

export const azure: LiveAdapter = {
  id: "azure",
  gaps: {},
  // Approvals as environment checks (approver by id), so that dropping the approval leaves a check
  // of this pipeline to prune; the default mode (ManualValidation in the YAML) owns no API resource.
  prepare(ir) {
    const out = structuredClone(ir);
    out.targets.azure = { ...(out.targets.azure ?? {}), approvalMode: "environment" } as NonNullable<PipelineIR["targets"]["azure"]>;
    for (const s of out.stages) if (s.approval) s.approval.approvers = ["5f0c7a3e-2b1d-4c8e-9a6f-3d2e1b0c9a87"];
    return out;
  },
  async start(): Promise<Cloud> {
    const emu = await startEmulators({ providers: ["azure"], seed: 7, azureRetryAfterSeconds: 0 });
    // The definition builds from GitHub: its service connection exists in the project.
    emu.azure.addServiceEndpoint(AZURE_PROJECT, "github");
    const env = { AZURE_DEVOPS_ORG_URL: emu.azure.organizationUrl, AZURE_DEVOPS_TOKEN: AZURE_TOKEN };
    const clients: LiveClient[] = [];
    const project = () => emu.azure.state().find((p) => p.name === AZURE_PROJECT)!;
    const connect = async (ir: PipelineIR): Promise<LiveClient> => {
      const c = await azureProvider.live.connect({ target: { ...(ir.targets.azure ?? {}) }, env });
      clients.push(c);
      return c;
    };
    return {
      emu,
      secrets: [AZURE_TOKEN, b64(`:${AZURE_TOKEN}`), b64(`PAT:${AZURE_TOKEN}`), b64(`pat:${AZURE_TOKEN}`)],
      connect,
      outOfBand(pipeline) {
        emu.azure.mutateDefinition(AZURE_PROJECT, pipeline, (d) => {
          d.description = "edited in the portal";
        });
        return { key: `azure.BuildDefinition/${pipeline}`, state: () => project().definitions.find((d) => d.name === pipeline) };
      },
      async unmanaged(ir) {
        const client = (await connect(ir)) as azureLive.AzureLiveClient;
        const build = await client.apis.build();
        const name = `${ir.name}-handmade`;
        emu.azure.addRepository(AZURE_PROJECT, name);
        await build.createDefinition(
          { name, path: "\\pipeglot", process: { type: 2, yamlFilename: "x.yml" } as never, repository: { type: "TfsGit", name }, tags: [] },
          AZURE_PROJECT,
        );
        return { name: `azure.BuildDefinition/${name}`, exists: () => project().definitions.some((d) => d.name === name) };
      },
      close: closer(emu, clients),
    };
  },
};

const GCP_PROJECT = "acme-ci";
const GCP_TOKEN = "ya29.pgRunnerFakeAccessToken-DoNotPrint";
const GCP_KEY_FILE = "/nonexistent/pgRunnerServiceAccountKey-DoNotPrint.json";

export const gcp: LiveAdapter = {
  id: "gcp",
  gaps: {},
  async start(): Promise<Cloud> {
    const emu = await startEmulators({ providers: ["gcp"], seed: 7 });
    const env = { ...emu.env, GOOGLE_OAUTH_ACCESS_TOKEN: GCP_TOKEN, CLOUDSDK_AUTH_ACCESS_TOKEN: GCP_TOKEN, GOOGLE_APPLICATION_CREDENTIALS: GCP_KEY_FILE };
    const clients: LiveClient[] = [];
    const trigger = (name: string) => emu.gcp.state().find((s) => s.trigger.name === name)?.trigger;
    return {
      emu,
      secrets: [GCP_TOKEN, GCP_KEY_FILE],
      async connect(ir) {
        const c = await gcpProvider.live.connect({ target: { project: GCP_PROJECT, ...(ir.targets.gcp ?? {}) }, env });
        clients.push(c);
        return c;
      },
      outOfBand(pipeline) {
        const name = `${pipeline}-push`;
        emu.gcp.mutateTrigger(name, (t) => {
          t.description = "edited in the console";
        });
        return { key: `cloudbuild.BuildTrigger/${name}`, state: () => trigger(name) };
      },
      async unmanaged(ir) {
        // The REST call the SDK's fallback transport makes; a trigger with the pipeline's prefix and no ownership tag.
        const name = `${ir.name}-nightly`;
        const where = `${ir.targets.gcp?.project ?? GCP_PROJECT}/locations/${ir.targets.gcp?.region ?? "global"}`;
        const res = await fetch(`${emu.endpoints.gcp}/v1/projects/${where}/triggers`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            name,
            tags: ["team-frontend"],
            github: { owner: "acme", name: "shop-web", push: { branch: "^main$" } },
            build: { steps: [{ name: "bash", args: ["-c", "echo hi"] }] },
          }),
        });
        if (res.status !== 200) throw new Error(`creating ${name}: HTTP ${res.status} ${await res.text()}`);
        return { name: `cloudbuild.BuildTrigger/${name}`, exists: () => trigger(name) !== undefined };
      },
      close: closer(emu, clients),
    };
  },
};

export const oci: LiveAdapter = {
  id: "oci",
  gaps: {},
  async start(): Promise<Cloud> {
    const id = identity();
    const emu = await startOci(id);
    const clients: LiveClient[] = [];
    const buildPipeline = (name: string) => emu.oci.state().find((s) => s.kind === "buildPipeline" && s.resource.displayName === name);
    // The private key's base64 lines: none may show anywhere.
    const keyLines = id.privateKey.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
    const connect = async (ir: PipelineIR): Promise<OciLiveClient> => {
      const c = await connectTo(emu, id, ir);
      clients.push(c);
      return c;
    };
    return {
      emu,
      secrets: keyLines,
      connect,
      outOfBand(pipeline) {
        emu.oci.mutate(
          pipeline,
          (b) => {
            b.description = "changed in the console";
          },
          "buildPipeline",
        );
        return { key: `oci.BuildPipeline/${pipeline}`, state: () => buildPipeline(pipeline) };
      },
      async unmanaged(ir) {
        const client = await connect(ir);
        const name = `${ir.name}-handmade`;
        await client.api.kinds["oci.BuildPipeline"].create({ projectId: ir.targets.oci?.projectId, displayName: name }, `runner-${name}`);
        emu.oci.completeWorkRequests();
        return { name: `oci.BuildPipeline/${name}`, exists: () => buildPipeline(name) !== undefined };
      },
      close: closer(emu, clients, () => cleanup(id)),
    };
  },
};

export const ADAPTERS: readonly LiveAdapter[] = [aws, azure, gcp, oci];
