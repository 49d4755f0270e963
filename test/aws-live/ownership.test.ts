/**
 * Ownership is per pipeline (issue 13): pipeline `shop` (stage web-build, job x) and pipeline
 * `shop-web` (stage build, job x) both name the CodeBuild project `shop-web-build-x`. Through the
 * real SDK clients against the emulator.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keyString, plan, type DesiredResource, type Plan } from "@pipeglot/core";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { desiredOf, fastApply, planOf, rig, type Rig } from "./helpers.js";

function definition(name: string, stage: string, jobs: string[]): PipelineIR {
  const text = [
    "pipeglot: 1",
    `name: ${name}`,
    "source:",
    `  repository: acme/${name}`,
    "  branch: main",
    "stages:",
    `  - name: ${stage}`,
    "    jobs:",
    ...jobs.flatMap((j) => [`      - name: ${j}`, "        image: node:20", "        steps:", `          - run: echo ${name} ${j}`]),
  ].join("\n");
  const r = validate(text);
  if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
  return r.ir;
}

const buildspec = (r: Rig, project: string): string => {
  const p = r.emu.aws.state().projects.find((x) => (x as { name: string }).name === project) as { source: { buildspec: string } } | undefined;
  return p?.source.buildspec ?? "(none)";
};
const projectTags = (r: Rig, project: string) =>
  ((r.emu.aws.state().projects.find((x) => (x as { name: string }).name === project) as { tags?: { key: string; value: string }[] }).tags ?? []).filter((t) =>
    t.key.startsWith("pipeglot:pipeline"),
  );
const problemKeys = (p: Plan) => p.problems.map((x) => keyString(x.key));

/** What pipeglot wrote before resources carried their pipeline's identity: the same bodies without `pipeglot:pipeline`. */
const legacy = (ds: DesiredResource[]): DesiredResource[] =>
  ds.map((d) => {
    const b = d.body as { tags?: { key: string }[] };
    return Array.isArray(b.tags) ? { ...d, body: { ...b, tags: b.tags.filter((t) => t.key !== "pipeglot:pipeline") } } : d;
  });
const applyLegacy = async (r: Rig, ir: PipelineIR) => {
  const res = await fastApply(await plan("aws", ir.name, legacy(desiredOf(ir)), r.client), r.client);
  expect(res.ok).toBe(true);
};

