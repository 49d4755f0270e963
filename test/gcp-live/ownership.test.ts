/**
 * Ownership is per pipeline (issue 13): pipeline `app` with an approval stage `web-push` names its
 * gated trigger `app-web-push`, the push trigger of pipeline `app-web`. Through the real Cloud
 * Build client against the emulator.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply, keyString, plan, type Plan } from "@pipeglot/core";
import { validate, type PipelineIR } from "@pipeglot/schema";
import type { GcbLiveClient } from "@pipeglot/gcp";
import { desiredOf, FAST, harness, type Harness } from "./helpers.js";

function definition(name: string, extraStages: string[] = []): PipelineIR {
  const job = (stage: string) => [
    `  - name: ${stage}`,
    "    jobs:",
    "      - name: x",
    "        image: node:20",
    "        steps:",
    `          - run: echo ${name} ${stage}`,
  ];
  const text = [
    "pipeglot: 1",
    `name: ${name}`,
    "source:",
    `  repository: acme/${name}`,
    "  branch: main",
    "triggers:",
    "  push:",
    "    branches: [main]",
    "stages:",
    ...job("build"),
    ...extraStages.flatMap((s) => [...job(s), "    approval:", "      approvers: [release-managers]"]),
  ].join("\n");
  const r = validate(text);
  if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
  return r.ir;
}

const trigger = (h: Harness, name: string) => h.gcb.state().find((s) => s.trigger.name === name)?.trigger;
const names = (h: Harness) =>
  h.gcb
    .state()
    .map((s) => String(s.trigger.name))
    .sort();
const planOf = (ir: PipelineIR, c: GcbLiveClient, prune = false): Promise<Plan> => plan("gcp", ir.name, desiredOf(ir), c, { prune });

describe("Cloud Build: ownership is per pipeline", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(() => h.close());

  const appWeb = definition("app-web");
  const app = definition("app", ["web-push"]);

  it("a trigger name two pipelines fold to: the second's plan is a problem naming both; apply writes nothing to the first's trigger", async () => {
    const c = await h.client(appWeb);
    expect((await apply(await planOf(appWeb, c), c, FAST)).ok).toBe(true);
    const before = structuredClone(trigger(h, "app-web-push"));
    expect(before?.tags).toContain("pipeglot-pipeline-app-web");

    const p = await planOf(app, c);
    expect(desiredOf(app).map((d) => d.key.name)).toContain("app-web-push");
    expect(p.problems.map((x) => keyString(x.key))).toEqual(["cloudbuild.BuildTrigger/app-web-push"]);
    expect(p.problems[0]!.message).toMatch(/belongs to pipeline "app-web", not to pipeline "app"/);
    expect(p.changes.map((x) => x.key.name)).not.toContain("app-web-push");
    await apply(p, c, FAST); // the engine alone (the CLI refuses a plan with problems)
    expect(trigger(h, "app-web-push")).toEqual(before);
    expect((await planOf(appWeb, c)).problems).toEqual([]);
  });

  it("prune from one pipeline deletes only its own triggers", async () => {
    const c = await h.client(appWeb);
    const app2 = definition("app", ["deploy"]);
    expect((await apply(await planOf(appWeb, c), c, FAST)).ok).toBe(true);
    expect((await apply(await planOf(app2, c), c, FAST)).ok).toBe(true);
    expect(names(h)).toEqual(["app-deploy", "app-manual", "app-push", "app-web-manual", "app-web-push"]);
    // app drops its gated stage and prunes: app-deploy goes; app-web-* (prefixed by "app-") stay.
    const p = await planOf(definition("app"), c, true);
    expect(p.changes.filter((x) => x.action === "delete").map((x) => x.key.name)).toEqual(["app-deploy"]);
    expect((await apply(p, c, FAST)).ok).toBe(true);
    expect(names(h)).toEqual(["app-manual", "app-push", "app-web-manual", "app-web-push"]);
  });

  it("a managed trigger without a pipeline tag (edited by hand) is a problem, never adopted", async () => {
    const c = await h.client(appWeb);
    expect((await apply(await planOf(appWeb, c), c, FAST)).ok).toBe(true);
    h.gcb.mutateTrigger("app-web-push", (t) => {
      t.tags = (Array.isArray(t.tags) ? t.tags : []).filter((x) => !String(x).startsWith("pipeglot-pipeline-"));
    });
    const p = await planOf(appWeb, c);
    expect(p.problems.map((x) => keyString(x.key))).toEqual(["cloudbuild.BuildTrigger/app-web-push"]);
    expect(p.problems[0]!.message).toMatch(/no pipeline identity/);
    const pruned = await planOf(definition("app-web"), c, true);
    expect(pruned.changes.filter((x) => x.action === "delete")).toEqual([]);
  });
});
