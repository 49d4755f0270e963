/**
 * compare's pieces against hand-made inputs: run graphs from small vendor-shaped files, the price
 * file's validation (with positions), and costs worked out by hand from the price file's figures.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildReport,
  costRange,
  defaultPricesPath,
  fileRoles,
  layoutRunGraph,
  parseJobMinutes,
  parsePrices,
  rangeText,
  renderSvg,
  reportDate,
  totalText,
  unknownJobs,
} from "@pipeglot/compare";
import type { Capability, OutputFile, Prices, ProviderBase, Workload } from "@pipeglot/core";
import { provider as awsProvider } from "@pipeglot/aws";
import { provider as azureProvider } from "@pipeglot/azure";
import { provider as gcpProvider } from "@pipeglot/gcp";
import { provider as ociProvider } from "@pipeglot/oci";
import { validate, type Diagnostic, type PipelineIR, type ProviderId } from "@pipeglot/schema";
import { REPO } from "../helpers/paths.js";

const PROVIDERS: Record<ProviderId, ProviderBase> = { aws: awsProvider, azure: azureProvider, gcp: gcpProvider, oci: ociProvider };
const ALL = Object.values(PROVIDERS);
/** Each provider reads its own output back (ProviderBase.runGraph) and prices its own section (ProviderBase.cost). */
const runGraph = (id: ProviderId, files: readonly OutputFile[]) => PROVIDERS[id].runGraph(files);
const estimateCost = (id: ProviderId, ir: PipelineIR, w: Workload, p: Prices, facts?: Record<string, string>) => PROVIDERS[id].cost(ir, w, p, facts);
const parse = (text: string, file: string) => parsePrices(text, file, ALL);

const PRICES_FILE = join(REPO, "packages/compare/prices/prices.json");
const bundled = (): Prices => {
  const r = parse(readFileSync(PRICES_FILE, "utf8"), PRICES_FILE);
  expect(r.diagnostics).toEqual([]);
  return r.prices!;
};
const json = (path: string, kind: string, v: unknown): OutputFile => ({ path, kind, content: JSON.stringify(v, null, 2) });
const text = (path: string, kind: string, content: string): OutputFile => ({ path, kind, content });
const edges = (g: ReturnType<typeof runGraph>) => g.edges.map((e) => `${e.from} -> ${e.to}${e.label ? ` [${e.label}]` : ""}`).sort();

function irOf(yaml: string): PipelineIR {
  const r = validate(yaml, { file: "t.yaml" });
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.ir!;
}

