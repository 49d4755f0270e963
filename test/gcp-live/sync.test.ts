/**
 * Cloud Build live sync through the real @google-cloud/cloudbuild client (REST fallback) and the
 * pipeglot emulator: plan → apply → empty plan → edit → exact diff → apply → clean; conflicts;
 * fault storms; prune; call counts. Expectations are written by hand from the definition (which
 * command changed, which triggers carry it), not derived from the client under test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apply, plan, planHasChanges, renderApply, renderPlan, type Change } from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";
import { compile, provider } from "@pipeglot/gcp";
import { examples } from "../helpers/paths.js";
import { calls, desiredOf, FAST, finalState, harness, loadExample, locationOf, PROJECT, projectOf, withoutEmptyMaps, type Harness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.gcb.reset();
  h.gcb.faults.clear();
  h.gcb.counters.reset();
});

const HASH_TAG = /^pipeglot-hash-[0-9a-f]{12}$/;

const MARK = " && echo pipeglot-edit-1";

/** Edit the first `run` step of the first stage (in place): append MARK to its command. */
function editFirstCommand(ir: PipelineIR): void {
  for (const j of ir.stages[0]!.jobs)
    for (const st of j.steps)
      if (st.run !== undefined) {
        st.run += MARK;
        return;
      }
  throw new Error("no run step in the first stage");
}

describe("gcp live: plan → apply → no perpetual diff → exact diff → apply → clean", () => {
  for (const ex of examples()) {
    it(ex.name, async () => {
      const ir = await loadExample(ex.name);
      const client = await h.client(ir);
      const want = desiredOf(ir);
      const triggerFiles = compile(ir).files.filter((f) => f.path.startsWith("triggers/"));
      expect(want.map((d) => `triggers/${d.key.name}.json`)).toEqual(triggerFiles.map((f) => f.path));

      const p1 = await plan("gcp", ir.name, want, client);
      expect(p1.problems).toEqual([]);
      expect(p1.changes.map((c) => c.action)).toEqual(want.map(() => "create"));
      const r1 = await apply(p1, client, FAST);
      expect(r1.ok, renderApply(r1)).toBe(true);
      // What is stored is what compile wrote (plus the server's id/createTime/resourceName), in the
      // pipeline's location, approvalConfig included.
      const stored = h.gcb.state();
      expect(stored.map((s) => [s.project, s.location])).toEqual(want.map(() => [projectOf(ir), locationOf(ir)]));
      for (const f of triggerFiles) {
        const t = JSON.parse(f.content) as { name: string; approvalConfig?: unknown };
        const s = stored.find((x) => x.trigger.name === t.name)!.trigger;
        const { id, createTime, resourceName, ...rest } = s;
        expect(typeof id).toBe("string");
        expect(typeof createTime).toBe("string");
        expect(resourceName).toBe(`projects/${projectOf(ir)}/locations/${locationOf(ir)}/triggers/${id}`);
        expect(withoutEmptyMaps(rest)).toEqual(t);
      }

      // A plan right after the apply is empty.
      const p2 = await plan("gcp", ir.name, want, client);
      expect(planHasChanges(p2), renderPlan(p2)).toBe(false);

      // One command changes: every trigger whose build holds it shows exactly that change (and its
      // new source hash tag); the others stay unchanged.
      editFirstCommand(ir);
      const want2 = desiredOf(ir);
      const p3 = await plan("gcp", ir.name, want2, client);
      const updates = p3.changes.filter((c) => c.action === "update");
      expect(updates.length).toBeGreaterThan(0);
      expect(p3.changes.every((c) => c.action === "update" || c.action === "noop")).toBe(true);
      for (const c of updates) {
        const tagEntries = c.diff.filter((d) => d.path[0] === "tags");
        const rest = c.diff.filter((d) => d.path[0] !== "tags");
        // the source hash tag moves with any edit
        expect(tagEntries).toHaveLength(1);
        expect(tagEntries[0]).toMatchObject({ type: "change", before: expect.stringMatching(HASH_TAG), after: expect.stringMatching(HASH_TAG) });
        // and the command argument of the edited step (once per matrix cell): exactly old + MARK
        expect(rest.length).toBeGreaterThan(0);
        for (const d of rest) {
          expect(d.type).toBe("change");
          expect(d.path.slice(0, 2)).toEqual(["build", "steps"]);
          expect(d.path[3]).toBe("args");
          expect(d.after).toBe(`${String(d.before)}${MARK}`);
        }
      }
      // Exactly the triggers whose compiled build contains the command changed.
      const holding = compile(ir)
        .files.filter((f) => f.path.startsWith("triggers/") && f.content.includes("echo pipeglot-edit-1"))
        .map((f) => f.path.slice("triggers/".length, -".json".length));
      expect(updates.map((c) => c.key.name).sort()).toEqual(holding.sort());
      expect(renderPlan(p3)).toContain("echo pipeglot-edit-1");

      const r3 = await apply(p3, client, FAST);
      expect(r3.ok, renderApply(r3)).toBe(true);
      const p4 = await plan("gcp", ir.name, want2, client);
      expect(planHasChanges(p4), renderPlan(p4)).toBe(false);
    });
  }

  it("node-webapp: the gated production trigger keeps approvalConfig through updates (raw REST), and a removed approval is cleared", async () => {
    const ir = await loadExample("node-webapp");
    const client = await h.client(ir);
    const r = await apply(await plan("gcp", ir.name, desiredOf(ir), client), client, FAST);
    expect(r.ok).toBe(true);
    const prod = () => h.gcb.state().find((s) => s.trigger.name === "shop-web-production")!.trigger;
    expect(prod().approvalConfig).toEqual({ approvalRequired: true });
    // Edit the production deploy command: a full replace that must keep the approval.
    ir.stages[2]!.jobs[0]!.steps[0]!.run += " --verbose";
    const p = await plan("gcp", ir.name, desiredOf(ir), client);
    expect(p.changes.filter((c) => c.action === "update").map((c) => c.key.name)).toEqual(["shop-web-production"]);
    expect((await apply(p, client, FAST)).ok).toBe(true);
    expect(prod().approvalConfig).toEqual({ approvalRequired: true });
    expect(JSON.stringify(prod())).toContain("--verbose");
    // Drop the approval (keep the stage a separate part through a disabled transition).
    delete ir.stages[2]!.approval;
    ir.stages[2]!.transition = { enabled: false, reason: "frozen" };
    const p2 = await plan("gcp", ir.name, desiredOf(ir), client);
    const c = p2.changes.find((x) => x.key.name === "shop-web-production")!;
    expect(c.diff.some((d) => d.path[0] === "approvalConfig" && d.type === "remove")).toBe(true);
    expect((await apply(p2, client, FAST)).ok).toBe(true);
    expect(prod().approvalConfig).toBeUndefined();
    expect(prod().disabled).toBe(true);
    expect(planHasChanges(await plan("gcp", ir.name, desiredOf(ir), client))).toBe(false);
  });
});

