/**
 * Units of the Cloud Build live client that need no server: normalization (against the protos the
 * installed @google-cloud/cloudbuild ships), REST-only field detection, error classification.
 * Enum numbers below are written from the Cloud Build v1 reference, not read from the protos.
 */
import { describe, expect, it } from "vitest";
import { ConflictError } from "@pipeglot/core";
import { loadTriggerSchema } from "./connect.js";
import { GcbApiError, retryable, toApiError } from "./errors.js";
import { bodyHash, canonical, normalizeLive } from "./normalize.js";

const schema = loadTriggerSchema();

describe("normalizeLive", () => {
  it("drops output-only fields, names numeric enums, drops empty maps and proto3 defaults", () => {
    const live = {
      id: "0b1c",
      createTime: "2026-01-01T00:00:00Z",
      resourceName: "projects/p/locations/global/triggers/0b1c",
      name: "t",
      disabled: false,
      substitutions: {},
      tags: ["managed-by-pipeglot"],
      sourceToBuild: { uri: "https://github.com/a/b", ref: "refs/heads/main", repoType: 2 },
      github: { owner: "a", name: "b", pullRequest: { branch: "^main$", commentControl: 1, invertRegex: false } },
      build: { steps: [{ name: "bash", args: ["-c", "x"], waitFor: [] }], timing: {}, options: { machineType: 5, substitutionOption: 1 } },
    };
    expect(normalizeLive(live, schema)).toEqual({
      name: "t",
      tags: ["managed-by-pipeglot"],
      sourceToBuild: { uri: "https://github.com/a/b", ref: "refs/heads/main", repoType: "GITHUB" },
      github: { owner: "a", name: "b", pullRequest: { branch: "^main$", commentControl: "COMMENTS_ENABLED" } },
      build: { steps: [{ name: "bash", args: ["-c", "x"] }], options: { machineType: "E2_HIGHCPU_8", substitutionOption: "ALLOW_LOOSE" } },
    });
  });

  it("keeps what is data: empty messages (a oneof member), zero-length strings inside arrays, key order is irrelevant to the hash", () => {
    expect(canonical({ pubsubConfig: {}, build: { steps: [{ name: "x", args: ["-c", ""] }] } })).toEqual({
      pubsubConfig: {},
      build: { steps: [{ name: "x", args: ["-c", ""] }] },
    });
    expect(bodyHash({ a: 1, b: [1, 2] })).toBe(bodyHash({ b: [1, 2], a: 1 }));
    expect(bodyHash({ a: 1, b: [1, 2] })).not.toBe(bodyHash({ a: 1, b: [2, 1] }));
  });
});

describe("the client's protos", () => {
  it("know which trigger fields the Node client would drop", () => {
    expect(
      schema.unknownPaths({
        name: "t",
        approvalConfig: { approvalRequired: true },
        includeBuildLogs: "INCLUDE_BUILD_LOGS_WITH_STATUS",
        build: { steps: [{ name: "x", bogus: 1 }], substitutions: { _ANY_KEY: "v" } },
      }),
    ).toEqual(["approvalConfig", "includeBuildLogs", "build.steps.0.bogus"]);
    expect(
      schema.unknownPaths({ name: "t", github: { owner: "a", push: { branch: "x" } }, build: { steps: [{ name: "x", timeout: "60s" }], timeout: "600s" } }),
    ).toEqual([]);
  });

  it("turn REST durations into the object form protobufjs takes", () => {
    expect(schema.toProtoObject({ build: { timeout: "1800s", steps: [{ name: "x", timeout: "1.5s" }] }, substitutions: { _T: "600s" } })).toEqual({
      build: { timeout: { seconds: 1800, nanos: 0 }, steps: [{ name: "x", timeout: { seconds: 1, nanos: 500_000_000 } }] },
      substitutions: { _T: "600s" },
    });
  });
});

describe("retryable", () => {
  const gaxios = (status: number, body: object) => Object.assign(new Error(JSON.stringify(body)), { status, code: status, response: { status, data: body } });
  it("retries throttling, 5xx and dropped connections; not 4xx, 501 or conflicts", () => {
    expect(retryable(gaxios(429, { error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "Quota exceeded" } }))).toBe(true);
    expect(retryable(gaxios(503, { error: { code: 503, status: "UNAVAILABLE", message: "x" } }))).toBe(true);
    expect(retryable(gaxios(500, {}))).toBe(true);
    expect(retryable(Object.assign(new Error("request to http://127.0.0.1 failed, reason: socket hang up"), { code: "ECONNRESET" }))).toBe(true);
    expect(retryable(new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }))).toBe(true);
    expect(retryable({ code: 8, message: "8 RESOURCE_EXHAUSTED: quota" })).toBe(true); // gRPC transport
    expect(retryable(gaxios(404, { error: { code: 404, status: "NOT_FOUND", message: "x" } }))).toBe(false);
    expect(retryable(gaxios(400, { error: { code: 400, status: "INVALID_ARGUMENT", message: "x" } }))).toBe(false);
    expect(retryable(gaxios(501, { error: { code: 501, status: "UNIMPLEMENTED", message: "x" } }))).toBe(false);
    expect(retryable(new ConflictError("changed"))).toBe(false);
  });

  it("error messages carry the operation, the status and Google's message, never the request", () => {
    const e = Object.assign(gaxios(429, { error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "Quota exceeded" } }), {
      config: { headers: { authorization: "Bearer ya29.secret" } },
    });
    const m = toApiError(e, "get trigger t");
    expect(m).toBeInstanceOf(GcbApiError);
    expect(m.message).toBe("Cloud Build get trigger t: RESOURCE_EXHAUSTED: Quota exceeded");
    expect(JSON.stringify(m) + m.stack).not.toContain("ya29");
  });
});
