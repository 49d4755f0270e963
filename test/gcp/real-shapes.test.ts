/**
 * Known real-world shapes, from hand-made files of the same shape (test/fixtures/gcp):
 *  - `waitFor: [-]` (which strict YAML 1.2 rejects), `['-']`, `["-"]`, `[-, id]` (start and id),
 *    `[]` (every earlier step), JSON-style lists indented less than their key, Go durations and the
 *    deprecated options.workerPool read as Cloud Build reads them, each with a positioned note;
 *  - native → import → compile gcp passes the Cloud Build oracles;
 *  - a step or job that is only another provider's `native` compiles to a step that fails loudly.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { importPipeline } from "@pipeglot/core";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { compile, provider } from "@pipeglot/gcp";
import { REPO, sharedSuite } from "../helpers/paths.js";
import { conformanceCheckers } from "../conformance/index.js";

const FIXTURE = "test/fixtures/gcp/wait-for-dash.cloudbuild.yaml";
const text = readFileSync(join(REPO, FIXTURE), "utf8");
const imported = () => importPipeline(provider, [{ path: FIXTURE, content: text }]);
const buildOf = (out: ReturnType<typeof compile>) => parse(out.files.find((f) => f.path === "cloudbuild.yaml")!.content);

const ir = (doc: object): PipelineIR => {
  const r = validate(JSON.stringify({ pipeglot: 1, name: "p", source: { repository: "acme/p" }, ...doc }), { file: "p.json" });
  if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
  return r.ir;
};

describe("Cloud Build leniencies (hand-made file)", () => {
  it("the file is one strict YAML 1.2 rejects", () => {
    expect(parseAllDocuments(text)[0]!.errors.length).toBeGreaterThan(0);
  });

  it("imports into a valid definition; every start-at-once step is a root job", () => {
    const r = imported();
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const jobs = r.pipeline!.stages[0]!.jobs;
    expect(jobs.map((j) => [j.name, j.needs])).toEqual([
      ["fetch", []],
      ["lint", []],
      ["test", []],
      ["image", ["lint", "test"]],
      ["docs", ["fetch"]], // waitFor: [-, fetch]: the start of the build and fetch
      ["report", ["image", "docs"]], // waitFor: []: every earlier step (reduced)
      ["push", ["image"]],
    ]);
    expect(jobs[2]!.steps[0]!.timeoutSeconds).toBe(600);
    expect(r.pipeline!.native?.gcp).toEqual({ timeout: "5400s", options: { pool: { name: "projects/p/locations/us-central1/workerPools/pool" } } });
  });

  it("says where each leniency was applied", () => {
    const notes = imported().diagnostics.filter((d) => d.code === "PG-GCB-IMPORT-LENIENT");
    expect(notes.map((d) => [d.file, d.line, d.column])).toEqual([
      [FIXTURE, 8, 15], // the `-` of waitFor: [-] (['-'] and ["-"] need nothing)
      [FIXTURE, 19, 14], // timeout: 10m
      [FIXTURE, 28, 15], // the `-` of waitFor: [-, fetch]
      [FIXTURE, 36, 11], // the `[` of the args indented less than their key
      [FIXTURE, 41, 10], // timeout: 1h30m
      [FIXTURE, 43, 15], // workerPool
    ]);
    for (const d of notes) expect(d.severity).toBe("info");
  });

  it("compiles back with the roots at build start and the documented forms", () => {
    const b = buildOf(compile(imported().pipeline!));
    const waits = Object.fromEntries(b.steps.map((s: { id: string; waitFor: string[] }) => [s.id, s.waitFor]));
    expect(waits).toEqual({
      build__fetch__fetch: ["-"],
      build__lint__lint: ["-"],
      build__test__test: ["-"],
      build__image__image: ["build__lint__lint", "build__test__test"],
      build__docs__docs: ["build__fetch__fetch"],
      build__report__report: ["build__image__image", "build__docs__docs"],
      build__push__push: ["build__image__image"],
    });
    expect(b.steps.find((s: { id: string }) => s.id === "build__push__push").args).toEqual(["push", "gcr.io/$PROJECT_ID/app:$SHORT_SHA"]);
    expect(b.timeout).toBe("5400s");
    expect(b.options.pool).toEqual({ name: "projects/p/locations/us-central1/workerPools/pool" });
    expect(b.options.workerPool).toBeUndefined();
  });
});

describe("detection (what audit and the CLI use)", () => {
  it("a broken cloudbuild.yaml is still Cloud Build's; a neutral definition is nobody's", () => {
    expect(provider.detect({ path: "ci/cloudbuild.yaml", content: "steps:\n  - name: [x\n" })).toBeGreaterThanOrEqual(0.9);
    expect(
      provider.detect({ path: "ci.yaml", content: "steps:\n  - name: gcr.io/cloud-builders/go\n    args: [test\n    waitFor: ['-']\n" }),
    ).toBeGreaterThanOrEqual(0.5);
    expect(provider.detect({ path: "notes.yaml", content: "steps: [\n" })).toBe(0);
    expect(provider.detect({ path: "cloudbuild.yaml", content: "pipeglot: 1\nname: p\n" })).toBe(0);
    expect(provider.detect({ path: "ci.yaml", content: text })).toBeGreaterThanOrEqual(0.85);
  });
});

describe("a step or job that is only another provider's native", () => {
  const p = ir({
    stages: [
      {
        name: "s",
        jobs: [
          { name: "az", steps: [{ name: "publish", native: { azure: { task: "PublishBuildArtifacts@1" } } }] },
          { name: "deploy", steps: [], native: { aws: { action: { actionTypeId: { category: "Deploy", owner: "AWS", provider: "ECS", version: "1" } } } } },
        ],
      },
    ],
  });
  it("becomes a step that fails with a message, with a positioned warning", () => {
    const out = compile(p);
    const steps = buildOf(out).steps as { id: string; entrypoint?: string; args?: string[] }[];
    for (const id of ["s__az__publish", "s__deploy__native"]) {
      const st = steps.find((s) => s.id === id)!;
      expect(st.entrypoint, id).toBe("bash");
      expect(st.args![1], id).toMatch(/^echo '.*has no Cloud Build translation.*' >&2\nexit 1$/);
    }
    expect(out.diagnostics.filter((d) => d.code === "PG-GCB-NOT-TRANSLATED").map((d) => [d.severity, d.path])).toEqual([
      ["warning", "/stages/0/jobs/0/steps/0/native"],
      ["warning", "/stages/0/jobs/1"],
    ]);
  });
});

sharedSuite("Cloud Build real shapes pass the oracles", () => {
  let check: ReturnType<typeof conformanceCheckers>["gcp"];
  beforeAll(() => {
    check = conformanceCheckers().gcp;
  });
  it("waitFor [-] / ['-'] file: native → import → compile gcp", () => {
    expect(check(compile(imported().pipeline!))).toEqual([]);
  });
  it("foreign-native steps and jobs", () => {
    const p = ir({
      stages: [
        {
          name: "s",
          jobs: [
            { name: "az", steps: [{ native: { azure: { task: "X@1" } } }] },
            { name: "j", steps: [], native: { oci: { buildSpec: {} } } },
          ],
        },
      ],
    });
    expect(check(compile(p))).toEqual([]);
  });
});