describe("gcp live: desired resources", () => {
  it("node-webapp: one per trigger; the triggers whose build starts the gated production trigger wait for it", async () => {
    const ir = await loadExample("node-webapp");
    const want = desiredOf(ir);
    const prod = "cloudbuild.BuildTrigger/shop-web-production";
    expect(want.map((d) => [d.key.kind, d.key.name, d.dependsOn])).toEqual([
      ["cloudbuild.BuildTrigger", "shop-web-manual", [prod]],
      ["cloudbuild.BuildTrigger", "shop-web-pr", [prod]],
      ["cloudbuild.BuildTrigger", "shop-web-production", []],
      ["cloudbuild.BuildTrigger", "shop-web-push", [prod]],
    ]);
    const client = await h.client(ir);
    const order: string[] = [];
    const r = await apply(await plan("gcp", ir.name, want, client), client, { ...FAST, onResult: (x) => order.push(x.key.name) });
    expect(r.ok).toBe(true);
    expect(order[0]).toBe("shop-web-production");
  });
});

describe("gcp live: call counts", () => {
  it("a no-op plan makes exactly one GET per owned trigger, nothing else; creates 1 call, updates 2 (guard read + PATCH)", async () => {
    const ir = await loadExample("node-webapp");
    const client = await h.client(ir);
    const want = desiredOf(ir);
    expect(want).toHaveLength(4);
    await apply(await plan("gcp", ir.name, want, client), client, FAST);
    h.gcb.counters.reset();
    const p = await plan("gcp", ir.name, want, client);
    expect(planHasChanges(p)).toBe(false);
    expect(calls(h.gcb)).toEqual({ total: 4, byOp: { "CloudBuild.GetBuildTrigger": 4 } });

    // apply of a fresh pipeline: 4 GETs (plan) + 4 creates (3 through the Node client, 1 through REST with approvalConfig)
    h.gcb.reset();
    h.gcb.counters.reset();
    await apply(await plan("gcp", ir.name, want, client), client, FAST);
    expect(calls(h.gcb)).toEqual({ total: 8, byOp: { "CloudBuild.GetBuildTrigger": 4, "CloudBuild.CreateBuildTrigger": 4 } });

    // an update: 1 GET in the plan per trigger + (GET + PATCH) per changed trigger
    ir.stages[0]!.jobs[0]!.steps[0]!.run = "npm ci --no-audit";
    h.gcb.counters.reset();
    const p2 = await plan("gcp", ir.name, desiredOf(ir), client);
    const n = p2.changes.filter((c) => c.action === "update").length;
    expect(n).toBe(3); // push, pr, manual carry the first part's build
    await apply(p2, client, FAST);
    expect(calls(h.gcb)).toEqual({ total: 4 + 2 * n, byOp: { "CloudBuild.GetBuildTrigger": 4 + n, "CloudBuild.UpdateBuildTrigger": n } });

    // plan --prune: one listing more
    h.gcb.counters.reset();
    await plan("gcp", ir.name, desiredOf(ir), client, { prune: true });
    expect(calls(h.gcb)).toEqual({ total: 5, byOp: { "CloudBuild.GetBuildTrigger": 4, "CloudBuild.ListBuildTriggers": 1 } });
  });
});

