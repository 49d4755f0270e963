import { describe, expect, it } from "vitest";
import { deepEqual } from "@pipeglot/core";
import { AwsApiError, AwsAuthError, redact, retryable, toApiError } from "./errors.js";
import { canonicalPipelineInput, canonicalProject, canonicalTransitions, parseTransitionsToken, transitionsFromState, transitionsToken } from "./normalize.js";

/** A CreateProjectInput as compile writes it. */
const desiredProject = {
  name: "shop-web-build-lint",
  source: { type: "CODEPIPELINE", buildspec: "version: 0.2\n" },
  artifacts: { type: "CODEPIPELINE" },
  environment: { type: "LINUX_CONTAINER", image: "node:20-bookworm", computeType: "BUILD_GENERAL1_SMALL" },
  serviceRole: "arn:aws:iam::123456789012:role/pipeglot-codebuild",
  tags: [
    { key: "pipeglot:managed-by", value: "pipeglot" },
    { key: "pipeglot:hash", value: "abc" },
  ],
};

/** The same project as BatchGetProjects returns it from the real service (hand-written from the API reference). */
const liveProject = {
  name: "shop-web-build-lint",
  arn: "arn:aws:codebuild:us-east-1:123456789012:project/shop-web-build-lint",
  source: { type: "CODEPIPELINE", buildspec: "version: 0.2\n", insecureSsl: false },
  secondarySources: [],
  secondarySourceVersions: [],
  artifacts: { type: "CODEPIPELINE", name: "shop-web-build-lint", packaging: "NONE", encryptionDisabled: false },
  secondaryArtifacts: [],
  cache: { type: "NO_CACHE" },
  environment: {
    type: "LINUX_CONTAINER",
    image: "node:20-bookworm",
    computeType: "BUILD_GENERAL1_SMALL",
    environmentVariables: [],
    privilegedMode: false,
    imagePullCredentialsType: "CODEBUILD",
  },
  serviceRole: "arn:aws:iam::123456789012:role/pipeglot-codebuild",
  timeoutInMinutes: 60,
  queuedTimeoutInMinutes: 480,
  encryptionKey: "arn:aws:kms:us-east-1:123456789012:alias/aws/s3",
  tags: [
    { key: "pipeglot:hash", value: "abc" },
    { key: "aws:cloudformation:stack-name", value: "x" },
    { key: "pipeglot:managed-by", value: "pipeglot" },
  ],
  created: new Date("2026-01-01T00:00:00Z"),
  lastModified: new Date("2026-01-02T00:00:00Z"),
  badge: { badgeEnabled: false },
  logsConfig: { cloudWatchLogs: { status: "ENABLED" }, s3Logs: { status: "DISABLED", encryptionDisabled: false } },
  fileSystemLocations: [],
  projectVisibility: "PRIVATE",
};

