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
import { expect, it } from "vitest";
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
    expect(byPath.get("repo/pipeglot.yaml")!.status).toBe("partial");
  });

  it("counts per source format add up to the files", async () => {
    const { report } = await run;
    const rows = Object.fromEntries((report.formats as { format: string; pipelines: number; files: number }[]).map((r) => [r.format, [r.pipelines, r.files]]));
    expect(rows).toEqual({ azure: [2, 4], aws: [1, 3], gcp: [1, 2], oci: [1, 1], pipeglot: [1, 1], unknown: [1, 1] });
  });
});