describe("AWS: ownership is per pipeline", () => {
  let r: Rig;
  beforeEach(async () => {
    r = await rig();
  });
  afterEach(() => r.close());

  const shop = definition("shop", "web-build", ["x"]);
  const shopWeb = definition("shop-web", "build", ["x"]);

  it("two pipelines whose names fold to one project: the second's plan is a problem naming both, and apply writes nothing to the first's project", async () => {
    expect((await fastApply(await planOf(shopWeb, r.client), r.client)).ok).toBe(true);
    expect(projectTags(r, "shop-web-build-x")).toEqual([{ key: "pipeglot:pipeline", value: "shop-web" }]);
    const before = buildspec(r, "shop-web-build-x");
    expect(before).toContain("echo shop-web x");

    const p = await planOf(shop, r.client);
    expect(problemKeys(p)).toEqual(["codebuild.Project/shop-web-build-x"]);
    expect(p.problems[0]!.message).toMatch(/belongs to pipeline "shop-web", not to pipeline "shop"/);
    expect(p.changes.map((c) => keyString(c.key))).not.toContain("codebuild.Project/shop-web-build-x");
    // Even the engine's apply of that plan (the CLI refuses a plan with problems) leaves the project alone.
    await fastApply(p, r.client);
    expect(buildspec(r, "shop-web-build-x")).toBe(before);
    expect(projectTags(r, "shop-web-build-x")).toEqual([{ key: "pipeglot:pipeline", value: "shop-web" }]);
    // And the rightful owner's plan is clean.
    expect(p.problems).toHaveLength(1);
    expect((await planOf(shopWeb, r.client)).problems).toEqual([]);
  });

  it("prune from one pipeline never deletes another's project, even one its live pipeline names", async () => {
    const shop2 = definition("shop", "web-build", ["y", "z"]);
    expect((await fastApply(await planOf(shopWeb, r.client), r.client)).ok).toBe(true);
    expect((await fastApply(await planOf(shop2, r.client), r.client)).ok).toBe(true);
    // Someone points shop's live pipeline at shop-web's project (the state the takeover left behind).
    r.emu.aws.mutatePipeline("shop", (d) => {
      const stages = (d as { stages: { actions: { configuration: { ProjectName: string } }[] }[] }).stages;
      stages[1]!.actions[1]!.configuration.ProjectName = "shop-web-build-x";
    });
    const p = await planOf(definition("shop", "web-build", ["y"]), r.client, true);
    const deletes = p.changes.filter((c) => c.action === "delete").map((c) => keyString(c.key));
    expect(deletes).not.toContain("codebuild.Project/shop-web-build-x");
    expect((await fastApply(p, r.client)).ok).toBe(true);
    expect(buildspec(r, "shop-web-build-x")).toContain("echo shop-web x");
    expect(
      r.emu.aws
        .state()
        .pipelines.map((x) => x.name)
        .sort(),
    ).toEqual(["shop", "shop-web"]);
  });

  it("prune removes this pipeline's own projects", async () => {
    expect((await fastApply(await planOf(definition("shop", "web-build", ["y", "z"]), r.client), r.client)).ok).toBe(true);
    const p = await planOf(definition("shop", "web-build", ["y"]), r.client, true);
    expect(p.changes.filter((c) => c.action === "delete").map((c) => keyString(c.key))).toEqual(["codebuild.Project/shop-web-build-z"]);
    expect((await fastApply(p, r.client)).ok).toBe(true);
    expect(buildspec(r, "shop-web-build-z")).toBe("(none)");
  });

  it("resources written before the identity tag: adopted when one pipeline uses them, a problem when two do", async () => {
    await applyLegacy(r, shopWeb);
    expect(projectTags(r, "shop-web-build-x")).toEqual([]);
    // Only shop-web's live pipeline names the project: shop-web adopts it (the plan adds the tag)…
    const adopt = await planOf(shopWeb, r.client);
    expect(adopt.problems).toEqual([]);
    expect(adopt.changes.find((c) => c.key.name === "shop-web-build-x")!.action).toBe("update");
    // …and shop, which does not use it, may not.
    const other = await planOf(shop, r.client);
    expect(problemKeys(other)).toEqual(["codebuild.Project/shop-web-build-x"]);
    // (the one live pipeline that names it is shop-web's, so it is shop-web's)
    expect(other.problems[0]!.message).toMatch(/belongs to pipeline "shop-web", not to pipeline "shop"/);
    expect((await fastApply(adopt, r.client)).ok).toBe(true);
    expect(projectTags(r, "shop-web-build-x")).toEqual([{ key: "pipeglot:pipeline", value: "shop-web" }]);
    expect((await planOf(shopWeb, r.client)).changes.every((c) => c.action === "noop")).toBe(true);
  });

  it("a project two legacy pipelines name is ambiguous: neither plan touches it, neither prune deletes it", async () => {
    await applyLegacy(r, shopWeb);
    // shop's live pipeline names the project too, as the old takeover left it.
    await applyLegacy(r, shop);
    const taken = buildspec(r, "shop-web-build-x");
    for (const ir of [shop, shopWeb]) {
      const p = await planOf(ir, r.client);
      expect(problemKeys(p)).toEqual(["codebuild.Project/shop-web-build-x"]);
      expect(p.problems[0]!.message).toContain(`pipeline "${ir.name}"`);
    }
    const pruned = await planOf(definition("shop", "web-build", ["y"]), r.client, true);
    expect(pruned.changes.filter((c) => c.action === "delete").map((c) => keyString(c.key))).toEqual([]);
    expect(buildspec(r, "shop-web-build-x")).toBe(taken);
  });
});
