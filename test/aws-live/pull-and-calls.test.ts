/**
 * pull: an applied pipeline read back imports to the definition (apart from the documented
 * losses); the API calls of a no-op plan, counted by the emulator; connect's settings and the
 * SDK's own endpoint variables.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDeepStrictEqual } from "node:util";
import { planHasChanges, toYaml } from "@pipeglot/core";
import { denormalize, validate } from "@pipeglot/schema";
import { awsSettings, connectAws, importFiles, pull } from "@pipeglot/aws";
import { desiredOf, fastApply, loadExample, planOf, rig, type Rig } from "./helpers.js";
import { ALWAYS_STRIPPED } from "../aws/losses.js";

/** What AWS cannot hold besides ALWAYS_STRIPPED (see test/aws/roundtrip.test.ts): pull inherits compile's losses. */
const KNOWN_LOSSES: Record<string, string[]> = {
  "node-webapp": ["/stages/2/approval/approvers", "/stages/2/approval/notify"],
  release: [],
};
const strip = (o: unknown, ptr: string) => {
  const parts = ptr.split("/").slice(1);
  const holder = parts.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], o) as Record<string, unknown> | undefined;
  if (holder) delete holder[parts[parts.length - 1]!];
};

describe("pull", () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(() => r.close());

  for (const name of ["release", "node-webapp"])
    it(`${name}: pull of the applied pipeline imports back to the definition`, async () => {
      const ir = await loadExample(name);
      expect((await fastApply(await planOf(ir, r.client), r.client)).ok).toBe(true);
      r.emu.aws.counters.reset();
      const files = await pull(r.client, ir.name);
      expect(Object.keys(r.emu.aws.counters.snapshot()).sort()).toEqual([
        "CodeBuild.BatchGetProjects",
        "CodePipeline.GetPipeline",
        "CodePipeline.GetPipelineState",
        "CodePipeline.ListTagsForResource",
      ]);
      expect(files.map((f) => f.path)).toEqual([
        ...desiredOf(ir)
          .filter((d) => d.key.kind === "codebuild.Project")
          .map((d) => `codebuild/${d.key.name}.json`),
        "pipeline.json",
        ...(name === "release" ? ["transitions.json"] : []),
      ]);
      const res = importFiles(files);
      expect(res.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const back = res.pipeline!;
      expect(validate(toYaml(denormalize(back))).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const want = ALWAYS_STRIPPED(ir);
      const have = ALWAYS_STRIPPED(back);
      for (const l of KNOWN_LOSSES[name]!) {
        const at = (o: unknown) =>
          l
            .split("/")
            .slice(1)
            .reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], o);
        expect(isDeepStrictEqual(at(want), at(have)), `${l} round-trips now: remove it from KNOWN_LOSSES`).toBe(false);
        strip(want, l);
        strip(have, l);
      }
      expect(have).toEqual(want);
    });

  it("an unknown pipeline pulls to nothing", async () => {
    expect(await pull(r.client, "does-not-exist")).toEqual([]);
  });
});

describe("API calls of a no-op plan (emulator counters)", () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(() => r.close());

  it("node-webapp: 7 resources, 4 requests; with --prune 3 more", async () => {
    const ir = await loadExample("node-webapp");
    // A plan of a pipeline that does not exist yet: no tags call, no state call.
    r.emu.aws.counters.reset();
    await planOf(ir, r.client);
    expect(r.emu.aws.counters.total()).toBe(2); // BatchGetProjects + GetPipeline (not found)
    expect((await fastApply(await planOf(ir, r.client), r.client)).ok).toBe(true);

    r.emu.aws.counters.reset();
    const p = await planOf(ir, r.client);
    expect(planHasChanges(p)).toBe(false);
    expect(p.changes).toHaveLength(7);
    const counts = Object.fromEntries(Object.entries(r.emu.aws.counters.snapshot()).map(([k, v]) => [k, v.requests]));
    expect(counts).toEqual({
      "CodeBuild.BatchGetProjects": 1,
      "CodePipeline.GetPipeline": 1,
      "CodePipeline.GetPipelineState": 1,
      "CodePipeline.ListTagsForResource": 1,
    });

    r.emu.aws.counters.reset();
    await planOf(ir, r.client, true);
    expect(r.emu.aws.counters.total()).toBe(7);
  });

  it("250 projects are read with 3 BatchGetProjects requests", async () => {
    const keys = Array.from({ length: 250 }, (_, i) => ({ kind: "codebuild.Project", name: `p-${i}` }));
    r.emu.aws.counters.reset();
    const live = await r.client.read(keys);
    expect(live.every((l) => l === undefined)).toBe(true);
    expect(r.emu.aws.counters.get("CodeBuild.BatchGetProjects").requests).toBe(3);
  });
});

