/**
 * Ownership is per pipeline (issue 13): OCI keeps pipelines apart by the `pipeglot-pipeline` tag.
 * Deploy artifacts are named `artifact-<name>` in the project, whatever the pipeline, so two
 * pipelines with the same artifacts give them the same display name: each pipeline must see and
 * write only its own, and prune from one must never delete the other's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apply, plan, planHasChanges, type Plan } from "@pipeglot/core";
import { provider } from "@pipeglot/oci";
import type { PipelineIR } from "@pipeglot/schema";
import type { Emulators } from "@pipeglot/emulators";
import { cleanup, connectTo, example, identity, startOci, type Identity } from "./helpers.js";

describe("OCI: ownership is per pipeline", () => {
  let id: Identity;
  let emu: Emulators;
  let a: PipelineIR;
  let b: PipelineIR;

  beforeAll(async () => {
    id = identity();
    emu = await startOci(id);
    a = await example("node-webapp");
    b = structuredClone(a);
    b.name = "shop-admin";
  });
  afterAll(async () => {
    await emu.close();
    cleanup(id);
  });

  const planOf = async (ir: PipelineIR, prune = false) => {
    const client = await connectTo(emu, id, ir);
    return { client, plan: await plan("oci", ir.name, provider.live.desired(provider.compile(ir)), client, { prune }) };
  };
  const sync = async (ir: PipelineIR, prune = false): Promise<Plan> => {
    const { client, plan: p } = await planOf(ir, prune);
    const r = await apply(p, client, { minBackoffMs: 5, maxBackoffMs: 50, retries: 30 });
    expect(r.ok).toBe(true);
    return p;
  };
  const owners = (displayName: string) =>
    emu.oci
      .state()
      .filter((s) => s.resource.displayName === displayName)
      .map((s) => (s.resource.freeformTags as Record<string, string>)["pipeglot-pipeline"])
      .sort();

  it("same-named artifacts of two pipelines stay apart: each plan sees only its own, no problem, no takeover", async () => {
    await sync(a);
    const artifacts = emu.oci
      .state()
      .filter((s) => s.kind === "deployArtifact")
      .map((s) => String(s.resource.displayName));
    expect(artifacts.length).toBeGreaterThan(0);
    const pb = (await planOf(b)).plan;
    expect(pb.problems).toEqual([]);
    for (const name of artifacts) expect(pb.changes.find((c) => c.key.name === name)!.action).toBe("create");
    await sync(b);
    for (const name of artifacts) expect(owners(name)).toEqual(["shop-admin", "shop-web"]);
    for (const ir of [a, b]) {
      const p = (await planOf(ir)).plan;
      expect(p.problems).toEqual([]);
      expect(planHasChanges(p)).toBe(false);
    }
  });

  it("prune from one pipeline never deletes the other's", async () => {
    const before = emu.oci.state().filter((s) => (s.resource.freeformTags as Record<string, string>)["pipeglot-pipeline"] === "shop-web").length;
    const fewer: PipelineIR = structuredClone(b);
    fewer.stages = fewer.stages.filter((s) => !s.approval && !s.jobs.some((j) => j.environment));
    const p = await sync(fewer, true);
    expect(p.changes.filter((c) => c.action === "delete").length).toBeGreaterThan(0);
    expect(emu.oci.state().filter((s) => (s.resource.freeformTags as Record<string, string>)["pipeglot-pipeline"] === "shop-web")).toHaveLength(before);
    expect(planHasChanges((await planOf(a)).plan)).toBe(false);
  });
});
