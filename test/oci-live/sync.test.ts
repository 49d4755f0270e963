/**
 * OCI live sync end to end, through the real oci-devops client against the emulator:
 * create → empty plan → edit → exact diff → apply → clean; etag conflicts; fault storms; prune;
 * signatures; call counts; no key material anywhere.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apply, plan, renderApply, renderPlan, type Plan } from "@pipeglot/core";
import { buildSpecsToCommit, devopsClient, formatSpecsToCommit, provider } from "@pipeglot/oci";
import type { PipelineIR } from "@pipeglot/schema";
import type { Emulators } from "@pipeglot/emulators";
import { cleanup, connectTo, example, identity, startOci, type Identity } from "./helpers.js";

const outputs: string[] = [];
const record = (x: unknown) => {
  outputs.push(typeof x === "string" ? x : JSON.stringify(x));
  return x;
};

async function planFor(emu: Emulators, id: Identity, ir: PipelineIR, prune = false): Promise<Plan> {
  const client = await connectTo(emu, id, ir);
  const p = await plan("oci", ir.name, provider.live.desired(provider.compile(ir)), client, { prune });
  record(renderPlan(p));
  record(p);
  return p;
}

async function sync(emu: Emulators, id: Identity, ir: PipelineIR, prune = false) {
  const client = await connectTo(emu, id, ir);
  const p = await plan("oci", ir.name, provider.live.desired(provider.compile(ir)), client, { prune });
  record(renderPlan(p));
  const r = await apply(p, client, { minBackoffMs: 5, maxBackoffMs: 50, retries: 30 });
  record(renderApply(r));
  record(r);
  return { plan: p, result: r };
}

const actions = (p: Plan) =>
  p.changes
    .filter((c) => c.action !== "noop")
    .map((c) => `${c.action} ${c.key.kind}/${c.key.name}`)
    .sort();

describe("OCI live sync against the emulator", () => {
  let id: Identity;
  let emu: Emulators;
  let ir: PipelineIR;

  beforeAll(async () => {
    id = identity();
    emu = await startOci(id);
    ir = await example("node-webapp");
  });
  afterAll(async () => {
    await emu.close();
    cleanup(id);
  });

  it("creates everything, then plans nothing (and the no-op plan costs lists + one GET per resource)", async () => {
    const desired = provider.live.desired(provider.compile(ir));
    const first = await sync(emu, id, ir);
    expect(first.result.ok).toBe(true);
    expect(first.plan.changes.every((c) => c.action === "create")).toBe(true);
    expect(first.plan.changes).toHaveLength(desired.length);
    // Parents were written before children: every stage's pipeline existed when it was created (the emulator refuses otherwise).
    const state = emu.oci.state();
    expect(state).toHaveLength(desired.length);
    expect(state.every((s) => s.resource.lifecycleState === "ACTIVE")).toBe(true);
    // Predecessors are real OCIDs on the server.
    const bundle = state.find((s) => s.resource.displayName === "build.bundle")!.resource;
    const preds = (bundle.buildPipelineStagePredecessorCollection as { items: { id: string }[] }).items.map((x) => x.id);
    const names = preds.map((p) => state.find((s) => s.resource.id === p)!.resource.displayName).sort();
    expect(names).toEqual(["build.lint", "build.test"]);

    emu.oci.counters.reset();
    const again = await planFor(emu, id, ir);
    expect(actions(again)).toEqual([]);
    expect(again.problems).toEqual([]);
    const counts = Object.fromEntries(Object.entries(emu.oci.counters.snapshot()).map(([k, v]) => [k, v.requests]));
    const per = (kind: string) => desired.filter((d) => d.key.kind === kind).length;
    expect(counts).toEqual({
      "Devops.ListBuildPipelines": 1,
      "Devops.ListBuildPipelineStages": 1,
      "Devops.ListDeployPipelines": 1,
      "Devops.ListDeployStages": 1,
      // One listing per kind for the project (stages: per compartment), whatever the number of pipelines or triggers.
      "Devops.ListTriggers": 1,
      "Devops.ListDeployArtifacts": 1,
      "Devops.GetBuildPipeline": 1,
      "Devops.GetBuildPipelineStage": per("oci.BuildPipelineStage"),
      "Devops.GetDeployPipeline": 1,
      "Devops.GetDeployStage": per("oci.DeployStage"),
      "Devops.GetDeployArtifact": per("oci.DeployArtifact"),
      "Devops.GetTrigger": per("oci.Trigger"),
    });
    expect(emu.oci.counters.total()).toBe(6 + desired.length);
  });

  it("an edit gives the exact diff, apply re-points successors before removing a stage, then the plan is clean", async () => {
    const edited: PipelineIR = structuredClone(ir);
    edited.description = "Storefront web app (Node.js 22)";
    const build = edited.stages.find((s) => s.name === "build")!;
    build.jobs = build.jobs.filter((j) => j.name !== "lint");
    for (const j of build.jobs) j.needs = j.needs.filter((n) => n !== "lint");
    const p = await planFor(emu, id, edited, true);
    expect(actions(p)).toEqual(["delete oci.BuildPipelineStage/build.lint", "update oci.BuildPipeline/shop-web", "update oci.BuildPipelineStage/build.bundle"]);
    const bp = p.changes.find((c) => c.key.kind === "oci.BuildPipeline")!;
    expect(bp.diff.map((d) => [d.path.join("."), d.type])).toEqual([
      ["description", "change"],
      ["freeformTags.pipeglot-hash", "change"],
    ]);
    expect(bp.diff[0]).toMatchObject({ before: "Storefront web app (Node.js 20)", after: "Storefront web app (Node.js 22)" });
    const bundle = p.changes.find((c) => c.key.name === "build.bundle")!;
    // The predecessor list compares in symbolic form: live OCIDs were written back as ${buildStage.<name>.id}.
    expect(bundle.diff.find((d) => d.path[0] === "buildPipelineStagePredecessorCollection")).toMatchObject({
      type: "remove",
      before: { id: "${buildStage.build.lint.id}" },
    });
    const client = await connectTo(emu, id, edited);
    const p2 = await plan("oci", edited.name, provider.live.desired(provider.compile(edited)), client, { prune: true });
    const r = await apply(p2, client);
    record(r);
    expect(r.ok).toBe(true);
    expect(emu.oci.state().some((s) => s.resource.displayName === "build.lint")).toBe(false);
    expect(actions(await planFor(emu, id, edited, true))).toEqual([]);
    ir = edited;
  });

  it("an out-of-band edit between plan and apply is a conflict: nothing is overwritten", async () => {
    const edited: PipelineIR = structuredClone(ir);
    edited.description = "third description";
    const client = await connectTo(emu, id, edited);
    const p = await plan("oci", edited.name, provider.live.desired(provider.compile(edited)), client);
    expect(actions(p)).toEqual(["update oci.BuildPipeline/shop-web"]);
    emu.oci.mutate(
      "shop-web",
      (b) => {
        b.description = "changed in the console";
      },
      "buildPipeline",
    );
    const r = await apply(p, client);
    record(renderApply(r));
    expect(r.ok).toBe(false);
    expect(r.results.find((x) => x.key.kind === "oci.BuildPipeline")).toMatchObject({ status: "conflict", attempts: 1 });
    expect(emu.oci.state().find((s) => s.kind === "buildPipeline")!.resource.description).toBe("changed in the console");
    // A new plan sees the console's edit and would put the definition back.
    const p2 = await planFor(emu, id, edited);
    expect(p2.changes.find((c) => c.key.kind === "oci.BuildPipeline")!.diff[0]).toMatchObject({
      path: ["description"],
      before: "changed in the console",
      after: "third description",
    });
    expect((await apply(p2, client)).ok).toBe(true);
    ir = edited;
  });

  it("prune deletes only resources owned by this pipeline", async () => {
    // Another pipeline in the same project, and a resource nobody tagged.
    const other = await example("node-webapp");
    other.name = "other-web";
    expect((await sync(emu, id, other)).result.ok).toBe(true);
    const otherCount = emu.oci.state().filter((s) => (s.resource.freeformTags as Record<string, string>)["pipeglot-pipeline"] === "other-web").length;
    const bp = emu.oci.state().find((s) => s.kind === "buildPipeline" && s.resource.displayName === "shop-web")!.resource;
    emu.oci.mutate(String(bp.id), (b) => b); // etag moves; nothing else
    const foreign = await connectTo(emu, id, ir);
    const created = await foreign.api.kinds["oci.Trigger"].create(
      {
        triggerSource: "GITHUB",
        projectId: bp.projectId,
        displayName: "hand-made",
        actions: [{ type: "TRIGGER_BUILD_PIPELINE", buildPipelineId: bp.id, filter: { triggerSource: "GITHUB", events: ["PUSH"] } }],
      },
      "t1",
    );
    emu.oci.completeWorkRequests();
    record(created.body);

    const fewer: PipelineIR = structuredClone(ir);
    fewer.triggers.pullRequest = undefined;
    const client = await connectTo(emu, id, fewer);
    const p = await plan("oci", fewer.name, provider.live.desired(provider.compile(fewer)), client, { prune: true });
    record(renderPlan(p));
    expect(actions(p)).toEqual(
      ["delete oci.Trigger/shop-web-pull-request", "update oci.BuildPipeline/shop-web"].filter((a) =>
        p.changes.some((c) => `${c.action} ${c.key.kind}/${c.key.name}` === a),
      ),
    );
    expect(p.changes.filter((c) => c.action === "delete").map((c) => c.key.name)).toEqual(["shop-web-pull-request"]);
    const r = await apply(p, client);
    expect(r.results.filter((x) => x.status !== "done" && x.status !== "unchanged")).toEqual([]);
    const names = emu.oci.state().map((s) => s.resource.displayName);
    expect(names).toContain("hand-made");
    expect(names).not.toContain("shop-web-pull-request");
    expect(emu.oci.state().filter((s) => (s.resource.freeformTags as Record<string, string>)["pipeglot-pipeline"] === "other-web")).toHaveLength(otherCount);
    ir = fewer;
  });

  it("a request signed with a key the tenancy does not trust is refused (401), nothing is created", async () => {
    const stranger = identity();
    try {
      const before = emu.oci.state().length;
      const clientErrors = () => Object.values(emu.oci.counters.snapshot()).reduce((n, c) => n + c.clientErrors, 0);
      const errorsBefore = clientErrors();
      const client = await connectTo(emu, stranger, ir);
      const failure = await plan("oci", ir.name, provider.live.desired(provider.compile(ir)), client).then(
        () => undefined,
        (e: unknown) => e as { statusCode?: number; serviceCode?: string; message: string },
      );
      record(failure?.message ?? "");
      expect(failure).toMatchObject({ statusCode: 401, serviceCode: "NotAuthenticated" });
      expect(emu.oci.state()).toHaveLength(before);
      // The plan's first requests (its listings, sent at once) are refused; which one answers first varies.
      expect(clientErrors()).toBeGreaterThan(errorsBefore);
    } finally {
      cleanup(stranger);
    }
  });

  it("the build specs to commit are listed with their path and content hash", () => {
    const out = provider.compile(ir);
    const specs = buildSpecsToCommit(out);
    const stagePaths = out.files
      .filter((f) => f.kind === "oci.CreateBuildPipelineStageDetails")
      .map((f) => (JSON.parse(f.content) as { buildSpecFile?: string }).buildSpecFile)
      .filter(Boolean)
      .sort();
    expect(specs.map((s) => s.path)).toEqual(stagePaths);
    expect(specs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(formatSpecsToCommit(specs).split("\n")[0]).toMatch(/^commit \.pipeglot\/oci\/build_specs\/\S+\.yaml \(sha256 [0-9a-f]{12}\)$/);
  });

  it("no key material, fingerprint or webhook secret appears in any plan, result or error", () => {
    const text = outputs.join("\n");
    expect(outputs.length).toBeGreaterThan(10);
    const keyBody = id.privateKey.split("\n").filter((l) => l && !l.startsWith("-----"));
    for (const line of keyBody) expect(text).not.toContain(line);
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain(id.fingerprint);
    expect(text).not.toMatch(/whsec-/);
  });
});

// What reaches console.warn while the storm runs. The spy goes in before any SDK call of this file,
// so that pipeglot's own filter of the SDK's chatter sits on top of it, as it sits on a user's console.
const warned: string[] = [];
let recording = false;
beforeAll(() => {
  const real = console.warn.bind(console);
  vi.spyOn(console, "warn").mockImplementation((...a: unknown[]) => {
    if (recording) warned.push(a.map(String).join(" "));
    real(...a);
  });
});

describe("OCI live sync through throttling, 5xx storms and dropped connections", () => {
  it("reaches the same final state as a run without faults", async () => {
    const id = identity();
    const calm = await startOci(id);
    // 45% of calls fail: the SDK's circuit breaker (were it on) would open and fail the apply.
    const storm = await startOci(id, { throttleRate: 0.25, errorRate: 0.15, dropRate: 0.05, seed: 99 });
    recording = true;
    try {
      const ir = await example("node-webapp");
      const a = await sync(calm, id, ir);
      const b = await sync(storm, id, ir);
      // pipeglot reports failures itself: none of the SDK's retrier chatter reaches the console.
      expect(warned.filter((w) => /retry attempts|Not Retrying|Breaker|object Object/.test(w))).toEqual([]);
      expect(a.result.ok).toBe(true);
      expect(b.result.results.filter((x) => x.status !== "done")).toEqual([]);
      const c = storm.oci.counters.snapshot();
      const faulted = Object.values(c).reduce((n, x) => n + x.throttled + x.serverErrors + x.dropped, 0);
      expect(faulted).toBeGreaterThan(10);
      // Same resources, same bodies once server-owned fields are set aside (no duplicates from retried creates).
      const shape = (e: Emulators) =>
        e.oci
          .state()
          .map((s) => {
            const { id: _i, timeCreated: _c, timeUpdated: _u, definedTags: _d, triggerUrl: _t, ...rest } = s.resource;
            return JSON.stringify(rest, (k, v) =>
              typeof v === "string" && v.startsWith("ocid1.devops") && !v.startsWith("ocid1.devopsproject") && !v.startsWith("ocid1.devopsconnection")
                ? "<ocid>"
                : v,
            );
          })
          .sort();
      expect(shape(storm)).toEqual(shape(calm));
      storm.setFaults({ throttleRate: 0, errorRate: 0, dropRate: 0 });
      expect(actions(await planFor(storm, id, ir))).toEqual([]);
    } finally {
      recording = false;
      await calm.close();
      await storm.close();
      cleanup(id);
    }
  });
});

describe("the SDK's circuit breaker is off", () => {
  it("every call reaches the service even after a long run of 5xx (an open breaker would fail calls without sending them)", async () => {
    const id = identity();
    const emu = await startOci(id, { errorRate: 1, seed: 3 });
    try {
      const settings = { configFile: id.configFile, profile: "DEFAULT", endpoint: emu.endpoints.oci! };
      const sdk = await devopsClient(settings);
      let failed = 0;
      for (let i = 0; i < 40; i++) await sdk.listBuildPipelines({ projectId: "ocid1.devopsproject.oc1..x" }).catch(() => failed++);
      expect(failed).toBe(40);
      expect(emu.oci.counters.total()).toBe(40);
    } finally {
      await emu.close();
      cleanup(id);
    }
  });
});
