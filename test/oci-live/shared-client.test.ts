/**
 * One OciLiveClient for several pipelines of a project (as the bench and a drift job use it): each
 * pipeline has its own registry; the project's listings are one list per kind, shared while the
 * client is busy, patched by its own writes (apply then plan in one process sees what it wrote),
 * dropped when it is idle (the next plan sees another writer's change).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apply, plan, planHasChanges, renderApply } from "@pipeglot/core";
import { connect, provider, type OciLiveClient } from "@pipeglot/oci";
import type { PipelineIR } from "@pipeglot/schema";
import type { Emulators } from "@pipeglot/emulators";
import { cleanup, env, example, identity, startOci, type Identity } from "./helpers.js";

const renamed = (ir: PipelineIR, name: string): PipelineIR => ({ ...structuredClone(ir), name });
const desiredOf = (ir: PipelineIR) => provider.live.desired(provider.compile(ir));

describe("one OCI client, many pipelines", () => {
  let id: Identity;
  let emu: Emulators;
  let client: OciLiveClient;
  let irs: PipelineIR[];

  beforeAll(async () => {
    id = identity();
    emu = await startOci(id, { ociWorkRequestMs: 0 });
    const base = await example("node-webapp");
    irs = ["shop-a", "shop-b", "shop-c"].map((n) => renamed(base, n));
    client = await connect({ target: { ...(base.targets.oci ?? {}) }, env: env(id), endpoint: emu.endpoints.oci! });
  });
  afterAll(async () => {
    await emu.close();
    cleanup(id);
  });

  const lists = () =>
    Object.entries(emu.oci.counters.snapshot())
      .filter(([op]) => op.startsWith("Devops.List"))
      .reduce((n, [, v]) => n + v.requests, 0);

  it("applies three pipelines at once through one client, then plans each clean in the same process", async () => {
    const results = await Promise.all(
      irs.map(async (ir) => {
        const p = await plan("oci", ir.name, desiredOf(ir), client);
        expect(p.problems).toEqual([]);
        return apply(p, client, { minBackoffMs: 5, maxBackoffMs: 50, retries: 30 });
      }),
    );
    for (const r of results) expect(r.ok, renderApply(r)).toBe(true);
    // Each pipeline's resources carry its own tag: nothing was shared or taken over.
    for (const ir of irs)
      expect(emu.oci.state().filter((s) => (s.resource.freeformTags as Record<string, string>)["pipeglot-pipeline"] === ir.name)).toHaveLength(
        desiredOf(ir).length,
      );
    emu.oci.counters.reset();
    const plans = await Promise.all(irs.map((ir) => plan("oci", ir.name, desiredOf(ir), client)));
    for (const p of plans) expect(planHasChanges(p) || p.problems.length > 0).toBe(false);
    // One listing per kind for the three plans together, then one GET per resource.
    expect(lists()).toBe(6);
    expect(emu.oci.counters.total()).toBe(6 + irs.reduce((n, ir) => n + desiredOf(ir).length, 0));
  });

  it("a change by another writer is seen by the next plan (the listings do not outlive the busy span)", async () => {
    const other = await connect({ target: { ...(irs[1]!.targets.oci ?? {}) }, env: env(id), endpoint: emu.endpoints.oci! });
    const key = { kind: "oci.Trigger", name: "shop-b-pull-request" };
    const [live] = await other.read([key], "shop-b");
    expect(live?.owner).toBe("shop-b");
    const gone = await apply(
      { provider: "oci", pipeline: "shop-b", problems: [], changes: [{ action: "delete", key, before: live!.body, reason: "test", dependsOn: [], diff: [] }] },
      other,
    );
    expect(gone.ok, renderApply(gone)).toBe(true);
    const p = await plan("oci", "shop-b", desiredOf(irs[1]!), client);
    expect(p.changes.filter((c) => c.action !== "noop").map((c) => `${c.action} ${c.key.name}`)).toEqual(["create shop-b-pull-request"]);
    // Re-creating it with the very same body is a new create, not a replay of the first one's
    // retry token (OCI keeps retry tokens for 24 hours): afterwards it exists.
    const again = await apply(p, client, { minBackoffMs: 5, maxBackoffMs: 50, retries: 30 });
    expect(again.ok, renderApply(again)).toBe(true);
    const [back] = await other.read([key], "shop-b");
    expect(back?.owner).toBe("shop-b");
    expect(planHasChanges(await plan("oci", "shop-b", desiredOf(irs[1]!), other))).toBe(false);
  });
});
