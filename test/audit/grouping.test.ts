/**
 * Grouping on files nobody here wrote: corpus files laid out as the repositories they come from
 * hold them (an Azure pipeline and the steps template it names, a SAM pipeline template and the
 * buildspecs its CodeBuild projects name after ${ProjectSubfolder}/, a Cloud Build trigger and the
 * build file it names from the repository root, an OCI build spec), beside a pipeglot definition
 * and a Kubernetes manifest. The expected pipelines are written out by hand.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { CORPUS, REPO, sharedSuite } from "../helpers/paths.js";

interface Pipeline {
  path: string;
  files: string[];
  format?: string;
  status: string;
  diagnostics: { code: string; message: string }[];
}

const STEPS_TEMPLATE = `parameters:
  Subscription: ''
  SubscriptionId: ''
  Registry: ''
  DockerImageName: ''
  DockerFile: ''
  ResourceGroup: ''
  ImageName: ''
steps:
  - script: docker build -f \${{ parameters.DockerFile }} -t \${{ parameters.Registry }}.azurecr.io/\${{ parameters.ImageName }} .
    displayName: docker build
`;

const LINT_PIPELINE = `trigger: [main]
pool:
  vmImage: ubuntu-latest
steps:
  - script: npm run lint
  - template: steps/docker_push.yml
`;

const TRIGGER = JSON.stringify(
  { name: "kpt-release", github: { owner: "kptdev", name: "kpt", push: { tag: "^v.*$" } }, filename: "release/cloudbuild.yaml" },
  null,
  2,
);

const K8S = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
`;

function layout(): string {
  const dir = mkdtempSync(join(tmpdir(), "pipeglot-audit-group-"));
  const put = (path: string, from: { corpus: string } | { text: string }) => {
    const to = join(dir, "repo", path);
    mkdirSync(dirname(to), { recursive: true });
    if ("corpus" in from) copyFileSync(join(CORPUS, from.corpus), to);
    else writeFileSync(to, from.text);
  };
  put(".ci/azure-pipelines_docker.yml", { corpus: "azure/07-guitarrapc-azuredevops-lab-azure-pipelines_docker.yml" });
  put(".ci/steps/docker_push.yml", { text: STEPS_TEMPLATE });
  put(".ci/azure-pipelines-lint.yml", { text: LINT_PIPELINE });
  put("codepipeline.yaml", { corpus: "codepipeline/10-aws-aws-sam-cli-pipeline-init-templates-codepipeline.yaml" });
  put("pipeline/buildspec_unit_test.yml", { corpus: "buildspec/02-03sarath-whisper-serverless-aws-deploy-buildspec.yml" });
  put("pipeline/buildspec_deploy.yml", { corpus: "buildspec/03-0019-KDU-springboot-aws-deploy-buildspec.yml" });
  put("deploy/triggers/push.json", { text: TRIGGER });
  put("release/cloudbuild.yaml", { corpus: "cloudbuild/02-kptdev-kpt-cloudbuild.yaml" });
  put("oci/build_spec.yml", { corpus: "oci/01-howowi-cloudnative-website-build_spec.yml" });
  put("k8s/deployment.yaml", { text: K8S });
  copyFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), join(dir, "repo", "pipeglot.yaml"));
  return dir;
}

sharedSuite("pipeglot audit groups the files of one pipeline", () => {
  const dir = layout();
  const run = runCli(["audit", "repo", "--format", "json"], { cwd: dir }).then((r) => ({ ...r, report: JSON.parse(r.stdout) }));

  it("reports each pipeline once, with the files it names; a shared template in each pipeline that names it", async () => {
    const { code, stderr, report } = await run;
    expect(code, stderr).toBe(0);
    expect((report.pipelines as Pipeline[]).map((p) => [p.path, p.format ?? "-", p.files])).toEqual([
      ["repo/.ci/azure-pipelines-lint.yml", "azure", ["repo/.ci/azure-pipelines-lint.yml", "repo/.ci/steps/docker_push.yml"]],
      ["repo/.ci/azure-pipelines_docker.yml", "azure", ["repo/.ci/azure-pipelines_docker.yml", "repo/.ci/steps/docker_push.yml"]],
      ["repo/codepipeline.yaml", "aws", ["repo/codepipeline.yaml", "repo/pipeline/buildspec_deploy.yml", "repo/pipeline/buildspec_unit_test.yml"]],
      ["repo/deploy/triggers/push.json", "gcp", ["repo/deploy/triggers/push.json", "repo/release/cloudbuild.yaml"]],
      ["repo/k8s/deployment.yaml", "-", ["repo/k8s/deployment.yaml"]],
      ["repo/oci/build_spec.yml", "oci", ["repo/oci/build_spec.yml"]],
      ["repo/pipeglot.yaml", "pipeglot", ["repo/pipeglot.yaml"]],
    ]);
    expect(report.totals).toMatchObject({ pipelines: 7, files: 11, unsupported: 1, failed: 0 });
  });

  it("reads the grouped files: the template is expanded, the trigger's build file is found", async () => {
    const { report } = await run;
    const byPath = new Map((report.pipelines as Pipeline[]).map((p) => [p.path, p]));
    for (const p of ["repo/.ci/azure-pipelines-lint.yml", "repo/.ci/azure-pipelines_docker.yml"])
      expect(byPath.get(p)!.diagnostics.map((d) => d.code)).not.toContain("PG-ADO-IMPORT-TEMPLATE-MISSING");
    expect(byPath.get("repo/deploy/triggers/push.json")!.diagnostics.map((d) => d.code)).not.toContain("PG-GCB-IMPORT-FILENAME");
    // The SAM template's projects read the two buildspecs given; the two not given stay native actions.
    const missing = byPath
      .get("repo/codepipeline.yaml")!
      .diagnostics.filter((d) => d.code === "PG-AWS-IMPORT-PROJECT-MISSING")
      .map((d) => d.message);
    expect(missing).toEqual([
      "project CodeBuildProjectBuildAndPackage reads its buildspec from the repository; the job keeps the action as native.aws",
      "project CodeBuildProjectIntegrationTest reads its buildspec from the repository; the job keeps the action as native.aws",
    ]);
    expect(byPath.get("repo/pipeglot.yaml")!.status).toBe("partial");
  });

  it("counts per source format add up to the files", async () => {
    const { report } = await run;
    const rows = Object.fromEntries((report.formats as { format: string; pipelines: number; files: number }[]).map((r) => [r.format, [r.pipelines, r.files]]));
    expect(rows).toEqual({ azure: [2, 4], aws: [1, 3], gcp: [1, 2], oci: [1, 1], pipeglot: [1, 1], unknown: [1, 1] });
  });
});

const OCI_PIPELINE = { id: "ocid1.devopsbuildpipeline.oc1..web", "project-id": "ocid1.devopsproject.oc1..p", "display-name": "web", "freeform-tags": {} };
const ociStage = (pipeline: string, name: string) => ({
  id: `ocid1.devopsbuildpipelinestage.oc1..${name}`,
  "build-pipeline-id": pipeline,
  "build-pipeline-stage-type": "BUILD",
  "display-name": name,
  "build-spec-file": "build_spec.yaml",
  image: "OL7_X86_64_STANDARD_10",
  "build-pipeline-stage-predecessor-collection": { items: [{ id: pipeline }] },
  "build-source-collection": { items: [] },
});

describe("pipeglot audit groups files that name each other by id or name", () => {
  it("AWS: get-pipeline output and the batch-get-projects output of the projects it runs are one pipeline", async () => {
    const r = await runCli(["audit", "test/fixtures/aws/realworld", "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const at = (f: string) => `test/fixtures/aws/realworld/${f}`;
    expect((JSON.parse(r.stdout).pipelines as Pipeline[]).map((p) => [p.path, p.files])).toEqual([
      [at("buildspec.yml"), [at("buildspec.yml")]],
      [at("get-pipeline.json"), [at("get-pipeline.json"), at("projects.json")]],
      [at("template.yaml"), [at("template.yaml")]],
    ]);
  });

  it("OCI: CLI output of a build pipeline, its stage list (whose stage names the build spec) and another pipeline's stages", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-audit-oci-"));
    mkdirSync(join(dir, "oci"));
    writeFileSync(join(dir, "oci", "pipeline.json"), JSON.stringify({ data: OCI_PIPELINE }, null, 2));
    writeFileSync(join(dir, "oci", "stages.json"), JSON.stringify({ data: { items: [ociStage(OCI_PIPELINE.id, "build")] } }, null, 2));
    writeFileSync(join(dir, "oci", "other-stages.json"), JSON.stringify({ data: { items: [ociStage("ocid1.devopsbuildpipeline.oc1..api", "api")] } }, null, 2));
    writeFileSync(
      join(dir, "oci", "build_spec.yaml"),
      "version: 0.1\ncomponent: build\nsteps:\n  - type: Command\n    name: build\n    command: npm ci && npm run build\n",
    );
    const r = await runCli(["audit", "oci", "--format", "json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const pipelines = JSON.parse(r.stdout).pipelines as Pipeline[];
    expect(pipelines.map((p) => [p.path, p.format, p.files])).toEqual([
      ["oci/other-stages.json", "oci", ["oci/other-stages.json", "oci/build_spec.yaml"]],
      ["oci/pipeline.json", "oci", ["oci/pipeline.json", "oci/build_spec.yaml", "oci/stages.json"]],
    ]);
    for (const p of pipelines) expect(["successful", "partial"], `${p.path}: ${p.status}`).toContain(p.status);
  });
});

describe("a file a pipeline names that is in no pipeline format", () => {
  it("is listed with the pipeline (not Unsupported on its own), and is not read as the pipeline's format", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-audit-k8s-"));
    mkdirSync(join(dir, "r", "k8s"), { recursive: true });
    writeFileSync(join(dir, "r", "cloudbuild.yaml"), "steps:\n  - name: gcr.io/cloud-builders/kubectl\n    args: ['apply', '-f', 'k8s/deployment.yaml']\n");
    writeFileSync(join(dir, "r", "k8s", "deployment.yaml"), K8S);
    const r = await runCli(["audit", "r", "--format", "json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const pipelines = JSON.parse(r.stdout).pipelines as Pipeline[];
    expect(pipelines.map((p) => [p.path, p.format, p.status, p.files])).toEqual([
      ["r/cloudbuild.yaml", "gcp", "partial", ["r/cloudbuild.yaml", "r/k8s/deployment.yaml"]],
    ]);
  });
});

describe("templates named from the repository root and from a folder above", () => {
  it("are grouped with the pipeline and read (no template is missing)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pipeglot-audit-azure-root-"));
    mkdirSync(join(dir, "repo", ".azure"), { recursive: true });
    mkdirSync(join(dir, "repo", "eng"));
    writeFileSync(
      join(dir, "repo", ".azure", "pipeline.yml"),
      "trigger: [main]\npool:\n  vmImage: ubuntu-latest\nsteps:\n  - template: /eng/steps.yml\n  - template: ../eng/more.yml\n",
    );
    writeFileSync(join(dir, "repo", "eng", "steps.yml"), "steps:\n  - script: echo from-the-root\n");
    writeFileSync(join(dir, "repo", "eng", "more.yml"), "steps:\n  - script: echo from-above\n");
    const r = await runCli(["audit", "repo", "--format", "json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const pipelines = JSON.parse(r.stdout).pipelines as Pipeline[];
    expect(pipelines.map((p) => [p.path, p.format, p.files])).toEqual([
      ["repo/.azure/pipeline.yml", "azure", ["repo/.azure/pipeline.yml", "repo/eng/more.yml", "repo/eng/steps.yml"]],
    ]);
    expect(pipelines[0]!.diagnostics.map((d) => d.code)).toEqual(["PG-ADO-IMPORT-LOSSY"]);
  });
});
