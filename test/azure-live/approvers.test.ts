/**
 * Approvers written as a team writes them — a group's name, a user's e-mail, an identity id —
 * resolve to identity ids through the Identities API (real azure-devops-node-api 17 against the
 * emulator); plan compares by id, so the plan after apply is clean; an approver that resolves to
 * nothing, to several identities, or to the same identity as another is a plan problem naming it;
 * one look-up per distinct name per client; no token in any output.
 */
import { apply, plan, planHasChanges, renderApply, renderPlan } from "@pipeglot/core";
import { live, provider } from "@pipeglot/azure";
import type { PipelineIR } from "@pipeglot/schema";
import { afterEach, describe, expect, it } from "vitest";
import { APPROVER, compileOk, FAKE_TOKEN, shopIR, world, type World } from "./helpers.js";

const { desiredResources } = live;

// Hand-written identity ids: the check must end up naming exactly these.
const GROUP_ID = "6d1e0f2a-3b4c-4d5e-8f60-718293a4b5c6";
const JANE_ID = "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";
const IDENTITIES = [
  { name: "[shop]\\release-managers", group: true, id: GROUP_ID },
  { name: "[other]\\release-managers", group: true, id: "11111111-2222-4333-8444-555555555555" },
  { name: "Jane Doe", mail: "jane@acme.example.com", id: JANE_ID },
  { name: "[a]\\qa", group: true, id: "aaaaaaaa-0000-4000-8000-00000000000a" },
  { name: "[b]\\qa", group: true, id: "bbbbbbbb-0000-4000-8000-00000000000b" },
];

const worlds: World[] = [];
const open = async () => {
  const w = await world({ azureIdentities: IDENTITIES });
  worlds.push(w);
  return w;
};
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.emu.close()));
});

async function withApprovers(approvers: string[]): Promise<PipelineIR> {
  const ir = await shopIR();
  for (const s of ir.stages) if (s.approval) s.approval.approvers = approvers;
  return ir;
}

const checkApprovers = (w: World) =>
  w.emu.azure
    .state()[0]!
    .checks.map((c) => ((c.settings as { approvers: { id: string }[] }).approvers ?? []).map((a) => a.id))
    .flat();

describe("azure approvers by name", () => {
  it("a group's name, a user's e-mail and an id resolve to their ids; the plan after apply is clean, by id", async () => {
    const w = await open();
    const ir = await withApprovers(["release-managers", "jane@acme.example.com", APPROVER]);
    const out = compileOk(ir);
    const client = await w.client();
    expect(await provider.live.preflight(client, out, {})).toMatchObject({ problems: [] });
    const r = await apply(await plan("azure", ir.name, desiredResources(out), client), client);
    expect(r.ok, renderApply(r)).toBe(true);
    // release-managers is the group of the pipeline's project (shop), not [other]'s.
    expect(checkApprovers(w)).toEqual([GROUP_ID, JANE_ID, APPROVER]);

    // A new run: one look-up per distinct name (the GUID needs none), cached for the rest of the run.
    w.emu.azure.counters.reset();
    const again = await w.client();
    expect(await provider.live.preflight(again, out, {})).toMatchObject({ problems: [] });
    const p = await plan("azure", ir.name, desiredResources(out), again);
    expect(planHasChanges(p), renderPlan(p)).toBe(false);
    await provider.live.preflight(again, out, {});
    const counts = Object.fromEntries(Object.entries(w.emu.azure.counters.snapshot()).map(([k, v]) => [k, v.requests]));
    expect(counts).toEqual({
      "Identities.ReadIdentities": 2,
      // what a no-op plan reads anyway (sync.test.ts), and each preflight's look at the YAML in Azure Repos
      "Git.GetItem": 2,
      "Location.Options.git": 1,
      "Build.GetDefinitions": 1,
      "TaskAgent.GetEnvironments": 2,
      "Checks.GetCheckConfigurations": 1,
      "Location.Options.location": 1,
      "Location.GetResourceAreas": 1,
      "Location.Options.build": 1,
      "Location.Options.distributedtask": 1,
    });

    // Written as [Project]\group and by display name: the same ids, so still nothing to change.
    const scoped = compileOk(await withApprovers(["[shop]\\release-managers", "Jane Doe", APPROVER]));
    const c3 = await w.client();
    expect(await provider.live.preflight(c3, scoped, {})).toMatchObject({ problems: [] });
    const p3 = await plan("azure", ir.name, desiredResources(scoped), c3);
    const check = p3.changes.find((c) => c.key.kind === "azure.CheckConfiguration");
    expect(check?.action ?? "noop").toBe("noop");
  });

  it("another approver is a change: plan shows it, apply writes its id", async () => {
    const w = await open();
    const ir = await withApprovers(["release-managers"]);
    const client = await w.client();
    await provider.live.preflight(client, compileOk(ir), {});
    expect((await apply(await plan("azure", ir.name, desiredResources(compileOk(ir)), client), client)).ok).toBe(true);
    const ir2 = await withApprovers(["jane@acme.example.com"]);
    const c2 = await w.client();
    await provider.live.preflight(c2, compileOk(ir2), {});
    const p = await plan("azure", ir2.name, desiredResources(compileOk(ir2)), c2);
    expect(p.changes.find((c) => c.key.kind === "azure.CheckConfiguration")!.action).toBe("update");
    expect((await apply(p, c2)).ok).toBe(true);
    expect(checkApprovers(w)).toEqual([JANE_ID]);
  });

  it("unknown, ambiguous or twice-named approvers are plan problems naming them; no token anywhere", async () => {
    const w = await open();
    const out = compileOk(await withApprovers(["nobody@acme.example.com", "qa", "Jane Doe", "jane@acme.example.com"]));
    const client = await w.client();
    const pre = await provider.live.preflight(client, out, {});
    expect(pre.problems.map((p) => `${p.key.kind}/${p.key.name}: ${p.message}`)).toEqual([
      `azure.CheckConfiguration/production: approver "nobody@acme.example.com" matches no identity of ${w.emu.azure.organizationUrl}: write a user's e-mail or principal name, a group's name ([shop]\\group) or an identity id`,
      'azure.CheckConfiguration/production: approver "qa" matches 2 identities ([a]\\qa, [b]\\qa): write the one meant as [Project]\\group, an e-mail or an identity id',
      `azure.CheckConfiguration/production: approvers "Jane Doe" and "jane@acme.example.com" are one identity (${JANE_ID}): keep one`,
    ]);
    // Nothing was written; a write that got there anyway fails with the same message.
    const p = await plan("azure", "shop-web", desiredResources(out), client);
    const r = await apply(p, client, { retries: 0 });
    const failed = r.results.find((x) => x.key.kind === "azure.CheckConfiguration");
    expect(failed?.status).toBe("failed");
    const all = [JSON.stringify(pre), renderPlan(p), renderApply(r), JSON.stringify(r)].join("\n");
    expect(all).toContain("nobody@acme.example.com");
    for (const needle of [FAKE_TOKEN, Buffer.from(`:${FAKE_TOKEN}`).toString("base64"), FAKE_TOKEN.slice(6, 26)]) expect(all).not.toContain(needle);
  });
});