describe("gcp live: conflicts", () => {
  it("a trigger changed by someone else between plan and apply is a conflict and is not overwritten", async () => {
    const ir = await loadExample("node-webapp");
    const client = await h.client(ir);
    await apply(await plan("gcp", ir.name, desiredOf(ir), client), client, FAST);
    ir.stages[0]!.jobs[0]!.steps[0]!.run = "npm ci --no-audit";
    const p = await plan("gcp", ir.name, desiredOf(ir), client);
    expect(
      p.changes
        .filter((c) => c.action === "update")
        .map((c) => c.key.name)
        .sort(),
    ).toEqual(["shop-web-manual", "shop-web-pr", "shop-web-push"]);
    h.gcb.mutateTrigger("shop-web-push", (t) => {
      t.description = "changed in the console";
    });
    const r = await apply(p, client, FAST);
    expect(r.ok).toBe(false);
    const byName = Object.fromEntries(r.results.map((x) => [x.key.name, x]));
    expect(byName["shop-web-push"]).toMatchObject({ status: "conflict", attempts: 1 });
    expect(byName["shop-web-push"]!.message).toMatch(
      /changed since the plan read it \(at version sha256:[0-9a-f]+, the plan read sha256:[0-9a-f]+\); nothing was written\. Run plan again\./,
    );
    expect(byName["shop-web-pr"]!.status).toBe("done");
    expect(byName["shop-web-manual"]!.status).toBe("done");
    expect(renderApply(r)).toMatch(/conflict\s+update cloudbuild\.BuildTrigger\/shop-web-push/);
    // Nothing overwritten: the console edit is there, the old command too.
    const push = h.gcb.state().find((s) => s.trigger.name === "shop-web-push")!.trigger;
    expect(push.description).toBe("changed in the console");
    expect(JSON.stringify(push)).not.toContain("--no-audit");
    // A new plan shows the console edit as a difference to undo.
    const p2 = await plan("gcp", ir.name, desiredOf(ir), client);
    const c = p2.changes.find((x) => x.key.name === "shop-web-push")!;
    expect(c.diff.find((d) => d.path[0] === "description")).toEqual({
      path: ["description"],
      type: "change",
      before: "changed in the console",
      after: "Storefront web app (Node.js 20)",
    });
  });

  it("a trigger deleted between plan and apply is a conflict for an update; one created meanwhile is a conflict for a create", async () => {
    const ir = await loadExample("node-webapp");
    const client = await h.client(ir);
    const p0 = await plan("gcp", ir.name, desiredOf(ir), client);
    // someone else creates shop-web-pr (no ownership tag) after the plan
    const t = JSON.parse(compile(ir).files.find((f) => f.path === "triggers/shop-web-pr.json")!.content) as Record<string, unknown>;
    t.tags = ["team-frontend"];
    const res = await fetch(`${h.emu.env.PIPEGLOT_GCB_ENDPOINT}/v1/projects/${PROJECT}/locations/${locationOf(ir)}/triggers`, {
      method: "POST",
      body: JSON.stringify(t),
    });
    expect(res.status).toBe(200);
    const r0 = await apply(p0, client, FAST);
    expect(r0.results.find((x) => x.key.name === "shop-web-pr")!.status).toBe("conflict");
    expect(h.gcb.state().find((s) => s.trigger.name === "shop-web-pr")!.trigger.tags).toEqual(["team-frontend"]);
    // and the next plan refuses to touch it
    const p1 = await plan("gcp", ir.name, desiredOf(ir), client);
    expect(p1.problems.map((x) => x.key.name)).toEqual(["shop-web-pr"]);
    expect(p1.changes.find((c) => c.key.name === "shop-web-pr")).toBeUndefined();

    ir.stages[0]!.jobs[0]!.steps[0]!.run = "npm ci --no-audit";
    const p2 = await plan("gcp", ir.name, desiredOf(ir), client);
    const id = h.gcb.state().find((s) => s.trigger.name === "shop-web-push")!.trigger.id as string;
    const del = await fetch(`${h.emu.env.PIPEGLOT_GCB_ENDPOINT}/v1/projects/${PROJECT}/locations/${locationOf(ir)}/triggers/${id}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    const r2 = await apply(p2, client, FAST);
    const push = r2.results.find((x) => x.key.name === "shop-web-push")!;
    expect(push.status).toBe("conflict");
    expect(push.message).toMatch(/deleted since the plan read it/);
    expect(h.gcb.state().some((s) => s.trigger.name === "shop-web-push")).toBe(false);
  });
});

describe("gcp live: fault storms give the same final state", () => {
  async function runAll(ir0: PipelineIR, faults: Parameters<Harness["gcb"]["faults"]["set"]>[0]): Promise<{ state: unknown[]; faultsSeen: number }> {
    h.gcb.reset();
    h.gcb.counters.reset();
    const ir = structuredClone(ir0);
    const client = await h.client(ir);
    h.gcb.faults.set(faults);
    const r1 = await apply(await plan("gcp", ir.name, desiredOf(ir), client), client, FAST);
    expect(r1.ok, renderApply(r1)).toBe(true);
    ir.stages[0]!.jobs[0]!.steps[0]!.run = "npm ci --no-audit";
    delete ir.triggers.pullRequest;
    const r2 = await apply(await plan("gcp", ir.name, desiredOf(ir), client, { prune: true }), client, FAST);
    expect(r2.ok, renderApply(r2)).toBe(true);
    h.gcb.faults.clear();
    expect(planHasChanges(await plan("gcp", ir.name, desiredOf(ir), client, { prune: true }))).toBe(false);
    const snap = h.gcb.counters.snapshot() as Record<string, { throttled: number; serverErrors: number; dropped: number }>;
    const faultsSeen = Object.values(snap).reduce((a, v) => a + v.throttled + v.serverErrors + v.dropped, 0);
    return { state: finalState(h.gcb), faultsSeen };
  }

  it("30% throttling, 30% 5xx, 20% dropped connections: same triggers as a clean run", async () => {
    const ir = await loadExample("node-webapp");
    const clean = await runAll(ir, {});
    expect(clean.faultsSeen).toBe(0);
    expect(clean.state.map((s) => (s as { trigger: { name: string } }).trigger.name)).toEqual(["shop-web-manual", "shop-web-production", "shop-web-push"]);
    for (const f of [{ throttleRate: 0.3 }, { errorRate: 0.3 }, { dropRate: 0.2 }, { throttleRate: 0.2, errorRate: 0.2, dropRate: 0.1 }]) {
      const storm = await runAll(ir, f);
      expect(storm.faultsSeen, JSON.stringify(f)).toBeGreaterThan(0);
      expect(storm.state, JSON.stringify(f)).toEqual(clean.state);
    }
  });
});

describe("gcp live: prune", () => {
  it("--prune deletes only owned triggers of this pipeline that left the definition", async () => {
    const ir = await loadExample("node-webapp");
    const client = await h.client(ir);
    const base = `${h.emu.env.PIPEGLOT_GCB_ENDPOINT}/v1/projects/${PROJECT}/locations/${locationOf(ir)}/triggers`;
    const foreign = (name: string, tags: string[]) =>
      fetch(base, {
        method: "POST",
        body: JSON.stringify({
          name,
          tags,
          github: { owner: "acme", name: "shop-web", push: { branch: "^main$" } },
          build: { steps: [{ name: "bash", args: ["-c", "echo hi"] }] },
        }),
      }).then((r) => expect(r.status).toBe(200));
    await foreign("shop-web-nightly", ["team-frontend"]); // not ours at all
    await foreign("shop-web-legacy", ["pipeglot-pipeline-shop-web"]); // looks related, no ownership tag
    await foreign("other-push", ["managed-by-pipeglot", "pipeglot-pipeline-other"]); // ours, another pipeline
    expect((await apply(await plan("gcp", ir.name, desiredOf(ir), client), client, FAST)).ok).toBe(true);

    delete ir.triggers.pullRequest;
    const noPrune = await plan("gcp", ir.name, desiredOf(ir), client);
    expect(noPrune.changes.filter((c) => c.action === "delete")).toEqual([]);
    const p = await plan("gcp", ir.name, desiredOf(ir), client, { prune: true });
    expect(p.changes.filter((c) => c.action === "delete").map((c: Change) => c.key.name)).toEqual(["shop-web-pr"]);
    const r = await apply(p, client, FAST);
    expect(r.ok, renderApply(r)).toBe(true);
    expect(
      h.gcb
        .state()
        .map((s) => s.trigger.name)
        .sort(),
    ).toEqual(["other-push", "shop-web-legacy", "shop-web-manual", "shop-web-nightly", "shop-web-production", "shop-web-push"]);
  });

  it("a prune is refused when the trigger changed after the plan", async () => {
    const ir = await loadExample("node-webapp");
    const client = await h.client(ir);
    await apply(await plan("gcp", ir.name, desiredOf(ir), client), client, FAST);
    delete ir.triggers.pullRequest;
    const p = await plan("gcp", ir.name, desiredOf(ir), client, { prune: true });
    h.gcb.mutateTrigger("shop-web-pr", (t) => {
      t.tags = ["team-frontend"]; // someone adopted it
    });
    const r = await apply(p, client, FAST);
    expect(r.results.find((x) => x.key.name === "shop-web-pr")!.status).toBe("conflict");
    expect(h.gcb.state().some((s) => s.trigger.name === "shop-web-pr")).toBe(true);
  });
});

describe("gcp live: connect", () => {
  it("needs a project: the error names targets.gcp.project and GOOGLE_CLOUD_PROJECT", async () => {
    await expect(provider.live.connect({ target: {}, env: { PIPEGLOT_GCB_ENDPOINT: h.emu.env.PIPEGLOT_GCB_ENDPOINT } })).rejects.toThrow(
      /targets\.gcp\.project.*GOOGLE_CLOUD_PROJECT/,
    );
    const c = await provider.live.connect({ target: {}, env: { PIPEGLOT_GCB_ENDPOINT: h.emu.env.PIPEGLOT_GCB_ENDPOINT, GOOGLE_CLOUD_PROJECT: "from-env" } });
    await c.read([{ kind: "cloudbuild.BuildTrigger", name: "x" }]);
    expect(calls(h.gcb).total).toBe(1);
  });

  it("the endpoint option wins over PIPEGLOT_GCB_ENDPOINT, and a bad endpoint is a clear error", async () => {
    const c = await provider.live.connect({
      target: { project: PROJECT },
      env: { PIPEGLOT_GCB_ENDPOINT: "http://127.0.0.1:1" },
      endpoint: h.emu.env.PIPEGLOT_GCB_ENDPOINT,
    });
    expect(await c.read([{ kind: "cloudbuild.BuildTrigger", name: "nothing-here" }])).toEqual([undefined]);
    await expect(provider.live.connect({ target: { project: PROJECT }, env: {}, endpoint: "not a url" })).rejects.toThrow(/not a URL/);
  });

  it("without an endpoint it uses Application Default Credentials, and says how to get them when they are missing", async () => {
    await expect(
      provider.live.connect({ target: { project: PROJECT }, env: { GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/pipeglot-key.json" } }),
    ).rejects.toThrow(/no Google Cloud credentials: run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS/);
  });
});
