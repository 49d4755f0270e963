/**
 * Typed model of the CodeBuild API shapes and the buildspec pipeglot writes and reads.
 * Reference: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html
 * (botocore model codebuild-2016-10-06 service-2.json).
 */

/** https://docs.aws.amazon.com/codebuild/latest/APIReference/API_EnvironmentVariable.html */
interface ProjectEnvironmentVariable {
  name: string;
  value: string;
  type?: "PLAINTEXT" | "PARAMETER_STORE" | "SECRETS_MANAGER";
}

/** https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html — file kind codebuild.CreateProjectInput */
export interface CreateProjectInput {
  name: string;
  description?: string;
  source: { type: "CODEPIPELINE" | "NO_SOURCE" | string; buildspec?: string; location?: string };
  artifacts: { type: "CODEPIPELINE" | "NO_ARTIFACTS" | string };
  environment: {
    type: "LINUX_CONTAINER" | "ARM_CONTAINER" | string;
    image: string;
    computeType: string;
    environmentVariables?: ProjectEnvironmentVariable[];
    privilegedMode?: boolean;
    imagePullCredentialsType?: "CODEBUILD" | "SERVICE_ROLE";
  };
  serviceRole: string;
  timeoutInMinutes?: number;
  queuedTimeoutInMinutes?: number;
  autoRetryLimit?: number;
  concurrentBuildLimit?: number;
  tags?: { key: string; value: string }[];
}
/** https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec-ref-syntax */
export interface BuildspecPhase {
  "run-as"?: string;
  "on-failure"?: string;
  "runtime-versions"?: Record<string, unknown>;
  commands?: (string | null)[];
  finally?: (string | null)[];
}

export const PHASES = ["install", "pre_build", "build", "post_build"] as const;
export type PhaseName = (typeof PHASES)[number];

/** https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html — file kind codebuild.Buildspec */
export interface Buildspec {
  version: 0.2 | number | string;
  "run-as"?: string;
  env?: {
    shell?: string;
    variables?: Record<string, string>;
    "parameter-store"?: Record<string, string>;
    "secrets-manager"?: Record<string, string>;
    "exported-variables"?: string[];
    "git-credential-helper"?: string;
  };
  phases?: Partial<Record<PhaseName, BuildspecPhase>>;
  reports?: Record<string, unknown>;
  artifacts?: {
    files?: string[] | string;
    name?: string;
    "base-directory"?: string;
    "discard-paths"?: string;
    "secondary-artifacts"?: Record<string, { files?: string[] | string; [k: string]: unknown }>;
    [k: string]: unknown;
  };
  cache?: Record<string, unknown>;
  batch?: unknown;
  [k: string]: unknown;
}

/** Runner size ↔ compute type (both directions are exact). */
export const COMPUTE_TYPES = {
  small: "BUILD_GENERAL1_SMALL",
  medium: "BUILD_GENERAL1_MEDIUM",
  large: "BUILD_GENERAL1_LARGE",
  xlarge: "BUILD_GENERAL1_XLARGE",
} as const;