describe("connect", () => {
  it("settings: region and endpoint precedence, credentials only from env keys without a profile", () => {
    const s = awsSettings({
      target: { region: "eu-west-1" },
      env: {
        AWS_REGION: "us-east-2",
        AWS_ENDPOINT_URL_CODEPIPELINE: "http://127.0.0.1:1",
        AWS_ENDPOINT_URL: "http://127.0.0.1:2",
        AWS_ACCESS_KEY_ID: "AKIAX",
        AWS_SECRET_ACCESS_KEY: "s",
      },
    });
    expect(s).toMatchObject({
      region: "eu-west-1",
      codepipelineEndpoint: "http://127.0.0.1:1",
      codebuildEndpoint: "http://127.0.0.1:2",
      credentials: { accessKeyId: "AKIAX" },
    });
    const o = awsSettings({
      target: {},
      env: {
        AWS_DEFAULT_REGION: "ap-south-1",
        AWS_PROFILE: "dev",
        AWS_ACCESS_KEY_ID: "AKIAX",
        AWS_SECRET_ACCESS_KEY: "s",
        AWS_ENDPOINT_URL_CODEBUILD: "http://x:3",
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
      },
      endpoint: undefined,
    });
    expect(o).toEqual({ region: "ap-south-1" });
    expect(awsSettings({ target: {}, env: { AWS_ENDPOINT_URL_CODEBUILD: "http://x:3" }, endpoint: "http://127.0.0.1:9" })).toMatchObject({
      codepipelineEndpoint: "http://127.0.0.1:9",
      codebuildEndpoint: "http://127.0.0.1:9",
    });
    expect(() => awsSettings({ target: { region: "mars" }, env: {} })).toThrow(/not an AWS region/);
    expect(() => awsSettings({ target: {}, env: {}, endpoint: "ftp://x" })).toThrow(/http/);
  });

  it("the SDK honours AWS_ENDPOINT_URL_CODEPIPELINE / _CODEBUILD and env credentials from process.env by itself", async () => {
    const r = await rig();
    const saved = { ...process.env };
    try {
      for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
      Object.assign(process.env, r.emu.env);
      // connect gets an empty env: everything below comes from the SDK's own resolution.
      const client = await connectAws({ target: {}, env: {} });
      r.emu.aws.counters.reset();
      expect(
        await client.read([
          { kind: "codepipeline.Pipeline", name: "x" },
          { kind: "codebuild.Project", name: "y" },
        ]),
      ).toEqual([undefined, undefined]);
      expect(r.emu.aws.counters.get("CodePipeline.GetPipeline").requests).toBe(1);
      expect(r.emu.aws.counters.get("CodeBuild.BatchGetProjects").requests).toBe(1);
      client.close();
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      await r.close();
    }
  });

  it("no region anywhere is a clear error", async () => {
    const saved = { ...process.env };
    try {
      for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
      process.env.AWS_CONFIG_FILE = "/nonexistent/pipeglot-aws-config";
      process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/pipeglot-aws-credentials";
      await expect(connectAws({ target: {}, env: {} })).rejects.toThrow(/no AWS region/);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
