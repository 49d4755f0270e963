/**
 * pull: an applied pipeline read back from the (emulated) API imports to the definition, and no
 * secret value or credential from the environment ever shows in a plan, an apply report, an error
 * or a pulled file.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apply, plan, renderApply, renderPlan, toYaml } from "@pipeglot/core";
import { denormalize, validate, type PipelineIR } from "@pipeglot/schema";
import { compile, importFiles, provider } from "@pipeglot/gcp";
import { examples } from "../helpers/paths.js";
import { desiredOf, FAST, harness, loadExample, type Harness } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await harness(11);
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.gcb.reset();
  h.gcb.faults.clear();
  h.gcb.counters.reset();
});

/** Stages, jobs and step commands: what a person reads in the definition. */
const outline = (ir: PipelineIR) => ir.stages.map((s) => [s.name, s.jobs.map((j) => [j.name, j.steps.map((st) => st.run ?? st.native)])]);

describe("gcp live: pull", () => {
  for (const ex of examples()) {
    it(`${ex.name}: pull imports back to the definition (the same IR as importing the compiled files)`, async () => {
      const ir = await loadExample(ex.name);
      const client = await h.client(ir);
      const r = await apply(await plan("gcp", ir.name, desiredOf(ir), client), client, FAST);
      expect(r.ok).toBe(true);
      h.gcb.counters.reset();
      const files = await provider.live.pull(client, ir.name);
      // one listing + one GET per trigger
      const snap = h.gcb.counters.snapshot() as Record<string, { requests: number }>;
      expect(Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, v.requests]))).toEqual({
        "CloudBuild.ListBuildTriggers": 1,
        "CloudBuild.GetBuildTrigger": files.length,
      });
      const compiled = compile(ir).files.filter((f) => f.path.startsWith("triggers/"));
      expect(files.map((f) => f.path)).toEqual(compiled.map((f) => f.path));
      // The pulled triggers are the compiled ones (approvalConfig included); member order may differ
      // (the Node client writes in proto field order).
      expect(files.map((f) => JSON.parse(f.content))).toEqual(compiled.map((f) => JSON.parse(f.content)));

      const back = importFiles(files);
      expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      // The same pipeline as importing everything compile wrote (test/gcp/roundtrip.test.ts compares
      // that one with the definition, apart from its LOSSES).
      expect(back.pipeline).toEqual(importFiles(compile(ir).files).pipeline);
      expect(back.pipeline!.name).toBe(ir.name);
      if (!ir.stages.some((s) => s.jobs.some((j) => j.matrix))) expect(outline(back.pipeline!)).toEqual(outline(ir));
      expect(back.pipeline!.stages.filter((s) => s.approval).map((s) => s.name)).toEqual(ir.stages.filter((s) => s.approval).map((s) => s.name));
      const doc = validate(toYaml(denormalize(back.pipeline!)), { file: "pulled.yaml" });
      expect(doc.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    });
  }

  it("pull reads only this pipeline's owned triggers", async () => {
    const a = await loadExample("node-webapp");
    const b = await loadExample("python-library");
    const client = await h.client(a);
    for (const ir of [a, b]) expect((await apply(await plan("gcp", ir.name, desiredOf(ir), client), client, FAST)).ok).toBe(true);
    const files = await provider.live.pull(client, a.name);
    expect(files.map((f) => f.path)).toEqual([
      "triggers/shop-web-manual.json",
      "triggers/shop-web-pr.json",
      "triggers/shop-web-production.json",
      "triggers/shop-web-push.json",
    ]);
  });
});

describe("gcp live: no secret value in any output", () => {
  const FAKES = {
    GOOGLE_OAUTH_ACCESS_TOKEN: "ya29.a0pipeglotFAKEaccessTOKEN0123456789",
    GOOGLE_APPLICATION_CREDENTIALS_JSON: '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIpipeglotFAKEKEY\\n"}',
    NPM_TOKEN: "npm_pipeglotFAKEnpmTOKENabcdef0123",
    DEPLOY_KEY: "pipeglot-FAKE-deploy-key-value-9876",
  };
  const needles = ["ya29.a0pipeglotFAKE", "MIIpipeglotFAKEKEY", "npm_pipeglotFAKE", "pipeglot-FAKE-deploy-key"];
  const clean = (label: string, text: string) => {
    for (const n of needles) expect(text.includes(n), `${label} contains ${n}`).toBe(false);
  };

  it("plans, apply reports (also failed and conflicting ones), errors, stored triggers and pulled files hold only references", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, FAKES);
    try {
      const ir = await loadExample("node-webapp");
      const client = await h.client(ir, FAKES);
      const texts: [string, string][] = [];
      const p1 = await plan("gcp", ir.name, desiredOf(ir), client);
      texts.push(["plan", renderPlan(p1, { showNoop: true })], ["plan json", JSON.stringify(p1)]);
      const r1 = await apply(p1, client, FAST);
      texts.push(["apply", renderApply(r1)], ["apply json", JSON.stringify(r1)]);
      // a conflict and a failure carry messages from the API
      ir.stages[0]!.jobs[0]!.steps[0]!.run = "npm ci --no-audit";
      const p2 = await plan("gcp", ir.name, desiredOf(ir), client);
      texts.push(["plan 2", renderPlan(p2)], ["plan 2 json", JSON.stringify(p2)]);
      h.gcb.mutateTrigger("shop-web-push", (t) => {
        t.description = "console";
      });
      h.gcb.faults.set({ throttleRate: 1 });
      const r2 = await apply(p2, client, { ...FAST, retries: 1 });
      expect(r2.results.some((x) => x.status === "failed")).toBe(true);
      texts.push(["apply 2", renderApply(r2)], ["apply 2 json", JSON.stringify(r2)]);
      const err = await plan("gcp", ir.name, desiredOf(ir), client).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      texts.push(["error", `${(err as Error).message}\n${(err as Error).stack}\n${JSON.stringify(err)}`]);
      h.gcb.faults.clear();
      const files = await provider.live.pull(client, ir.name);
      texts.push(["pulled", files.map((f) => f.content).join("\n")], ["stored", JSON.stringify(h.gcb.state())]);
      for (const [label, text] of texts) clean(label, text);
      // the references are there: Secret Manager version names, never values
      expect(texts.find(([l]) => l === "stored")![1]).toContain("projects/acme-ci/secrets/deploy-key/versions/3");
    } finally {
      for (const k of Object.keys(FAKES)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
