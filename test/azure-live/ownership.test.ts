/**
 * Ownership is per pipeline (issue 13), and Azure environments are shared: two pipelines that
 * deploy to the same environments must not overwrite each other's Approval check, and a prune from
 * either must never delete an environment or the check the other still relies on (Azure would
 * recreate the environment on the next deploy without the check: the gate silently gone).
 * Through azure-devops-node-api against the emulator.
 */
import { apply, keyString, plan, planHasChanges, renderApply, type Plan } from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";
import { live } from "@pipeglot/azure";
import { afterEach, describe, expect, it } from "vitest";
import { APPROVER, compileOk, shopIR, world, type World } from "./helpers.js";

const { desiredResources } = live;
const OTHER_APPROVER = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const worlds: World[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.emu.close()));
});

async function setup() {
  const w = await world();
  worlds.push(w);
  const client = await w.client();
  const a = await shopIR();
  const b: PipelineIR = structuredClone(a);
  b.name = "shop-admin";
  return { w, client, a, b };
}

const planOf = (ir: PipelineIR, client: live.AzureLiveClient, prune = false): Promise<Plan> =>
  plan("azure", ir.name, desiredResources(compileOk(ir)), client, { prune });
const withApprover = (ir: PipelineIR, id: string): PipelineIR => {
  const out = structuredClone(ir);
  for (const s of out.stages) if (s.approval) s.approval.approvers = [id];
  return out;
};
const checks = (w: World) =>
  w.emu.azure.state()[0]!.checks.map((c) => ({
    env: (c.resource as { name: string }).name,
    approvers: ((c.settings as { approvers: { id: string }[] }).approvers ?? []).map((x) => x.id),
  }));
const envs = (w: World) =>
  w.emu.azure
    .state()[0]!
    .environments.map((e) => `${e.name}: ${e.description}`)
    .sort();
const actions = (p: Plan) => Object.fromEntries(p.changes.map((c) => [keyString(c.key), c.action]));

