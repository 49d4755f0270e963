/** Shared inputs and client factories for the emulator tests (real SDK clients only). */
import { join } from "node:path";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { CodePipelineClient, type PipelineDeclaration } from "@aws-sdk/client-codepipeline";
import { CloudBuildClient, protos } from "@google-cloud/cloudbuild";
import { PassThroughClient } from "google-auth-library";
import { ORACLES } from "../helpers/paths.js";

export const BOTOCORE_DIR = join(ORACLES, "aws", "botocore");

export const CREDENTIALS = { accessKeyId: "AKIATESTEMULATOR", secretAccessKey: "test-secret" };

export function codePipeline(endpoint: string, maxAttempts = 1): CodePipelineClient {
  return new CodePipelineClient({ region: "us-east-1", endpoint, credentials: CREDENTIALS, maxAttempts });
}

export function codeBuild(endpoint: string, maxAttempts = 1): CodeBuildClient {
  return new CodeBuildClient({ region: "us-east-1", endpoint, credentials: CREDENTIALS, maxAttempts });
}

/** A small valid V2 pipeline: source → build → approval. */
export function pipeline(name: string): PipelineDeclaration {
  return {
    name,
    roleArn: "arn:aws:iam::123456789012:role/pipeglot-pipeline",
    pipelineType: "V2",
    artifactStore: { type: "S3", location: "pipeglot-artifacts" },
    stages: [
      {
        name: "Source",
        actions: [
          {
            name: "Checkout",
            actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
            configuration: { ConnectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/x", FullRepositoryId: "acme/shop", BranchName: "main" },
            outputArtifacts: [{ name: "src" }],
          },
        ],
      },
      {
        name: "Build",
        actions: [
          {
            name: "test",
            actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
            configuration: { ProjectName: "pg-shop-build-test" },
            inputArtifacts: [{ name: "src" }],
            outputArtifacts: [{ name: "app" }],
          },
        ],
      },
      {
        name: "Production",
        actions: [{ name: "approve", actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" }, runOrder: 1 }],
      },
    ],
  };
}

/** An error's SDK name, or a marker when the call unexpectedly succeeded. */
export async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "(no error)";
  } catch (e) {
    return e instanceof Error ? e.name : String(e);
  }
}

export async function rejection(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; code?: number | string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`, { cause: e });
  }
  throw new Error("expected the call to fail, it succeeded");
}

type Trigger = protos.google.devtools.cloudbuild.v1.IBuildTrigger;
export function cloudBuild(endpoint: string): CloudBuildClient {
  const url = new URL(endpoint);
  return new CloudBuildClient({ fallback: true, apiEndpoint: url.hostname, port: Number(url.port), protocol: "http", authClient: new PassThroughClient() });
}

export function trigger(name: string): Trigger {
  return {
    name,
    description: "pipeglot: shop-api build",
    tags: ["managed-by-pipeglot"],
    github: { owner: "acme", name: "shop-api", push: { branch: "^main$" }, pullRequest: undefined },
    substitutions: { _NODE_VERSION: "20" },
    build: {
      steps: [
        { name: "node:20", entrypoint: "npm", args: ["ci"] },
        { name: "node:20", entrypoint: "npm", args: ["test"] },
      ],
      options: { machineType: "E2_HIGHCPU_8", logging: "CLOUD_LOGGING_ONLY" },
      timeout: { seconds: 1800 },
    },
  };
}
