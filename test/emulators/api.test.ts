/** The programmatic API and the CLI entry: env vars, ports, providers, shutdown. */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CodeBuildClient, ListProjectsCommand } from "@aws-sdk/client-codebuild";
import { CodePipelineClient, ListPipelinesCommand } from "@aws-sdk/client-codepipeline";
import {
  DUMMY_ACCESS_KEY_ID,
  EmulateUsageError,
  GCB_ENDPOINT_ENV,
  PORT_OFFSETS,
  PROVIDER_IDS,
  emulateCommand,
  parseProviders,
  startEmulators,
  type Emulators,
} from "@pipeglot/emulators";
import { cloudBuild } from "./fixtures.js";

const open: Emulators[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function start(...args: Parameters<typeof startEmulators>): Promise<Emulators> {
  const e = await startEmulators(...args);
  open.push(e);
  return e;
}

/** A port that was free a moment ago, with the next few free too (for base-port tests). */
async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ok = await Promise.all(
      [0, 1, 2, 3].map(
        (d) =>
          new Promise<boolean>((resolve) => {
            const s = createServer();
            s.once("error", () => resolve(false));
            s.listen(base + d, "127.0.0.1", () => s.close(() => resolve(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return base;
  }
  throw new Error("no free port range found");
}

describe("startEmulators", () => {
  it("starts both by default on 127.0.0.1 with env for the SDKs", async () => {
    const emu = await start();
    expect(emu.providers).toEqual([...PROVIDER_IDS]);
    expect(emu.env).toMatchObject({
      AWS_ENDPOINT_URL_CODEPIPELINE: emu.endpoints.aws,
      AWS_ENDPOINT_URL_CODEBUILD: emu.endpoints.aws,
      AWS_ACCESS_KEY_ID: DUMMY_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      AWS_REGION: "us-east-1",
      [GCB_ENDPOINT_ENV]: emu.endpoints.gcp,
    });
    expect(emu.endpoints.aws).not.toBe(emu.endpoints.gcp);
  });

  it("the AWS SDK finds the emulator from the env alone (no endpoint, no credentials in code)", async () => {
    const emu = await start({ providers: ["aws"] });
    const saved = { ...process.env };
    try {
      for (const k of ["AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_SESSION_TOKEN"]) delete process.env[k];
      Object.assign(process.env, emu.env);
      const cp = new CodePipelineClient({ maxAttempts: 1 });
      const cb = new CodeBuildClient({ maxAttempts: 1 });
      try {
        expect((await cp.send(new ListPipelinesCommand({}))).pipelines).toEqual([]);
        expect((await cb.send(new ListProjectsCommand({}))).projects).toEqual([]);
      } finally {
        cp.destroy();
        cb.destroy();
      }
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    expect(emu.aws.counters.get("CodePipeline.ListPipelines").ok).toBe(1);
    expect(emu.aws.counters.get("CodeBuild.ListProjects").ok).toBe(1);
  });

  it("a base port places each provider at its fixed offset", async () => {
    const base = await freeBasePort();
    const emu = await start({ port: base });
    expect(emu.aws.port).toBe(base + PORT_OFFSETS.aws);
    expect(emu.gcp.port).toBe(base + PORT_OFFSETS.gcp);
  });

  it("only the requested providers start; asking for another one says so", async () => {
    const emu = await start({ providers: ["gcp"] });
    expect(emu.endpoints).toEqual({ gcp: emu.endpoints.gcp });
    expect(() => emu.aws).toThrow(/aws emulator was not started/);
    await expect(startEmulators({ providers: ["github" as never] })).rejects.toThrow(/unknown provider "github"/);
    await expect(startEmulators({ throttleRate: 2 })).rejects.toThrow(RangeError);
    await expect(startEmulators({ botocoreDir: "/nonexistent" })).rejects.toThrow(/botocoreDir/);
  });

  it("close() stops listening and ends kept-alive connections", async () => {
    const emu = await startEmulators({ providers: ["gcp"] });
    const gcb = cloudBuild(emu.endpoints.gcp!);
    await gcb.listBuildTriggers({ parent: "projects/p/locations/l" });
    await emu.close();
    await emu.close(); // idempotent
    await expect(fetch(`${emu.endpoints.gcp}/v1/projects/p/locations/l/triggers`)).rejects.toThrow();
    await gcb.close();
  });

  it("reset() forgets the state", async () => {
    const emu = await start({ providers: ["gcp"] });
    const res = await fetch(`${emu.endpoints.gcp}/v1/projects/p/locations/l/triggers`, {
      method: "POST",
      body: JSON.stringify({ name: "t", github: { owner: "o", name: "r", push: { branch: "main" } }, filename: "cloudbuild.yaml" }),
    });
    expect(res.status).toBe(200);
    expect(emu.gcp.state()).toHaveLength(1);
    emu.gcp.reset();
    expect(emu.gcp.state()).toEqual([]);
  });
});

describe("emulateCommand (pipeglot emulate)", () => {
  it("starts what --providers names and prints endpoints, faults and env", async () => {
    const { text, emulators } = await emulateCommand({ providers: "aws,gcp", latency: 5, throttle: 0.1, errors: 0.05, drop: 0, seed: 9 }, {});
    open.push(emulators);
    expect(text).toContain(`aws  ${emulators.endpoints.aws}`);
    expect(text).toContain(`gcp  ${emulators.endpoints.gcp}`);
    expect(text).toContain("botocore validation off");
    expect(text).toContain("faults: latency 5 ms, throttle 0.1, errors 0.05, drop 0 (seed 9)");
    expect(text).toContain(`export AWS_ENDPOINT_URL_CODEPIPELINE=${emulators.endpoints.aws}`);
    expect(text).toContain(`export ${GCB_ENDPOINT_ENV}=${emulators.endpoints.gcp}`);
    expect(emulators.gcp.faults.get()).toEqual({ latencyMs: 5, throttleRate: 0.1, errorRate: 0.05, dropRate: 0 });
  });

  it("usage errors are EmulateUsageError with a readable message", async () => {
    expect(() => parseProviders("aws,github")).toThrow(/unknown provider "github"; available: aws, azure, gcp/);
    expect(() => parseProviders("")).toThrow(EmulateUsageError);
    expect(parseProviders(["gcp", "aws,gcp"])).toEqual(["gcp", "aws"]);
    await expect(emulateCommand({ throttle: 3 }, {})).rejects.toThrow(EmulateUsageError);
    await expect(emulateCommand({ port: 70000 }, {})).rejects.toThrow(/--port/);
  });
});