describe("canonical forms", () => {
  it("a live project with every server default equals the compiled one", () => {
    expect(canonicalProject(liveProject)).toEqual(canonicalProject(desiredProject));
    expect(canonicalProject(desiredProject)).toMatchObject({
      timeoutInMinutes: 60,
      queuedTimeoutInMinutes: 480,
      environment: { imagePullCredentialsType: "CODEBUILD" },
    });
  });

  it("a real difference survives canonicalization", () => {
    const changed = { ...liveProject, environment: { ...liveProject.environment, privilegedMode: true }, timeoutInMinutes: 20, badge: { badgeEnabled: true } };
    const c = canonicalProject(changed);
    expect(deepEqual(c, canonicalProject(desiredProject))).toBe(false);
    expect(c).toMatchObject({ timeoutInMinutes: 20, badgeEnabled: true, environment: { privilegedMode: true } });
    expect(canonicalProject({ ...liveProject, encryptionKey: "arn:aws:kms:us-east-1:1:key/custom" }).encryptionKey).toBe("arn:aws:kms:us-east-1:1:key/custom");
  });

  it("a live pipeline (version, defaults, empty lists, tag order) equals the compiled one", () => {
    const decl = {
      name: "p",
      roleArn: "r",
      artifactStore: { type: "S3", location: "b" },
      pipelineType: "V2",
      stages: [
        {
          name: "Source",
          actions: [
            {
              name: "Source",
              actionTypeId: { category: "Source", owner: "AWS", provider: "CodeStarSourceConnection", version: "1" },
              configuration: { A: "1" },
              outputArtifacts: [{ name: "source" }],
            },
          ],
        },
      ],
    };
    const live = {
      pipeline: {
        ...decl,
        version: 7,
        executionMode: "SUPERSEDED",
        stages: [{ ...decl.stages[0], actions: [{ ...decl.stages[0]!.actions[0], runOrder: 1, inputArtifacts: [] }] }],
      },
      tags: [
        { key: "z", value: "1" },
        { key: "a", value: "2" },
      ],
    };
    expect(canonicalPipelineInput(live)).toEqual(
      canonicalPipelineInput({
        pipeline: decl,
        tags: [
          { key: "a", value: "2" },
          { key: "z", value: "1" },
        ],
      }),
    );
    expect(canonicalPipelineInput({ pipeline: decl }).pipeline).toMatchObject({ executionMode: "SUPERSEDED" });
    expect(canonicalPipelineInput({ pipeline: { ...decl, executionMode: "QUEUED" } }).pipeline.executionMode).toBe("QUEUED");
  });

  it("transitions: disabled only, by stage name; the caller is never kept; the token moves with lastChangedAt", () => {
    const states = [
      { stageName: "Source" },
      {
        stageName: "b",
        inboundTransitionState: { enabled: false, disabledReason: "hold", lastChangedBy: "arn:aws:iam::1:user/AKIAXXXX", lastChangedAt: new Date(5000) },
      },
      { stageName: "a", inboundTransitionState: { enabled: true } },
    ];
    expect(transitionsFromState(states)).toEqual([{ stageName: "b", enabled: false, reason: "hold" }]);
    expect(JSON.stringify(transitionsFromState(states))).not.toContain("AKIA");
    expect(transitionsToken(states)).toBe("b=0@5,a=1@");
    expect([...parseTransitionsToken("b=0@5,a=1@")]).toEqual([
      ["b", "0@5"],
      ["a", "1@"],
    ]);
    expect(
      canonicalTransitions([
        { stageName: "x", enabled: false },
        { stageName: "y", enabled: true },
      ]),
    ).toEqual([{ stageName: "x", enabled: false, reason: "Disabled by pipeglot" }]);
  });
});

describe("errors", () => {
  const sdkError = (name: string, status: number, message = "m") => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  it("throttling, 5xx and dropped connections are retryable; quotas, validation and conflicts are not", () => {
    expect(retryable(toApiError(sdkError("ThrottlingException", 400), "x", []))).toBe(true);
    expect(retryable(toApiError(sdkError("ServiceUnavailableException", 503), "x", []))).toBe(true);
    expect(retryable(toApiError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "x", []))).toBe(true);
    expect(retryable(toApiError(sdkError("LimitExceededException", 400), "x", []))).toBe(false);
    expect(retryable(toApiError(sdkError("ValidationException", 400), "x", []))).toBe(false);
    expect(retryable(toApiError(sdkError("PipelineNotFoundException", 400), "x", []))).toBe(false);
    const conflict = Object.assign(new Error("c"), { name: "ConflictError" });
    expect(retryable(conflict)).toBe(false);
  });
  it("messages keep the code and lose the credentials", () => {
    const e = toApiError(sdkError("UnrecognizedClientException", 400, "The security token pgSecret123 is invalid for AKIAABCDEFGHIJKLMNOP"), "GetPipeline p", [
      "pgSecret123",
    ]);
    // Refused credentials are the user's to fix (AwsAuthError, kind auth): the code and AWS's words stay, the secrets go.
    expect(e).toBeInstanceOf(AwsAuthError);
    expect(e.message).toBe(
      "GetPipeline p: AWS refused the credentials: UnrecognizedClientException: The security token [redacted] is invalid for [redacted]; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE / --profile",
    );
    const other = toApiError(sdkError("ValidationException", 400, "bad pgSecret123"), "GetPipeline p", ["pgSecret123"]);
    expect(other).toBeInstanceOf(AwsApiError);
    expect(other.message).toBe("GetPipeline p: ValidationException: bad [redacted]");
    expect(redact("a AKIA1234567890ABCDEF b", [])).toBe("a [redacted] b");
  });
});
