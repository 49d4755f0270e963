/**
 * Codes, capability table and README agree, and every code is emitted by a test input (shared
 * runner, ../runner/codes.ts). OCI's extra inputs: a kitchen-sink definition and its variants for
 * the compile codes no golden pair reaches, and native files of foreign shapes for the import codes.
 */
import { describe, expect, it } from "vitest";
import { normalize, type PipelineDocument } from "@pipeglot/schema";
import { compile, importFiles, provider, type OciCode } from "@pipeglot/oci";
import type { NativeFile } from "@pipeglot/core";
import { codesSuite } from "../runner/codes.js";

const kitchenSink = {
  pipeglot: 1,
  name: "sink",
  source: { repository: "acme/sink" },
  triggers: {
    push: { branches: { include: ["main", "release/*"], exclude: ["release/old"] }, tags: ["v*"], paths: ["src/**"] },
    pullRequest: { branches: ["main"], events: ["opened", "closed"] },
    schedules: [{ cron: "0 3 * * *" }],
    manual: false,
  },
  concurrency: "supersede",
  variables: { _odd: "1", FIXED: "x" },
  secrets: { TOKEN: { oci: "ocid1.vaultsecret.oc1..t" }, NOREF: { aws: "secretsmanager:x" } },
  stages: [
    {
      name: "build",
      description: "Build it",
      jobs: [
        {
          name: "test",
          image: "node:20",
          retries: 1,
          matrix: { node: ["18", "20"] },
          condition: { status: "always", branches: ["main"] },
          steps: [{ name: "t", run: "npm test ${{ secrets.NOREF }}", env: { A: "b" }, retries: 1, continueOnError: true, workingDirectory: "app" }],
          artifacts: { produce: [{ name: "dist", paths: ["dist/**"] }] },
        },
      ],
    },
    {
      name: "prod",
      approval: { approvers: ["ops"], timeout: "1h", notify: ["a@b.c"], instructions: "go" },
      transition: { enabled: false, reason: "freeze" },
      jobs: [{ name: "deploy", environment: "prod", artifacts: { consume: ["dist"] }, steps: [{ run: "./deploy.sh ${{ secrets.TOKEN }}" }] }],
    },
  ],
} as const;

const foreignSpec = [
  "version: 0.1",
  "component: build",
  "cache: [x]",
  "env:",
  "  exportedVariables: [OUT]",
  "inputArtifacts:",
  "  - {name: tool, type: URL, url: 'https://x/t.tgz', location: /tmp/t.tgz}",
  "  - {name: lib, type: GENERIC_ARTIFACT, artifactId: ocid1.x, location: /tmp/lib}",
  "steps:",
  "  - type: Command",
  "    name: Build it!",
  "    command: make",
  "    onFailure:",
  "      - {type: Command, command: echo failed}",
  "  - type: VulnerabilityAudit",
  "    name: audit",
  "    configuration: {buildType: maven, pomFilePath: pom.xml}",
  "    knowledgeBaseId: ocid1.admknowledgebase.oc1..kb",
  "outputArtifacts:",
  "  - {name: img, type: DOCKER_IMAGE, location: 'app:1'}",
  "  - {name: jar, type: BINARY, location: '${OCI_PRIMARY_SOURCE_DIR}/target/app.jar'}",
  "",
].join("\n");

const stages = JSON.stringify({
  data: {
    items: [
      {
        id: "ocid1.stage.a",
        "display-name": "a",
        "build-pipeline-stage-type": "BUILD",
        "build-spec-file": "missing.yaml",
        "build-pipeline-stage-predecessor-collection": { items: [{ id: "ocid1.devopsbuildpipeline.p" }] },
      },
      {
        id: "ocid1.stage.w",
        "display-name": "wait",
        "build-pipeline-stage-type": "WAIT",
        "build-pipeline-stage-predecessor-collection": { items: [{ id: "ocid1.stage.a" }] },
      },
    ],
  },
});

const imports: Record<string, NativeFile[]> = {
  "a foreign build spec": [{ path: "build_spec.yaml", content: foreignSpec }],
  "a broken file": [{ path: "broken.yaml", content: "steps: [\n" }],
  "an unknown JSON file": [{ path: "notes.json", content: '{"hello": "world"}' }],
  "a duplicate key": [
    { path: "dup_spec.yaml", content: "version: 0.1\ncomponent: build\nsteps:\n  - {type: Command, name: b, command: make, command: evil}\n" },
  ],
  "stages with a missing spec and a WAIT stage": [{ path: "stages.json", content: stages }],
};

codesSuite(provider, {
  nativeDirs: ["oci"],
  documents: {
    "the kitchen sink": kitchenSink,
    "a codecommit source": { ...kitchenSink, source: { repository: "acme/sink", provider: "codecommit" } },
    "a bitbucket source with a reopened-only PR trigger": {
      ...kitchenSink,
      source: { repository: "acme/sink", provider: "bitbucket" },
      triggers: { pullRequest: { branches: ["main"], events: ["reopened"] } },
    },
    "a step with only another provider's native": {
      ...kitchenSink,
      stages: [{ name: "x", jobs: [{ name: "y", steps: [{ name: "task", native: { azure: { task: "Foo@1" } } }] }] }],
    },
  },
  imports,
  notEmitted: {} satisfies Partial<Record<OciCode, string>>,
});

describe("OCI codes: where they point", () => {
  it("compile codes point into the document", () => {
    const seen = new Map(compile(normalize(kitchenSink as unknown as PipelineDocument)).diagnostics.map((d) => [d.code, d.path]));
    expect(seen.get("PG-OCI-APPROVAL-APPROVERS")).toBe("/stages/1/approval/approvers");
    expect(seen.get("PG-OCI-SECRET-NO-REF")).toBe("/secrets/NOREF");
  });
  it("import codes have a position in the native file, and the foreign spec still imports", () => {
    for (const files of Object.values(imports))
      for (const d of importFiles(files).diagnostics) if (d.code !== "PG-OCI-IMPORT-NO-PIPELINE") expect(d.line, `${d.code} ${d.message}`).toBeGreaterThan(0);
    const r = importFiles(imports["a foreign build spec"]!);
    const steps = r.pipeline!.stages[0]!.jobs[0]!.steps;
    expect(steps.map((s) => s.id)).toEqual(["download-tool", "Build-it", "Build-it-on-failure", "audit"]);
    expect(r.pipeline!.stages[0]!.jobs[0]!.produces).toEqual([{ name: "jar", paths: ["target/app.jar"] }]);
    expect(steps[3]!.native?.oci).toEqual({
      type: "VulnerabilityAudit",
      name: "audit",
      configuration: { buildType: "maven", pomFilePath: "pom.xml" },
      knowledgeBaseId: "ocid1.admknowledgebase.oc1..kb",
    });
    expect(steps[2]!.condition?.status).toBe("failure");
    const onFailure = r.diagnostics.find((d) => d.code === "PG-OCI-IMPORT-ON-FAILURE")!;
    expect([onFailure.file, onFailure.line]).toEqual(["build_spec.yaml", 14]);
  });
});