describe("run graphs from vendor-shaped files", () => {
  it("aws: stages one after another, actions in runOrder groups, disabled transitions labelled", () => {
    const pipeline = {
      pipeline: {
        name: "p",
        pipelineType: "V2",
        stages: [
          { name: "Source", actions: [{ name: "Source", actionTypeId: { category: "Source", provider: "CodeStarSourceConnection" }, runOrder: 1 }] },
          {
            name: "build",
            actions: [
              { name: "a", actionTypeId: { category: "Build", provider: "CodeBuild" }, runOrder: 1, configuration: { ProjectName: "p-a" } },
              { name: "b", actionTypeId: { category: "Build", provider: "CodeBuild" }, runOrder: 1 },
              { name: "c", actionTypeId: { category: "Build", provider: "CodeBuild" }, runOrder: 2 },
            ],
          },
          {
            name: "prod",
            actions: [
              { name: "approve", actionTypeId: { category: "Approval", provider: "Manual" }, runOrder: 1 },
              { name: "deploy", actionTypeId: { category: "Build" }, runOrder: 2 },
            ],
          },
        ],
      },
    };
    const g = runGraph("aws", [
      json("pipeline.json", "codepipeline.CreatePipelineInput", pipeline),
      json("codebuild/p-a.json", "codebuild.CreateProjectInput", { name: "p-a", environment: { computeType: "BUILD_GENERAL1_LARGE" } }),
      json("transitions.json", "codepipeline.Transitions", [{ stageName: "prod", reason: "freeze" }]),
    ]);
    expect(g.none).toBeUndefined();
    expect(g.clusters.map((c) => c.label)).toEqual(["Source", "build", "prod"]);
    expect(edges(g)).toEqual(
      [
        "aws/Source/Source -> aws/build/a",
        "aws/Source/Source -> aws/build/b",
        "aws/build/a -> aws/build/c",
        "aws/build/b -> aws/build/c",
        "aws/build/c -> aws/prod/approve [transition disabled: freeze]",
        "aws/prod/approve -> aws/prod/deploy",
      ].sort(),
    );
    expect(g.nodes.find((n) => n.id === "aws/prod/approve")!.kind).toBe("approval");
    expect(g.nodes.find((n) => n.id === "aws/build/a")!.detail).toContain("BUILD_GENERAL1_LARGE");
    expect(g.facts.pipelineType).toBe("V2");
  });

  it("gcp: waitFor semantics, identical trigger builds share a cluster, a step that runs a trigger links the clusters", () => {
    const build = {
      steps: [
        { id: "one", name: "x", waitFor: ["-"] },
        { id: "two", name: "x", waitFor: ["-"] },
        { id: "three", name: "x" }, // no waitFor: after every previous step
        { id: "next", name: "gcloud", args: ["builds", "triggers", "run", "p-prod", "--sha=${COMMIT_SHA}"], waitFor: ["three"] },
      ],
    };
    const g = runGraph("gcp", [
      json("triggers/p-push.json", "cloudbuild.BuildTrigger", { name: "p-push", build }),
      json("triggers/p-pr.json", "cloudbuild.BuildTrigger", { name: "p-pr", build }),
      json("triggers/p-prod.json", "cloudbuild.BuildTrigger", { name: "p-prod", approvalConfig: { approvalRequired: true }, filename: "cloudbuild.prod.yaml" }),
      text("cloudbuild.prod.yaml", "cloudbuild.BuildConfig", "steps:\n  - id: deploy\n    name: x\n  - id: smoke\n    name: x\n"),
    ]);
    expect(g.clusters.map((c) => c.label)).toEqual(["trigger p-push, trigger p-pr", "trigger p-prod"]);
    expect(edges(g)).toEqual(
      [
        "gcp/build-1/one -> gcp/build-1/three",
        "gcp/build-1/two -> gcp/build-1/three",
        "gcp/build-1/three -> gcp/build-1/next",
        "gcp/build-1/next -> gcp/build-2/deploy [approval]",
        "gcp/build-2/deploy -> gcp/build-2/smoke",
      ].sort(),
    );
  });

  it("azure: a stage without dependsOn follows the previous one, dependsOn [] starts at once, jobs depend inside a stage", () => {
    const yaml = [
      "stages:",
      "  - stage: build",
      "    jobs:",
      "      - job: test",
      "      - job: lint",
      "      - job: bundle",
      "        dependsOn: [test, lint]",
      "  - stage: docs",
      "    dependsOn: []",
      "    jobs:",
      "      - job: site",
      "  - stage: deploy",
      "    jobs:",
      "      - deployment: web",
      "        environment: prod",
    ].join("\n");
    const g = runGraph("azure", [text("azure-pipelines.yml", "azure.PipelineYaml", yaml)]);
    expect(edges(g)).toEqual(
      ["azure/build/lint -> azure/build/bundle", "azure/build/test -> azure/build/bundle", "azure/docs/site -> azure/deploy/web"].sort(),
    );
    expect(g.nodes.find((n) => n.id === "azure/deploy/web")).toMatchObject({ kind: "deploy", detail: expect.stringContaining("environment prod") });
  });

  it("oci: build stages by predecessors, then the deploy pipeline started by the trigger stage", () => {
    const stage = (name: string, type: string, preds: string[], extra: object = {}) =>
      json(`build-pipeline/stages/${name}.json`, "oci.CreateBuildPipelineStageDetails", {
        displayName: name,
        buildPipelineStageType: type,
        buildPipelineStagePredecessorCollection: { items: preds.map((id) => ({ id })) },
        ...extra,
      });
    const g = runGraph("oci", [
      stage("test", "BUILD", ["${buildPipeline.id}"]),
      stage("bundle", "BUILD", ["${buildStage.test.id}"], { buildRunnerShapeConfig: { buildRunnerType: "CUSTOM", ocpus: 4, memoryInGBs: 32 } }),
      stage("to-deploy", "TRIGGER_DEPLOYMENT_PIPELINE", ["${buildStage.bundle.id}"]),
      json("deploy-pipeline/stages/approve.json", "oci.CreateDeployStageDetails", {
        displayName: "approve",
        deployStageType: "MANUAL_APPROVAL",
        deployStagePredecessorCollection: { items: [{ id: "${deployPipeline.id}" }] },
      }),
      json("deploy-pipeline/stages/ship.json", "oci.CreateDeployStageDetails", {
        displayName: "ship",
        deployStageType: "SHELL",
        deployStagePredecessorCollection: { items: [{ id: "${deployStage.approve.id}" }] },
      }),
    ]);
    expect(edges(g)).toEqual(
      [
        "oci/build/test -> oci/build/bundle",
        "oci/build/bundle -> oci/build/to-deploy",
        "oci/build/to-deploy -> oci/deploy/approve [triggers deployment]",
        "oci/deploy/approve -> oci/deploy/ship",
      ].sort(),
    );
    expect(g.nodes.find((n) => n.id === "oci/build/bundle")!.detail).toContain("4 OCPU / 32 GB");
    expect(g.nodes.find((n) => n.id === "oci/deploy/approve")!.kind).toBe("approval");
  });

  it("is tolerant: missing or broken files give 'no graph', never a throw", () => {
    for (const p of ["aws", "azure", "gcp", "oci"] as const) {
      expect(runGraph(p, []).none).toMatch(/^no graph/);
    }
    expect(runGraph("aws", [text("pipeline.json", "codepipeline.CreatePipelineInput", "{ not json")]).none).toMatch(/^no graph/);
    expect(runGraph("azure", [text("azure-pipelines.yml", "azure.PipelineYaml", "- just\n- a list")]).none).toMatch(/^no graph/);
    expect(runGraph("gcp", [text("cloudbuild.yaml", "cloudbuild.BuildConfig", "steps: 3")]).none).toMatch(/^no graph/);
  });

  it("lays the graph out with ELK and draws one <g class=node data-id> per node, inside the picture", async () => {
    const g = runGraph("azure", [
      text(
        "azure-pipelines.yml",
        "azure.PipelineYaml",
        "stages:\n  - stage: a\n    jobs: [{ job: x }, { job: y, dependsOn: x }]\n  - stage: b\n    jobs: [{ job: z }]\n",
      ),
    ]);
    const l = await layoutRunGraph(g);
    expect(l.nodes.map((n) => n.id).sort()).toEqual(["azure/a/x", "azure/a/y", "azure/b/z"]);
    const x = l.nodes.find((n) => n.id === "azure/a/x")!;
    const y = l.nodes.find((n) => n.id === "azure/a/y")!;
    expect(y.x).toBeGreaterThan(x.x + x.width - 1); // left to right
    for (const n of l.nodes) expect(n.x + n.width <= l.width && n.y + n.height <= l.height).toBe(true);
    const a = l.clusters.find((c) => c.id === "azure/a")!;
    expect(x.x >= a.x && x.x + x.width <= a.x + a.width).toBe(true); // nodes sit in their cluster
    expect(l.edges).toHaveLength(2);
    for (const e of l.edges) expect(e.points.length).toBeGreaterThanOrEqual(2);
    const svg = renderSvg(l, "azure", "t");
    expect(svg.match(/<g class="node [a-z]+" data-id="/g)).toHaveLength(3);
    expect(await layoutRunGraph(g)).toEqual(l); // deterministic
  });
});

describe("the price file", () => {
  it("the bundled file is valid; every figure names an https source and the day it was read; a missing figure says why", () => {
    const p = bundled();
    const figures: { value: number | null; source: string; read: string; note?: string }[] = [];
    const walk = (v: unknown) => {
      if (v && typeof v === "object") {
        if ("value" in v && "source" in v) figures.push(v as never);
        else for (const x of Object.values(v)) walk(x);
      }
    };
    walk(p);
    expect(figures.length).toBeGreaterThan(15);
    for (const f of figures) {
      expect(f.source).toMatch(/^https:\/\//);
      expect(["2026-11-22", "2026-12-07"]).toContain(f.read);
      if (f.value === null) expect(f.note).toMatch(/not found/i);
    }
    expect(defaultPricesPath()).toBe(PRICES_FILE);
  });

  it("reports a bad figure at its file:line:col", () => {
    const src = [
      "{",
      '  "pipeglotPrices": 1,',
      '  "currency": "USD",',
      '  "aws": {',
      '    "codepipeline": {',
      '      "v2PerActionMinute": { "value": "cheap", "unit": "x", "source": "https://a.example", "read": "2026-11-22" }',
    ].join("\n");
    const r = parse(src + "\n}}}", "p.json");
    expect(r.prices).toBeUndefined();
    const d = r.diagnostics.find((x) => x.path === "/aws/codepipeline/v2PerActionMinute/value");
    expect(d).toMatchObject({ file: "p.json", line: 6, column: src.split("\n")[5]!.indexOf('"cheap"') + 1, severity: "error", code: "PG-PRICES-INVALID" });
  });

  it("points an unknown key at the key, a syntax error at its place, and a runner without a price at the runner", () => {
    const good = readFileSync(PRICES_FILE, "utf8");
    const withKey = good.replace('"currency": "USD",', '"currency": "USD",\n  "curency": "EUR",');
    const u = parse(withKey, "p.json").diagnostics;
    expect(u[0]).toMatchObject({ message: 'unknown key "curency"', line: 4, column: 3 });
    const syn = parse('{\n  "a": [1,\n}', "p.json").diagnostics;
    expect(syn[0]).toMatchObject({ code: "PG-PRICES-SYNTAX", line: 3 });
    const noPrice = good.replace('"xlarge": "e2-highcpu-32"', '"xlarge": "n9-huge"');
    const n = parse(noPrice, "p.json").diagnostics;
    expect(n).toHaveLength(1);
    expect(n[0]!.message).toContain('"n9-huge"');
    expect(n[0]!.line).toBe(good.split("\n").findIndex((l) => l.includes('"xlarge": "e2-highcpu-32"')) + 1);
  });
});

const PIPE = `
pipeglot: 1
name: t
source: { repository: acme/t, branch: main }
stages:
  - name: build
    jobs:
      - { name: test, steps: [{ run: make test }] }
      - { name: lint, steps: [{ run: make lint }] }
      - { name: pack, needs: [test, lint], runner: large, steps: [{ run: make pack }] }
  - name: prod
    approval: { approvers: [ops] }
    jobs:
      - { name: ship, steps: [{ run: make ship }] }
`;

describe("costs, worked out by hand from the price file", () => {
  const ir = irOf(PIPE);
  const w: Workload = { runsPerMonth: 200, jobMinutes: 10, overrides: { "build.test": 7.5 } };

  it("aws: CodeBuild minutes by compute type (rounded up per build) + V2 action minutes, less the free tiers", () => {
    const c = estimateCost("aws", ir, w, bundled());
    // small: test ceil(7.5)=8 + lint 10 + ship 10 = 28 min/run → 5600 - 100 free = 5500 × 0.005 = 27.5
    // large: pack 10 → 2000 × 0.02 = 40; actions: 1 (source) + 8 + 10 + 10 + 10 = 39 → 7800 - 100 = 7700 × 0.002 = 15.4
    expect(c.lines.map((l) => [l.item, l.quantity, l.amount])).toEqual([
      ["CodeBuild BUILD_GENERAL1_LARGE", 2000, 40],
      ["CodeBuild BUILD_GENERAL1_SMALL", 5600, 27.5],
      ["CodePipeline V2 action minutes", 7800, 15.4],
    ]);
    expect(c.total).toBeCloseTo(82.9, 6);
    expect(c.complete).toBe(true);
    expect(estimateCost("aws", ir, w, bundled(), { pipelineType: "V1" }).lines.at(-1)!.item).toBe("CodePipeline V1 active pipeline");
  });

  it("gcp: one build per part (split at the approval), as long as its longest path, on the largest runner's machine", () => {
    const c = estimateCost("gcp", ir, w, bundled());
    // part 1: max(7.5, 10) + 10 = 20 min on large → e2-highcpu-8: 4000 × 0.016 = 64
    // part 2: 10 min on small → e2-standard-2: 2000, all within the 2500 free minutes
    expect(c.lines.map((l) => [l.item, l.quantity, l.amount])).toEqual([
      ["Cloud Build e2-highcpu-8", 4000, 64],
      ["Cloud Build e2-standard-2", 2000, 0],
    ]);
  });

  it("azure: as many paid parallel jobs as the pipeline runs at once once past the free tier", () => {
    const c = estimateCost("azure", ir, w, bundled());
    // 37.5 min/run × 200 = 7500 > 1800 free; test and lint run together → 2 jobs × $40
    expect(c.lines).toHaveLength(1);
    expect(c.lines[0]).toMatchObject({ quantity: 2, amount: 80 });
    const small = estimateCost("azure", ir, { ...w, runsPerMonth: 10 }, bundled());
    expect(small.lines[0]!.amount).toBe(80); // 375 minutes fit, but two jobs at once still need two paid jobs
    expect(small.alternatives[0]).toMatchObject({ quantity: 0, amount: 0 }); // or one at a time, for free
  });

  it("oci: runner OCPU and memory hours at Oracle's E4 list prices; not priced (and said so) when the price file has no figure", () => {
    const c = estimateCost("oci", ir, w, bundled());
    // small: (7.5 + 10 + 10) min × 200 = 91.67 h × (2 OCPU × $0.025 + 8 GB × $0.0015) = 91.67 × 0.062
    // large: 10 min × 200 = 33.33 h × (4 × 0.025 + 32 × 0.0015) = 33.33 × 0.148
    expect(c.complete).toBe(true);
    expect(c.total).toBeCloseTo((5500 / 60) * 0.062 + (2000 / 60) * 0.148, 6);
    const p = bundled();
    p.oci.ocpuPerHour = { ...p.oci.ocpuPerHour, value: null, note: "Not found: test" };
    const unpriced = estimateCost("oci", ir, w, p);
    expect(unpriced.complete).toBe(false);
    expect(unpriced.lines.find((l) => l.item.startsWith("Build runner OCPU (small"))).toMatchObject({ quantity: (27.5 * 200 * 2) / 60, amount: null });
    expect(totalText(unpriced, "USD")).toBe(`$${(((5500 / 60) * 8 + (2000 / 60) * 32) * 0.0015).toFixed(2)} + unknown`);
    p.oci.memoryGbPerHour = { ...p.oci.memoryGbPerHour, value: null, note: "Not found: test" };
    expect(totalText(estimateCost("oci", ir, w, p), "USD")).toBe("unknown"); // never $0.00
  });

  it("come from the price file: doubling every rate doubles every cost", () => {
    const p = bundled();
    const doubled = JSON.parse(JSON.stringify(p), (_k, v) =>
      v && typeof v === "object" && typeof v.value === "number" && /^USD/.test(v.unit) ? { ...v, value: v.value * 2 } : v,
    ) as Prices;
    doubled.oci.ocpuPerHour.value = 0.1;
    doubled.oci.memoryGbPerHour.value = 0.004;
    const half = JSON.parse(JSON.stringify(p)) as Prices;
    half.oci.ocpuPerHour.value = 0.05;
    half.oci.memoryGbPerHour.value = 0.002;
    for (const id of ["aws", "azure", "gcp", "oci"] as const) {
      const a = estimateCost(id, ir, w, half).total;
      expect(a).toBeGreaterThan(0);
      expect(estimateCost(id, ir, w, doubled).total).toBeCloseTo(2 * a, 9);
    }
  });

  it("parses --job-minutes and names unknown jobs", () => {
    const r = parseJobMinutes(["8", "build.test=7", "prod.ship=2.5"]);
    expect(r.errors).toEqual([]);
    expect(r.workload).toMatchObject({ jobMinutes: 8, overrides: { "build.test": 7, "prod.ship": 2.5 } });
    expect(parseJobMinutes(["build.test=", "-3", "x=0"]).errors).toHaveLength(3);
    expect(unknownJobs(ir, parseJobMinutes(["build.tset=3"]).workload)).toEqual(["build.tset"]);
  });
});

describe("the report", () => {
  const ir = irOf(PIPE);
  const cap = (feature: string, support: Capability["support"], code?: string): Capability => ({
    feature,
    support,
    how: `${feature} ${support}`,
    ...(code ? { code } : {}),
  });
  const fake = (id: "aws" | "gcp", caps: Capability[], files: OutputFile[], diagnostics: Diagnostic[]): ProviderBase => ({
    id,
    displayName: id.toUpperCase(),
    capabilities: caps,
    codes: {},
    compile: () => ({ provider: id, pipeline: ir.name, files, diagnostics }),
    detect: () => 0,
    import: () => ({ diagnostics: [] }),
    runGraph: (files) => PROVIDERS[id].runGraph(files),
    fileRoles: (files) => PROVIDERS[id].fileRoles(files),
    priceSchema: PROVIDERS[id].priceSchema,
    cost: (...a) => PROVIDERS[id].cost(...a),
  });

  it("cells come from the capability tables, with the diagnostics of the same code; files get their roles", () => {
    const aws = fake(
      "aws",
      [cap("approval", "native"), cap("approval.approvers", "lossy", "X-APPROVERS"), cap("jobs.parallel", "native")],
      [
        json("pipeline.json", "codepipeline.CreatePipelineInput", { pipeline: { stages: [] } }),
        text("codebuild/a.buildspec.yml", "codebuild.Buildspec", "version: 0.2\n"),
        text("cloudformation.yaml", "cloudformation.Template", "Resources: {}\n"),
      ],
      [{ severity: "warning", code: "X-APPROVERS", message: "not enforced", path: "/stages/1/approval/approvers" }],
    );
    const gcp = fake(
      "gcp",
      [cap("approval", "emulated", "G-SPLIT")],
      [
        json("triggers/t.json", "cloudbuild.BuildTrigger", { name: "t", filename: "cloudbuild.yaml" }),
        text("cloudbuild.yaml", "cloudbuild.BuildConfig", "steps: []\n"),
      ],
      [],
    );
    const outputs = [aws, gcp].map((p) => p.compile(ir));
    const r = buildReport({
      ir,
      providers: [aws, gcp],
      outputs,
      prices: bundled(),
      pricesFile: "p.json",
      workload: { runsPerMonth: 1, jobMinutes: 1, overrides: {} },
      date: "2026-12-01",
      version: "9.9.9",
    });
    expect(r.generated).toEqual({ date: "2026-12-01", pipeglotVersion: "9.9.9" });
    const row = (f: string) => r.features.find((x) => x.feature === f)!;
    expect(row("approval.approvers").cells.aws).toMatchObject({
      support: "lossy",
      code: "X-APPROVERS",
      diagnostics: [{ code: "X-APPROVERS", message: "not enforced" }],
    });
    expect(row("approval").cells.gcp).toMatchObject({ support: "emulated", diagnostics: [] });
    expect(row("approval.approvers").cells.gcp!.support).toBe("unknown"); // no row in its table: shown, not hidden
    expect(r.providers[0]!.counts).toMatchObject({ native: 2, lossy: 1 });
    expect(fileRoles(aws, outputs[0]!).map((f) => f.role)).toEqual(["resource", "reference", "alternative"]);
    expect(fileRoles(gcp, outputs[1]!).map((f) => f.role)).toEqual(["resource", "repository"]);
  });

  it("shows as evidence for a feature only diagnostics about a place that uses it, and ranks the top risks", () => {
    // One code for three step features, as AWS's wrapper diagnostic: each diagnostic names the step it is about.
    const W = "X-WRAPPED";
    const steps = irOf(`
pipeglot: 1
name: t
source: { repository: acme/t, branch: main }
stages:
  - name: build
    jobs:
      - name: test
        steps:
          - { name: unit, run: make unit, timeout: 5m, retries: 1 }
          - { name: upload, run: make upload, env: { A: b } }
`);
    const aws = fake(
      "aws",
      [
        cap("step.env", "emulated", W),
        cap("step.timeout", "emulated", W),
        cap("step.retries", "lossy", W),
        ...["source.repository", "job.image", "triggers.push.branches"].map((f) => cap(f, "native")),
      ],
      [json("pipeline.json", "codepipeline.CreatePipelineInput", { pipeline: { stages: [] } })],
      [
        { severity: "info", code: W, message: "step unit: timeout, retries wrapped", path: "/stages/0/jobs/0/steps/0" },
        { severity: "warning", code: W, message: "step upload: env wrapped", path: "/stages/0/jobs/0/steps/1" },
      ],
    );
    const r = buildReport({
      ir: steps,
      providers: [aws],
      outputs: [aws.compile(steps)],
      prices: bundled(),
      pricesFile: "p.json",
      workload: { runsPerMonth: 1, jobMinutes: 1, overrides: {} },
      date: "2026-12-01",
      version: "1",
    });
    const messages = (f: string) => r.features.find((x) => x.feature === f)!.cells.aws!.diagnostics.map((d) => d.message);
    expect(messages("step.env")).toEqual(["step upload: env wrapped"]);
    expect(messages("step.timeout")).toEqual(["step unit: timeout, retries wrapped"]);
    expect(messages("step.retries")).toEqual(["step unit: timeout, retries wrapped"]);
    // lossy first, then by the diagnostic's severity (warning before info)
    expect(r.summary[0]!.risks.map((k) => [k.feature, k.support, k.message])).toEqual([
      ["step.retries", "lossy", "step unit: timeout, retries wrapped"],
      ["step.env", "emulated", "step upload: env wrapped"],
      ["step.timeout", "emulated", "step unit: timeout, retries wrapped"],
    ]);
    expect(r.summary[0]).toMatchObject({ provider: "aws", counts: { native: 3, emulated: 2, lossy: 1, unknown: 0 }, filesToOwn: [], resources: 1 });
    expect(Object.keys(r).indexOf("summary")).toBeLessThan(Object.keys(r).indexOf("features")); // JSON: the decision first
  });

  it("gives a cost range from the cheapest listed choice to the estimate, and unknown when a line has no price", () => {
    const line = (item: string, amount: number | null) => ({ item, quantity: 1, unit: "u", rate: amount, amount });
    const base = { provider: "azure" as const, assumptions: [], total: 80, complete: true };
    const c = { ...base, lines: [line("jobs", 60), line("extra", 20)], alternatives: [{ ...line("one at a time", 40), replaces: ["jobs"] }] };
    expect(costRange(c)).toEqual({ low: 60, high: 80, lowChoice: "one at a time" });
    expect(rangeText(costRange(c), c, "USD")).toBe("$60.00–$80.00");
    const dearer = { ...c, alternatives: [{ ...line("faster", 90), replaces: ["jobs"] }] };
    expect(rangeText(costRange(dearer), dearer, "USD")).toBe("$80.00");
    const unpriced = { ...c, lines: [line("jobs", null), line("extra", 20)], total: 20, complete: false };
    expect(costRange(unpriced)).toEqual({ low: null, high: null });
    expect(rangeText(costRange(unpriced), unpriced, "USD")).toBe("$20.00 + unknown");
  });

  it("dates the report from --date, else SOURCE_DATE_EPOCH, else today (UTC); a bad value is one line", () => {
    const now = () => new Date("2026-12-07T23:59:59Z");
    expect(reportDate("2026-01-31", { SOURCE_DATE_EPOCH: "0" }, now)).toEqual({ date: "2026-01-31" });
    expect(reportDate(undefined, { SOURCE_DATE_EPOCH: "1765000000" }, now)).toEqual({ date: "2025-12-06" });
    expect(reportDate(undefined, {}, now)).toEqual({ date: "2026-12-07" });
    expect(reportDate("2026-02-30", {}, now).error).toBe('--date "2026-02-30": expected a date YYYY-MM-DD (e.g. 2026-12-01)');
    expect(reportDate(undefined, { SOURCE_DATE_EPOCH: "soon" }, now).error).toBe('SOURCE_DATE_EPOCH="soon": expected whole seconds since 1970-01-01 UTC');
  });
});