describe("Azure: environments shared by two pipelines", () => {
  it("the second pipeline asking for another approver is a problem naming both pipelines; nothing of the first is written", async () => {
    const { w, client, a, b } = await setup();
    expect((await apply(await planOf(a, client), client)).ok).toBe(true);
    const before = { checks: checks(w), envs: envs(w) };
    expect(before.checks).toEqual([{ env: "production", approvers: [APPROVER] }]);

    const p = await planOf(withApprover(b, OTHER_APPROVER), client);
    expect(p.problems.map((x) => keyString(x.key))).toEqual(["azure.CheckConfiguration/production"]);
    expect(p.problems[0]!.message).toMatch(
      /belongs to pipeline "shop-web", which shares it with pipeline "shop-admin"; pipeline "shop-admin" asks for a different one/,
    );
    // The environments are used as they are: never rewritten to name shop-admin.
    expect(actions(p)["azure.Environment/production"]).toBe("noop");
    expect(actions(p)["azure.Environment/staging"]).toBe("noop");
    expect(p.changes.find((c) => c.key.name === "production" && c.key.kind === "azure.Environment")!.reason).toBe(
      'belongs to pipeline "shop-web"; used as it is',
    );
    await apply(p, client); // the engine alone (the CLI refuses a plan with problems)
    expect({ checks: checks(w), envs: envs(w) }).toEqual(before);
  });

  it("two pipelines asking for the same gate share it; plans of either stay empty (no ping-pong)", async () => {
    const { w, client, a, b } = await setup();
    expect((await apply(await planOf(a, client), client)).ok).toBe(true);
    const pb = await planOf(b, client);
    expect(pb.problems).toEqual([]);
    expect(actions(pb)).toMatchObject({
      "azure.Environment/production": "noop",
      "azure.CheckConfiguration/production": "noop",
      "azure.BuildDefinition/shop-admin": "create",
    });
    const r = await apply(pb, client);
    expect(r.ok, renderApply(r)).toBe(true);
    for (let i = 0; i < 2; i++)
      for (const ir of [a, b]) {
        const p = await planOf(ir, client);
        expect(p.problems).toEqual([]);
        expect(planHasChanges(p)).toBe(false);
      }
    expect(envs(w)).toEqual([
      "production: Deploy target of pipeline shop-web (managed by pipeglot)",
      "staging: Deploy target of pipeline shop-web (managed by pipeglot)",
    ]);
  });

  it("prune from either pipeline deletes neither the shared environment nor its check; the gate stays", async () => {
    const { w, client, a, b } = await setup();
    expect((await apply(await planOf(a, client), client)).ok).toBe(true);
    expect((await apply(await planOf(b, client), client)).ok).toBe(true);
    const dropProduction = (ir: PipelineIR) => ({ ...structuredClone(ir), stages: ir.stages.filter((s) => !s.approval) });
    for (const ir of [b, a]) {
      const p = await planOf(dropProduction(ir), client, true);
      expect(p.changes.filter((c) => c.action === "delete").map((c) => keyString(c.key))).toEqual([]);
      expect((await apply(p, client)).ok).toBe(true);
    }
    expect(envs(w).map((e) => e.split(":")[0])).toEqual(["production", "staging"]);
    expect(checks(w)).toEqual([{ env: "production", approvers: [APPROVER] }]);
    // shop-admin deploys to production again: the gate it relies on is there, unchanged.
    const again = await planOf(b, client);
    expect(again.problems).toEqual([]);
    expect(actions(again)["azure.CheckConfiguration/production"]).toBe("noop");
  });

  it("a pipeline may not add a gate to another pipeline's environment", async () => {
    const { w, client, a, b } = await setup();
    const ungated = structuredClone(a);
    for (const s of ungated.stages) delete s.approval;
    expect((await apply(await planOf(ungated, client), client)).ok).toBe(true);
    const p = await planOf(b, client);
    expect(p.problems.map((x) => keyString(x.key))).toEqual(["azure.CheckConfiguration/production"]);
    expect(p.problems[0]!.message).toMatch(
      /does not exist, and azure\.Environment\/production belongs to pipeline "shop-web": pipeline "shop-admin" may not add it/,
    );
    expect(checks(w)).toEqual([]);
  });

  it("a definition named like another pipeline's, up to case, is that pipeline's", async () => {
    const { client, a } = await setup();
    expect((await apply(await planOf(a, client), client)).ok).toBe(true);
    const upper = structuredClone(a);
    upper.name = "Shop-Web";
    const p = await planOf(upper, client);
    expect(p.problems.map((x) => keyString(x.key))).toContain("azure.BuildDefinition/Shop-Web");
    expect(p.problems.find((x) => x.key.name === "Shop-Web")!.message).toMatch(/belongs to pipeline "shop-web", not to pipeline "Shop-Web"/);
  });

  it("--push-yaml over a YAML file another pipeline generated is a problem naming both; the file is not pushed", async () => {
    const { w, a, b } = await setup();
    const pushing = await w.client({ pushYaml: true });
    const pa = await plan("azure", a.name, desiredResources(compileOk(a), { pushYaml: true }), pushing);
    expect((await apply(pa, pushing)).ok).toBe(true);
    const file = () => w.emu.azure.state()[0]!.repositories[0]!.files["/azure-pipelines.yml"];
    const before = file();
    expect(live.yamlOwner(String(before))).toBe("shop-web");
    const pb = await plan("azure", b.name, desiredResources(compileOk(b), { pushYaml: true }), pushing);
    expect(pb.problems.map((x) => keyString(x.key))).toEqual(["azure.PipelineYaml/shop-web@main:azure-pipelines.yml"]);
    expect(pb.problems[0]!.message).toMatch(/belongs to pipeline "shop-web", not to pipeline "shop-admin"/);
    await apply(pb, pushing);
    expect(file()).toBe(before);
  });
});
