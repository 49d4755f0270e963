/**
 * Work requests of writes in flight are waited for together (packages/oci/src/live/work-requests.ts):
 * one ListWorkRequests of the compartment answers the waits that came due while another request
 * was on the wire. Through the real SDK against the emulator, whose work requests move on only when
 * looked at (by id or in a listing).
 */
import { afterEach, describe, expect, it } from "vitest";
import { apply, plan, planHasChanges, renderApply } from "@pipeglot/core";
import { connect, provider } from "@pipeglot/oci";
import type { PipelineIR } from "@pipeglot/schema";
import type { Emulators } from "@pipeglot/emulators";
import { cleanup, env, example, identity, startOci, type Identity } from "./helpers.js";

const renamed = (ir: PipelineIR, name: string): PipelineIR => ({ ...structuredClone(ir), name });
const desiredOf = (ir: PipelineIR) => provider.live.desired(provider.compile(ir));

describe("waiting for work requests together", () => {
  let id: Identity | undefined;
  let emu: Emulators | undefined;
  afterEach(async () => {
    await emu?.close();
    if (id) cleanup(id);
  });

  const count = (op: string) => emu!.oci.counters.snapshot()[`Devops.${op}`]?.requests ?? 0;

  it("six pipelines applied at once: fewer work-request calls than writes, and everything ends ACTIVE", async () => {
    id = identity();
    // Each work request needs two looks (ACCEPTED → IN_PROGRESS → SUCCEEDED), and each answer takes
    // 20 ms, so waits come due while a look is on the wire (without latency, a fast client may
    // finish each look before the next wait comes due, and nothing gathers).
    emu = await startOci(id, { ociWorkRequestPolls: 2, latencyMs: 20 });
    const base = await example("node-webapp");
    const irs = Array.from({ length: 6 }, (_, i) => renamed(base, `shop-${i}`));
    const client = await connect({ target: { ...(base.targets.oci ?? {}) }, env: { ...env(id), PIPEGLOT_OCI_POLL_MS: "5" }, endpoint: emu.endpoints.oci! });
    const results = await Promise.all(
      irs.map(async (ir) => apply(await plan("oci", ir.name, desiredOf(ir), client), client, { parallelism: 4, minBackoffMs: 5, maxBackoffMs: 50 })),
    );
    for (const r of results) expect(r.ok, renderApply(r)).toBe(true);
    const writes = irs.reduce((n, ir) => n + desiredOf(ir).length, 0);
    const looks = count("GetWorkRequest") + count("ListWorkRequests");
    // One by one it would be two looks per write.
    expect(count("ListWorkRequests")).toBeGreaterThan(0);
    expect(looks).toBeLessThan(writes);
    expect(emu.oci.state().every((s) => s.resource.lifecycleState === "ACTIVE")).toBe(true);
    for (const ir of irs) expect(planHasChanges(await plan("oci", ir.name, desiredOf(ir), client))).toBe(false);
  });

  it("a work request that fails fails its write, with its id, while the others it was listed with succeed", async () => {
    id = identity();
    emu = await startOci(id, { ociWorkRequestPolls: 2 });
    const base = await example("node-webapp");
    const irs = ["shop-x", "shop-y"].map((n) => renamed(base, n));
    const client = await connect({ target: { ...(base.targets.oci ?? {}) }, env: { ...env(id), PIPEGLOT_OCI_POLL_MS: "5" }, endpoint: emu.endpoints.oci! });
    emu.oci.failWorkRequests((w) => w.operationType === "CREATE_TRIGGER" && w.resourceName === "shop-x-pull-request");
    const [x, y] = await Promise.all(irs.map(async (ir) => apply(await plan("oci", ir.name, desiredOf(ir), client), client, { parallelism: 4, retries: 0 })));
    expect(y!.ok, renderApply(y!)).toBe(true);
    expect(x!.ok).toBe(false);
    const failed = x!.results.find((r) => r.status === "failed");
    expect(failed?.key.name).toBe("shop-x-pull-request");
    expect(failed?.message).toMatch(/work request ocid1\.devopsworkrequest\.\S+ FAILED/);
  });
});
