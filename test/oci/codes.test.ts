/**
 * The diagnostics table, the capability table and the README are the same facts: every code is
 * emitted by a fixture below (with the JSON pointer of what caused it), documented in the README,
 * and every feature has exactly one capability row naming only known codes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FEATURES } from "@pipeglot/core";
import { normalize, validate, type PipelineDocument } from "@pipeglot/schema";
import { capabilities, CODES, compile, importFiles } from "@pipeglot/oci";
import { REPO } from "../helpers/paths.js";

const IMPORT_CODES = Object.keys(CODES).filter((c) => c.startsWith("PG-OCI-IMPORT-"));
const COMPILE_CODES = Object.keys(CODES).filter((c) => !c.startsWith("PG-OCI-IMPORT-"));

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

describe("OCI diagnostic codes", () => {
  it("every compile code is emitted by a fixture, with a JSON pointer into the document", () => {
    const docs: unknown[] = [
      kitchenSink,
      { ...kitchenSink, source: { repository: "acme/sink", provider: "codecommit" } },
      { ...kitchenSink, source: { repository: "acme/sink", provider: "bitbucket" }, triggers: { pullRequest: { branches: ["main"], events: ["reopened"] } } },
      // A step that is another provider's native only: PG-OCI-NOT-TRANSLATED.
      { ...kitchenSink, stages: [{ name: "x", jobs: [{ name: "y", steps: [{ name: "task", native: { azure: { task: "Foo@1" } } }] }] }] },
    ];
    const seen = new Map<string, string>();
    for (const doc of docs) {
      const ir = normalize(doc as PipelineDocument);
      for (const d of compile(ir).diagnostics) {
        seen.set(d.code, d.path);
        expect(d.path === "" || d.path.startsWith("/"), `${d.code} ${d.path}`).toBe(true);
      }
    }
    expect([...seen.keys()].sort()).toEqual([...COMPILE_CODES].sort());
    expect(seen.get("PG-OCI-APPROVAL-APPROVERS")).toBe("/stages/1/approval/approvers");
    expect(seen.get("PG-OCI-SECRET-NO-REF")).toBe("/secrets/NOREF");
    expect(seen.get("PG-OCI-NOT-TRANSLATED")).toBe("/stages/0/jobs/0/steps/0/native");
  });

  it("every import code is emitted by a fixture, with a position in the native file", () => {
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
    const seen = new Set<string>();
    const runs = [
      importFiles([{ path: "build_spec.yaml", content: foreignSpec }]),
      importFiles([{ path: "broken.yaml", content: "steps: [\n" }]),
      importFiles([{ path: "notes.json", content: '{"hello": "world"}' }]),
      importFiles([{ path: "dup_spec.yaml", content: "version: 0.1\ncomponent: build\nsteps:\n  - {type: Command, name: b, command: make, command: evil}\n" }]),
      importFiles([
        { path: "stages.json", content: JSON.stringify({ data: { items: [
          { id: "ocid1.stage.a", "display-name": "a", "build-pipeline-stage-type": "BUILD", "build-spec-file": "missing.yaml", "build-pipeline-stage-predecessor-collection": { items: [{ id: "ocid1.devopsbuildpipeline.p" }] } },
          { id: "ocid1.stage.w", "display-name": "wait", "build-pipeline-stage-type": "WAIT", "build-pipeline-stage-predecessor-collection": { items: [{ id: "ocid1.stage.a" }] } },
        ] } }) },
      ]),
    ];
    for (const r of runs)
      for (const d of r.diagnostics) {
        seen.add(d.code);
        if (d.code !== "PG-OCI-IMPORT-NO-PIPELINE") expect(d.line, d.code).toBeGreaterThan(0);
      }
    expect([...seen].filter((c) => c.startsWith("PG-OCI-IMPORT-")).sort()).toEqual([...IMPORT_CODES].sort());
    // The foreign spec still imports into a valid pipeline: step name sanitized, onFailure a failure step, download step.
    const p = runs[0]!.pipeline!;
    const steps = p.stages[0]!.jobs[0]!.steps;
    expect(steps.map((s) => s.id)).toEqual(["download-tool", "Build-it", "Build-it-on-failure", "audit"]);
    // A location under the source folder is a path in the checkout.
    expect(p.stages[0]!.jobs[0]!.produces).toEqual([{ name: "jar", paths: ["target/app.jar"] }]);
    // The VulnerabilityAudit step is kept whole as native.oci.
    expect(steps[3]!.run).toBeUndefined();
    expect(steps[3]!.native?.oci).toEqual({ type: "VulnerabilityAudit", name: "audit", configuration: { buildType: "maven", pomFilePath: "pom.xml" }, knowledgeBaseId: "ocid1.admknowledgebase.oc1..kb" });
    expect(steps[2]!.condition?.status).toBe("failure");
    const onFailure = runs[0]!.diagnostics.find((d) => d.code === "PG-OCI-IMPORT-ON-FAILURE")!;
    expect([onFailure.file, onFailure.line]).toEqual(["build_spec.yaml", 14]);
  });

  it("every code is documented in the README; every feature has one capability row with known codes", () => {
    const readme = readFileSync(join(REPO, "packages/oci/README.md"), "utf8");
    for (const code of Object.keys(CODES)) expect(readme, code).toContain(`\`${code}\``);
    expect(capabilities.map((c) => c.feature).sort()).toEqual(Object.keys(FEATURES).sort());
    for (const c of capabilities) if (c.code) expect(Object.keys(CODES)).toContain(c.code);
    for (const c of capabilities) if (c.support !== "native") expect(c.code, c.feature).toBeDefined();
  });

  it("the kitchen sink itself is a valid neutral document", () => {
    const text = JSON.stringify(kitchenSink);
    const v = validate(text, { file: "sink.json" });
    expect(v.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
