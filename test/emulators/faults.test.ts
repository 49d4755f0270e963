/**
 * Fault injection (latency, throttling, 5xx, dropped connections) seen through the real SDKs:
 * AWS's own retries absorb transient faults; the Cloud Build fallback client does not retry.
 * Counters tell tests (and benchmarks) what really went over the wire.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CodePipelineClient, CreatePipelineCommand, GetPipelineCommand, ListPipelinesCommand } from "@aws-sdk/client-codepipeline";
import { CloudBuildClient } from "@google-cloud/cloudbuild";
import { startEmulators, type Emulators, type OperationCount } from "@pipeglot/emulators";
import { cloudBuild, codePipeline, pipeline, rejection } from "./fixtures.js";

const PARENT = "projects/acme-ci/locations/us-central1";
const GITHUB = { owner: "acme", name: "shop" as const, push: { branch: "^main$" } };

/** N sequential GetPipeline calls; returns the SDK's attempt count per call. */
async function getMany(cp: CodePipelineClient, n: number): Promise<number[]> {
  const attempts: number[] = [];
  for (let i = 0; i < n; i++) {
    const out = await cp.send(new GetPipelineCommand({ name: "p" }));
    expect(out.pipeline?.name).toBe("p");
    attempts.push(out.$metadata.attempts ?? 0);
  }
  return attempts;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe("AWS fault injection", () => {
  let emu: Emulators;
  let cp: CodePipelineClient;

  beforeAll(async () => {
    emu = await startEmulators({ providers: ["aws"], seed: 2026 });
    cp = codePipeline(emu.endpoints.aws!, 10);
    await cp.send(new CreatePipelineCommand({ pipeline: pipeline("p") }));
  });
  afterAll(async () => {
    cp.destroy();
    await emu.close();
  });
  beforeEach(() => {
    emu.aws.faults.clear();
    emu.aws.counters.reset();
  });

  it("30% throttling is survived by the SDK's own retries, and every attempt is counted", async () => {
    emu.setFaults({ throttleRate: 0.3 });
    const attempts = await getMany(cp, 8);
    const c: OperationCount = emu.aws.counters.get("CodePipeline.GetPipeline");
    expect(c.ok).toBe(8);
    expect(c.requests).toBe(sum(attempts));
    expect(c.throttled).toBe(sum(attempts) - 8);
    expect(c.throttled).toBeGreaterThan(0); // seed 2026 throttles some of them
    expect(c.serverErrors + c.dropped + c.clientErrors).toBe(0);
  });

  it("30% 5xx is survived by the SDK's own retries", async () => {
    emu.aws.faults.set({ errorRate: 0.3 });
    const attempts = await getMany(cp, 8);
    const c = emu.aws.counters.get("CodePipeline.GetPipeline");
    expect(c.ok).toBe(8);
    expect(c.serverErrors).toBe(sum(attempts) - 8);
    expect(c.serverErrors).toBeGreaterThan(0);
  });

  it("30% dropped connections are survived by the SDK's own retries", async () => {
    emu.aws.faults.set({ dropRate: 0.3 });
    const attempts = await getMany(cp, 8);
    const c = emu.aws.counters.get("CodePipeline.GetPipeline");
    expect(c.ok).toBe(8);
    expect(c.dropped).toBe(sum(attempts) - 8);
    expect(c.dropped).toBeGreaterThan(0);
  });

  it("without retries the typed errors surface: ThrottlingException 400, 503, socket hang up", async () => {
    const once = codePipeline(emu.endpoints.aws!, 1);
    try {
      emu.aws.faults.set({ throttleRate: 1 });
      const throttled = await rejection(once.send(new ListPipelinesCommand({})));
      expect(throttled.name).toBe("ThrottlingException");
      expect(throttled.$metadata?.httpStatusCode).toBe(400);
      expect(throttled.$metadata?.attempts).toBe(1);

      emu.aws.faults.set({ throttleRate: 0, errorRate: 1 });
      const unavailable = await rejection(once.send(new ListPipelinesCommand({})));
      expect(unavailable.name).toBe("ServiceUnavailableException");
      expect(unavailable.$metadata?.httpStatusCode).toBe(503);

      emu.aws.faults.set({ errorRate: 0, dropRate: 1 });
      const dropped = await rejection(once.send(new ListPipelinesCommand({})));
      expect(dropped.code ?? dropped.message).toMatch(/ECONNRESET|socket hang up/);
      expect(emu.aws.counters.get("CodePipeline.ListPipelines")).toMatchObject({ requests: 3, throttled: 1, serverErrors: 1, dropped: 1, ok: 0 });
    } finally {
      once.destroy();
    }
  });

  it("all attempts fail when every request is throttled; the SDK stops at maxAttempts", async () => {
    const three = codePipeline(emu.endpoints.aws!, 3);
    try {
      emu.aws.faults.set({ errorRate: 1 });
      const err = await rejection(three.send(new ListPipelinesCommand({})));
      expect(err.$metadata?.attempts).toBe(3);
      expect(emu.aws.counters.get("CodePipeline.ListPipelines").serverErrors).toBe(3);
    } finally {
      three.destroy();
    }
  });

  it("latency is added to every answer and can be changed at run time", async () => {
    emu.aws.faults.set({ latencyMs: 250 });
    let t0 = performance.now();
    await cp.send(new ListPipelinesCommand({}));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    emu.aws.faults.set({ latencyMs: 0 });
    expect(emu.aws.faults.get()).toEqual({ latencyMs: 0, throttleRate: 0, errorRate: 0, dropRate: 0 });
    t0 = performance.now();
    await cp.send(new ListPipelinesCommand({}));
    expect(performance.now() - t0).toBeLessThan(240);
  });

  it("bad settings are refused", () => {
    expect(() => emu.aws.faults.set({ throttleRate: 1.5 })).toThrow(RangeError);
    expect(() => emu.aws.faults.set({ latencyMs: -1 })).toThrow(RangeError);
  });
});

describe("fault schedules are reproducible", () => {
  /** The outcome of 20 calls without retries: "." ok, "T" throttled, "E" 5xx, "D" dropped. */
  async function schedule(seed: number): Promise<string> {
    const emu = await startEmulators({ providers: ["aws"], seed, throttleRate: 0.2, errorRate: 0.2, dropRate: 0.1 });
    const cp = codePipeline(emu.endpoints.aws!, 1);
    let out = "";
    try {
      for (let i = 0; i < 20; i++) {
        try {
          await cp.send(new ListPipelinesCommand({}));
          out += ".";
        } catch (e) {
          const name = (e as Error).name;
          out += name === "ThrottlingException" ? "T" : name === "ServiceUnavailableException" ? "E" : "D";
        }
      }
      const c = emu.aws.counters.get("CodePipeline.ListPipelines");
      expect(c.requests).toBe(20);
      expect(c.throttled).toBe(out.split("T").length - 1);
      expect(c.serverErrors).toBe(out.split("E").length - 1);
      expect(c.dropped).toBe(out.split("D").length - 1);
      return out;
    } finally {
      cp.destroy();
      await emu.close();
    }
  }

  it("the same seed gives the same schedule; another seed another one", async () => {
    const a = await schedule(11);
    expect(await schedule(11)).toBe(a);
    expect(a).toMatch(/[TED]/);
    expect(a).toMatch(/\./);
    expect(await schedule(12)).not.toBe(a);
  });
});

describe("Cloud Build fault injection", () => {
  let emu: Emulators;
  let gcb: CloudBuildClient;

  beforeAll(async () => {
    emu = await startEmulators({ providers: ["gcp"], seed: 5 });
    gcb = cloudBuild(emu.endpoints.gcp!);
  });
  afterAll(async () => {
    await gcb.close();
    await emu.close();
  });
  beforeEach(() => {
    emu.gcp.faults.clear();
    emu.gcp.counters.reset();
  });

  // The fallback client sees HTTP codes (429, 503), which its retry settings (gRPC codes
  // UNAVAILABLE, DEADLINE_EXCEEDED) do not match: nothing is retried. pipeglot backs off itself.
  it("throttling is HTTP 429 RESOURCE_EXHAUSTED and is not retried by the client", async () => {
    emu.gcp.faults.set({ throttleRate: 1 });
    const err = await rejection(gcb.listBuildTriggers({ parent: PARENT }));
    expect(err.code).toBe(429);
    expect(err.message).toContain('"status":"RESOURCE_EXHAUSTED"');
    expect(emu.gcp.counters.get("CloudBuild.ListBuildTriggers")).toMatchObject({ requests: 1, throttled: 1 });
  });

  it("5xx is HTTP 503 UNAVAILABLE; a dropped connection is ECONNRESET", async () => {
    emu.gcp.faults.set({ errorRate: 1 });
    const unavailable = await rejection(gcb.createBuildTrigger({ parent: PARENT, trigger: { name: "t", github: GITHUB, filename: "cloudbuild.yaml" } }));
    expect(unavailable.code).toBe(503);
    expect(unavailable.message).toContain('"status":"UNAVAILABLE"');
    emu.gcp.faults.set({ errorRate: 0, dropRate: 1 });
    const dropped = await rejection(gcb.listBuildTriggers({ parent: PARENT }));
    expect(dropped.code).toBe("ECONNRESET");
    expect(emu.gcp.state()).toEqual([]); // the failed create left nothing behind
  });

  it("with 30% throttling a caller's own retry loop gets through, and the counts add up", async () => {
    emu.gcp.faults.set({ throttleRate: 0.3 });
    let calls = 0;
    for (let i = 0; i < 6; i++) {
      for (;;) {
        calls++;
        try {
          await gcb.createBuildTrigger({ parent: PARENT, trigger: { name: `t${i}`, github: GITHUB, filename: "cloudbuild.yaml" } });
          break;
        } catch (e) {
          expect((e as { code?: number }).code).toBe(429);
        }
      }
    }
    const c = emu.gcp.counters.get("CloudBuild.CreateBuildTrigger");
    expect(c).toMatchObject({ requests: calls, ok: 6, throttled: calls - 6 });
    expect(c.throttled).toBeGreaterThan(0);
    expect(emu.gcp.state()).toHaveLength(6);
  });
});
