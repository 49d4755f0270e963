/**
 * What apply must never do: overwrite a concurrent change, touch what pipeglot does not own, or
 * print a credential. And what it must survive: throttling, 5xx and dropped-connection storms.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateProjectCommand } from "@aws-sdk/client-codebuild";
import { CreatePipelineCommand } from "@aws-sdk/client-codepipeline";
import { keyString, planHasChanges, renderApply, renderPlan } from "@pipeglot/core";
import type { PipelineIR } from "@pipeglot/schema";
import { codeBuild, codePipeline, pipeline as foreignPipeline } from "../emulators/fixtures.js";
import { BOTOCORE_DIR, desiredOf, FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN, fastApply, loadExample, planOf, rig, type Rig } from "./helpers.js";

describe("concurrent modification between plan and apply", () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(() => r.close());

  it("a pipeline edited by someone else is a conflict; nothing is overwritten; what depends on it is skipped", async () => {
    const ir = await loadExample("release");
    expect((await fastApply(await planOf(ir, r.client), r.client)).ok).toBe(true);
    const edited: PipelineIR = structuredClone(ir);
    edited.concurrency = "parallel";
    edited.stages[2]!.transition = { enabled: false, reason: "Frozen for the audit" };
    const p = await planOf(edited, r.client);
    expect(p.changes.find((c) => c.key.kind === "codepipeline.Pipeline")!.action).toBe("update");

    r.emu.aws.mutatePipeline("cli-release", (d) => {
      (d as { variables: { name: string; defaultValue: string }[] }).variables.push({ name: "HOTFIX", defaultValue: "1" });
    });
    const before = r.emu.aws.state().pipelines.find((x) => x.name === "cli-release")!;
    const res = await fastApply(p, r.client);
    expect(res.ok).toBe(false);
    const byKey = Object.fromEntries(res.results.map((x) => [keyString(x.key), x.status]));
    expect(byKey["codepipeline.Pipeline/cli-release"]).toBe("conflict");
    expect(byKey["codepipeline.Transitions/cli-release"]).toBe("skipped");
    expect(renderApply(res)).toMatch(/changed since the plan read it \(at version \d+, the plan read \d+\); nothing was written\. Run plan again\./);
    const after = r.emu.aws.state().pipelines.find((x) => x.name === "cli-release")!;
    expect(after.version).toBe(before.version);
    expect(after.declaration).toEqual(before.declaration);
    expect(after.transitions).toEqual(before.transitions);
    expect((after.declaration as { variables: { name: string }[] }).variables.map((v) => v.name)).toContain("HOTFIX");
  });

  it("a project edited by someone else is a conflict; the pipeline that depends on it is not written", async () => {
    const ir = await loadExample("release");
    const edited: PipelineIR = structuredClone(ir);
    edited.stages[1]!.jobs[0]!.steps[0]!.run = "./scripts/sign.sh --strict dist";
    const p = await planOf(edited, r.client); // also undoes HOTFIX: the plan reads the live version
    r.emu.aws.mutateProject("cli-release-sign-sign", (proj) => {
      (proj as { description?: string }).description = "edited in the console";
    });
    const res = await fastApply(p, r.client);
    const byKey = Object.fromEntries(res.results.map((x) => [keyString(x.key), x.status]));
    expect(byKey["codebuild.Project/cli-release-sign-sign"]).toBe("conflict");
    expect(byKey["codepipeline.Pipeline/cli-release"]).toBe("skipped");
    const proj = r.emu.aws.state().projects.find((x) => (x as { name: string }).name === "cli-release-sign-sign") as {
      description?: string;
      source: { buildspec: string };
    };
    expect(proj.description).toBe("edited in the console");
    expect(proj.source.buildspec).not.toContain("--strict");
    // A fresh plan sees the console edit as drift and the apply converges.
    const again = await planOf(edited, r.client);
    const signDiff = again.changes.find((c) => c.key.name === "cli-release-sign-sign")!.diff.map((d) => d.path.join("."));
    expect(signDiff).toContain("description");
    expect((await fastApply(again, r.client)).ok).toBe(true);
    expect(planHasChanges(await planOf(edited, r.client))).toBe(false);
    const fixed = r.emu.aws.state().projects.find((x) => (x as { name: string }).name === "cli-release-sign-sign") as { description?: string };
    expect(fixed.description ?? "").toBe(""); // reset by UpdateProject
  });
});

describe("fault storms give the same final state", () => {
  const storms = [
    { name: "30% throttling", faults: { throttleRate: 0.3 } },
    { name: "30% 5xx", faults: { errorRate: 0.3 } },
    { name: "30% dropped connections", faults: { dropRate: 0.3 } },
  ];
  let reference: { pipelines: unknown; projects: unknown };

  const liveBodies = async (r: Rig, ir: PipelineIR) => {
    const want = desiredOf(ir);
    const live = await r.client.read(want.map((d) => d.key));
    return live.map((l) => l?.body);
  };
  const ladder = async (r: Rig) => {
    const ir = await loadExample("release");
    const a = await fastApply(await planOf(ir, r.client), r.client);
    expect(a.results.filter((x) => x.status !== "done")).toEqual([]);
    const edited: PipelineIR = structuredClone(ir);
    edited.concurrency = "supersede";
    edited.stages[0]!.jobs[0]!.steps[0]!.run = "make dist CHANNEL=${{ vars.RELEASE_CHANNEL }} VERBOSE=1";
    edited.stages[2]!.transition = { enabled: false, reason: "Frozen for the storm" };
    const b = await fastApply(await planOf(edited, r.client), r.client);
    expect(b.results.filter((x) => x.status !== "done" && x.status !== "unchanged")).toEqual([]);
    return edited;
  };

  it("reference run without faults", async () => {
    const r = await rig();
    try {
      const edited = await ladder(r);
      reference = { pipelines: await liveBodies(r, edited), projects: null };
    } finally {
      await r.close();
    }
  });

  for (const s of storms)
    it(`${s.name}`, { timeout: 120_000 }, async () => {
      const r = await rig({ ...s.faults, seed: 11 });
      try {
        const edited = await ladder(r);
        const counts = r.emu.aws.counters.snapshot();
        const faulted = Object.values(counts).reduce((n, c) => n + c.throttled + c.serverErrors + c.dropped, 0);
        expect(faulted).toBeGreaterThanOrEqual(3); // the storm really happened
        r.emu.setFaults({ throttleRate: 0, errorRate: 0, dropRate: 0 });
        expect(planHasChanges(await planOf(edited, r.client))).toBe(false);
        expect(await liveBodies(r, edited)).toEqual(reference.pipelines);
      } finally {
        await r.close();
      }
    });
});

describe("prune deletes only what pipeglot owns", () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(() => r.close());

  it("a job removed from the definition: its project is deleted with --prune; foreign resources stay", async () => {
    const ir = await loadExample("node-webapp");
    expect((await fastApply(await planOf(ir, r.client), r.client)).ok).toBe(true);
    const cb = codeBuild(r.emu.endpoints.aws!);
    const cp = codePipeline(r.emu.endpoints.aws!);
    try {
      // A foreign project with the pipeline's prefix, and a foreign pipeline: no ownership tag.
      await cb.send(
        new CreateProjectCommand({
          name: "shop-web-build-foreign",
          source: { type: "NO_SOURCE", buildspec: "version: 0.2" },
          artifacts: { type: "NO_ARTIFACTS" },
          environment: { type: "LINUX_CONTAINER", image: "alpine", computeType: "BUILD_GENERAL1_SMALL" },
          serviceRole: "arn:aws:iam::123456789012:role/x",
        }),
      );
      await cp.send(new CreatePipelineCommand({ pipeline: foreignPipeline("shop-web-legacy") }));
    } finally {
      cb.destroy();
      cp.destroy();
    }
    // Someone points the live pipeline at the foreign project too.
    r.emu.aws.mutatePipeline("shop-web", (d) => {
      const stages = (d as { stages: { actions: Record<string, unknown>[] }[] }).stages;
      stages[1]!.actions.push({
        name: "foreign",
        actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
        runOrder: 1,
        configuration: { ProjectName: "shop-web-build-foreign" },
        inputArtifacts: [{ name: "source" }],
      });
    });

    const edited: PipelineIR = structuredClone(ir);
    edited.stages[0]!.jobs = edited.stages[0]!.jobs.filter((j) => j.name !== "lint");
    edited.stages[0]!.jobs.find((j) => j.name === "bundle")!.needs = ["test"];

    const noPrune = await planOf(edited, r.client);
    expect(noPrune.changes.filter((c) => c.action === "delete")).toEqual([]);
    const p = await planOf(edited, r.client, true);
    expect(p.changes.filter((c) => c.action === "delete").map((c) => keyString(c.key))).toEqual(["codebuild.Project/shop-web-build-lint"]);
    expect(renderPlan(p)).toContain("1 to delete");
    const res = await fastApply(p, r.client);
    expect(res.ok).toBe(true);
    const names = r.emu.aws
      .state()
      .projects.map((x) => (x as { name: string }).name)
      .sort();
    expect(names).toContain("shop-web-build-foreign");
    expect(names).not.toContain("shop-web-build-lint");
    expect(
      r.emu.aws
        .state()
        .pipelines.map((x) => x.name)
        .sort(),
    ).toEqual(["shop-web", "shop-web-legacy"]);
    expect(planHasChanges(await planOf(edited, r.client, true))).toBe(false);
  });

  it("a pipeline that exists without the ownership tag is blocked, not changed", async () => {
    const ir = await loadExample("node-webapp");
    const foreign: PipelineIR = { ...structuredClone(ir), name: "shop-web-legacy" };
    const p = await planOf(foreign, r.client);
    expect(p.problems.map((x) => keyString(x.key))).toEqual(["codepipeline.Pipeline/shop-web-legacy", "codepipeline.Transitions/shop-web-legacy"]);
    expect(p.problems[0]!.message).toContain("not managed by pipeglot");
  });
});

describe("no credential in any output", () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(() => r.close());

  it("plans, apply results, errors and pulled files never contain the keys", async () => {
    const { pull } = await import("@pipeglot/aws");
    const texts: string[] = [];
    const ir = await loadExample("release");
    const p = await planOf(ir, r.client);
    texts.push(renderPlan(p), JSON.stringify(p));
    const a = await fastApply(p, r.client);
    texts.push(renderApply(a), JSON.stringify(a));
    const p2 = await planOf(ir, r.client);
    texts.push(renderPlan(p2, { showNoop: true }), JSON.stringify(p2));
    texts.push(JSON.stringify(await pull(r.client, "cli-release")));
    // The emulator records the caller (lastChangedBy names the access key id): it must not leak.
    expect(JSON.stringify(r.emu.aws.state())).toContain(FAKE_KEY_ID);
    // Errors: a write the API refuses, and a read of a pipeline that does not exist.
    const bad: PipelineIR = structuredClone(ir);
    bad.name = "cli-release-bad";
    const pb = await planOf(bad, r.client);
    const proj = pb.changes.find((c) => c.key.kind === "codebuild.Project")!;
    (proj.after as { name: string }).name = "has spaces!";
    const ab = await fastApply({ ...pb, changes: [proj] }, r.client);
    // The emulator refuses the name only when it validates requests against botocore's models.
    if (BOTOCORE_DIR) {
      expect(ab.ok).toBe(false);
      expect(ab.results[0]!.message).toMatch(/ValidationException|InvalidInputException/);
    }
    texts.push(renderApply(ab), JSON.stringify(ab));
    try {
      await r.client.write(
        { action: "delete", key: { kind: "codepipeline.Transitions", name: "nope" }, reason: "", dependsOn: [], diff: [] },
        { deadline: 1000 },
      );
    } catch (e) {
      texts.push(String(e), JSON.stringify(e));
    }
    for (const t of texts) {
      expect(t).not.toContain(FAKE_KEY_ID);
      expect(t).not.toContain(FAKE_SECRET);
      expect(t).not.toContain(FAKE_TOKEN);
    }
  });
});
