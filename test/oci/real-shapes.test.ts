/**
 * Known real-world shapes, from hand-made files of the same shape (test/fixtures/oci):
 *  - a build spec with inputArtifacts/outputArtifacts: native → import → compile oci passes the
 *    build spec schema and the oci-devops model types;
 *  - a step or job that is only another provider's `native` never gives an empty `command` or an
 *    empty `steps` list (OCI rejects both): a step that fails loudly, and a positioned warning;
 *  - a step of another type (VulnerabilityAudit) comes back as it was written.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { importPipeline, type ProviderOutput } from "@pipeglot/core";
import { validate, type PipelineIR } from "@pipeglot/schema";
import { compile, provider } from "@pipeglot/oci";
import { REPO, sharedSuite } from "../helpers/paths.js";
import { conformanceCheckers, ociTypeProblems } from "../conformance/index.js";

const FIXTURE = "test/fixtures/oci/artifacts.build_spec.yaml";
const imported = () => importPipeline(provider, [{ path: FIXTURE, content: readFileSync(join(REPO, FIXTURE), "utf8") }]);
type Spec = { steps: { name?: string; type: string; command?: string }[]; outputArtifacts?: { name: string; location: string }[]; inputArtifacts?: unknown[] };
const specs = (out: ProviderOutput): Spec[] => out.files.filter((f) => f.kind === "oci.BuildSpec").map((f) => parse(f.content) as Spec);

const ir = (doc: object): PipelineIR => {
  const r = validate(JSON.stringify({ pipeglot: 1, name: "p", source: { repository: "acme/p" }, ...doc }), { file: "p.json" });
  if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
  return r.ir;
};

const foreign = () =>
  ir({
    stages: [
      {
        name: "s",
        jobs: [
          { name: "az", steps: [{ name: "publish", native: { azure: { task: "PublishBuildArtifacts@1" } } }, { run: "make" }] },
          { name: "deploy", steps: [], native: { aws: { action: { actionTypeId: { category: "Deploy", owner: "AWS", provider: "ECS", version: "1" } } } } },
        ],
      },
    ],
  });

describe("OCI build spec with input and output artifacts (hand-made file)", () => {
  it("imports: steps kept, the output artifact's location becomes a path in the checkout's terms", () => {
    const r = imported();
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const job = r.pipeline!.stages[0]!.jobs[0]!;
    expect(job.steps.map((s) => s.name)).toEqual(["unpack-deps", "build"]);
    expect(job.produces).toEqual([{ name: "dist", paths: ["../dist.tgz"] }]);
    const path = r.diagnostics.find((d) => d.code === "PG-OCI-IMPORT-ARTIFACT-PATH")!;
    expect([path.line, path.column]).toEqual([26, 15]);
  });
  it("compiles back: the commands as written, the artifact packed from where the spec left it", () => {
    const [spec] = specs(compile(imported().pipeline!));
    expect(spec!.steps.map((s) => s.command)).toEqual([
      "tar -xzf ${OCI_WORKSPACE_DIR}/deps.tgz",
      "make build APP=${APP}\ntar -czf ${OCI_WORKSPACE_DIR}/dist.tgz dist\n",
      'shopt -s globstar nullglob dotglob\nmkdir -p "${OCI_WORKSPACE_DIR}/pipeglot"\ntar -czf "${OCI_WORKSPACE_DIR}/pipeglot/dist.tgz" -- ../dist.tgz',
    ]);
    expect(spec!.outputArtifacts).toEqual([{ name: "dist", type: "BINARY", location: "${OCI_WORKSPACE_DIR}/pipeglot/dist.tgz" }]);
  });
});

describe("detection (what audit and the CLI use)", () => {
  it("a broken build spec is still OCI's, by name or by `component: build`; a neutral definition is nobody's", () => {
    expect(provider.detect({ path: "build_spec.yaml", content: "steps: [\n" })).toBeGreaterThanOrEqual(0.9);
    expect(provider.detect({ path: "ci/spec.yml", content: "version: 0.1\ncomponent: build\nsteps: [\n" })).toBeGreaterThanOrEqual(0.9);
    expect(provider.detect({ path: "notes.yaml", content: "steps: [\n" })).toBe(0);
    expect(provider.detect({ path: "build_spec.yaml", content: "pipeglot: 1\nname: p\n" })).toBe(0);
  });
});

describe("a step or job that is only another provider's native", () => {
  it("becomes a step that fails with a message; never an empty command or steps list", () => {
    const out = compile(foreign());
    const [az, deploy] = specs(out);
    expect(az!.steps.map((s) => [s.name, s.command?.endsWith("\nexit 1")])).toEqual([
      ["publish", true],
      [undefined, false],
    ]);
    expect(az!.steps[0]!.command).toContain("step publish of job s.az is native.azure only");
    expect(deploy!.steps).toHaveLength(1);
    expect(deploy!.steps[0]!.command).toMatch(/^echo '.*job s\.deploy has no steps.*' >&2\nexit 1$/);
    expect(out.diagnostics.filter((d) => d.code === "PG-OCI-NOT-TRANSLATED").map((d) => [d.severity, d.path])).toEqual([
      ["warning", "/stages/0/jobs/0/steps/0/native"],
      ["warning", "/stages/0/jobs/1"],
    ]);
  });
  it("an empty command is written as `true` (OCI rejects an empty one)", () => {
    const [spec] = specs(compile(ir({ stages: [{ name: "s", jobs: [{ name: "j", image: "OL8_X86_64_STANDARD_10", steps: [{ run: "" }] }] }] })));
    expect(spec!.steps[0]!.command).toBe("true");
  });
});

describe("a VulnerabilityAudit step", () => {
  const text = [
    "version: 0.1",
    "component: build",
    "steps:",
    "  - type: VulnerabilityAudit",
    "    name: Vulnerability Audit Step",
    "    configuration:",
    "      buildType: maven",
    "      pomFilePath: ${OCI_PRIMARY_SOURCE_DIR}/pom.xml",
    "      maxPermissibleCvssV2Score: 7.5",
    "    knowledgeBaseId: ocid1.admknowledgebase.oc1..kb",
    "  - type: Command",
    "    command: mvn -B package",
    "",
  ].join("\n");
  it("is kept as written and compiles back to the same step", () => {
    const r = importPipeline(provider, [{ path: "build_spec.yaml", content: text }]);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const [spec] = specs(compile(r.pipeline!));
    expect(spec!.steps).toEqual([
      {
        type: "VulnerabilityAudit",
        name: "Vulnerability Audit Step",
        configuration: { buildType: "maven", pomFilePath: "${OCI_PRIMARY_SOURCE_DIR}/pom.xml", maxPermissibleCvssV2Score: 7.5 },
        knowledgeBaseId: "ocid1.admknowledgebase.oc1..kb",
      },
      { type: "Command", command: "mvn -B package" },
    ]);
  });
});

sharedSuite("OCI real shapes pass the OCI checks", () => {
  let check: ReturnType<typeof conformanceCheckers>["oci"];
  beforeAll(() => {
    check = conformanceCheckers().oci;
  });
  it("artifacts file and foreign-native steps: schema and model types", () => {
    const outputs = { artifacts: compile(imported().pipeline!), foreign: compile(foreign()) };
    for (const [name, out] of Object.entries(outputs)) expect(check(out), name).toEqual([]);
    expect(Object.fromEntries(ociTypeProblems(outputs))).toEqual({});
  });
});
