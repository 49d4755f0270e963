/**
 * The deploy pipeline, for pipelines that go on past a manual approval or a disabled transition:
 * a MANUAL_APPROVAL stage per gate, the later jobs as SHELL stages running an inline command spec
 * (a COMMAND_SPEC deploy artifact), and GENERIC_FILE deploy artifacts for the artifacts delivered
 * by the build pipeline.
 */
import { mergeNative, toYaml } from "@pipeglot/core";
import { formatDuration, type StageIR } from "@pipeglot/schema";
import { DEFAULT_SHELL_SHAPE, PASSED_VARIABLES, REF, RUNNER_SHAPES, RUN_VARIABLE, TAG } from "../conventions.js";
import type {
  CreateDeployArtifactDetails,
  CreateDeployPipelineDetails,
  CreateManualApprovalDeployStageDetails,
  CreateShellDeployStageDetails,
} from "../native/resources.js";
import { buildSpec } from "./build-spec.js";
import { predecessors, stageExits, unitTags, withoutSpec } from "./build-pipeline.js";
import type { Context, Unit } from "./context.js";

type DeployOpts = { crossing: Set<string>; postGateProduced: Set<string> };

export function compileDeployPipeline(ctx: Context, opts: DeployOpts): void {
  const ir = ctx.ir;
  const parameters = [
    ...Object.entries(ir.variables).map(([k, v]) => ({
      name: ctx.param(k),
      defaultValue: v.default,
      ...(v.description !== undefined ? { description: v.description } : {}),
    })),
    ...PASSED_VARIABLES.map((p) => ({ name: p, defaultValue: "unset", description: "passed from the build pipeline" })),
  ];
  const pipeline: CreateDeployPipelineDetails = {
    projectId: ctx.projectId(),
    displayName: `${ir.name}-deploy`,
    description: `Approvals and the jobs after them, started by build pipeline "${ir.name}"`,
    deployPipelineParameters: { items: parameters },
    freeformTags: ctx.tags({ [TAG.kind]: "deploy-pipeline" }),
  };
  ctx.emitJson("deploy_pipeline.json", "oci.CreateDeployPipelineDetails", pipeline);

  for (const a of opts.crossing) {
    const art: CreateDeployArtifactDetails = {
      projectId: ctx.projectId(),
      displayName: `artifact-${a}`,
      description: `Artifact "${a}" delivered by the build pipeline for the jobs after the approval`,
      deployArtifactType: "GENERIC_FILE",
      argumentSubstitutionMode: "SUBSTITUTE_PLACEHOLDERS",
      deployArtifactSource: {
        deployArtifactSourceType: "GENERIC_ARTIFACT",
        repositoryId: REF.artifactRepository,
        deployArtifactPath: `${ir.name}/${a}.tgz`,
        deployArtifactVersion: `\${${RUN_VARIABLE}}`,
      },
      freeformTags: ctx.tags({ [TAG.kind]: "artifact" }),
    };
    ctx.emitJson(`deploy_artifacts/artifact-${a}.json`, "oci.CreateDeployArtifactDetails", art);
  }
  const lastGate = gateStages(ctx);
  for (const u of ctx.units.filter((x) => x.postGate)) shellStage(ctx, u, opts, lastGate);
}

type Gate = { kind: "transition" | "approval"; description?: string; tags: Record<string, string> };

/** Gates: MANUAL_APPROVAL stages, the transition first, then the approval. Returns each gated stage's last gate (its deploy stage reference). */
function gateStages(ctx: Context): Map<string, string> {
  const lastGate = new Map<string, string>();
  ctx.ir.stages.forEach((s, i) => {
    if (!ctx.postGate.has(s.name)) return;
    const sp = `/stages/${i}`;
    let preds = stageExits(ctx, s.needs, true, REF.deployStage);
    const gates: Gate[] = [];
    if (!s.transition.enabled) {
      ctx.report(
        "PG-OCI-DISABLED-TRANSITION",
        `${sp}/transition`,
        `the disabled transition into stage "${s.name}"${s.transition.reason ? ` ("${s.transition.reason}")` : ""} becomes a MANUAL_APPROVAL deploy stage: runs wait until someone approves`,
      );
      gates.push({ kind: "transition", ...(s.transition.reason !== undefined ? { description: s.transition.reason } : {}), tags: {} });
    }
    if (s.approval) gates.push(approvalGate(ctx, s, sp));
    for (const g of gates) {
      const name = ctx.take(`${s.name}.${g.kind}`, sp);
      const stage: CreateManualApprovalDeployStageDetails = {
        deployStageType: "MANUAL_APPROVAL",
        deployPipelineId: REF.deployPipeline,
        displayName: name,
        ...(g.description !== undefined ? { description: g.description } : {}),
        deployStagePredecessorCollection: { items: (preds.length ? preds : [REF.deployPipeline]).map((id) => ({ id })) },
        approvalPolicy: { approvalPolicyType: "COUNT_BASED_APPROVAL", numberOfApprovalsRequired: 1 },
        freeformTags: ctx.tags({ [TAG.stage]: s.name, [TAG.stageIndex]: String(i), [TAG.stageNeeds]: s.needs.join(","), [TAG.gate]: g.kind, ...g.tags }),
      };
      ctx.emitJson(`deploy_stages/${name}.json`, "oci.CreateDeployStageDetails", stage);
      preds = [REF.deployStage(name)];
      lastGate.set(s.name, preds[0]!);
    }
  });
  return lastGate;
}

/** A stage's approval as a gate; what OCI's approval stage cannot say is reported and kept in tags. */
function approvalGate(ctx: Context, s: StageIR, sp: string): Gate {
  const a = s.approval!;
  ctx.report(
    "PG-OCI-APPROVAL-DEPLOY-PIPELINE",
    `${sp}/approval`,
    `the approval before stage "${s.name}" becomes a MANUAL_APPROVAL stage of deploy pipeline "${ctx.ir.name}-deploy", started by the build pipeline's TRIGGER_DEPLOYMENT_PIPELINE stage`,
  );
  const tags: Record<string, string> = {};
  if (a.approvers.length) {
    tags[TAG.approvers] = a.approvers.join(",");
    ctx.report(
      "PG-OCI-APPROVAL-APPROVERS",
      `${sp}/approval/approvers`,
      `approvers ${a.approvers.join(", ")} cannot be set on an OCI approval stage: grant them the DEVOPS_DEPLOYMENT approval permission with an IAM policy (recorded in tag ${TAG.approvers})`,
    );
  }
  if (a.timeoutSeconds !== undefined) {
    tags[TAG.approvalTimeout] = String(a.timeoutSeconds);
    ctx.report(
      "PG-OCI-APPROVAL-TIMEOUT",
      `${sp}/approval/timeout`,
      `approval timeout ${formatDuration(a.timeoutSeconds)} has no OCI equivalent (recorded in tag ${TAG.approvalTimeout})`,
    );
  }
  if (a.notify.length) {
    tags[TAG.notify] = a.notify.join(",");
    ctx.report(
      "PG-OCI-APPROVAL-NOTIFY",
      `${sp}/approval/notify`,
      `approval notifications to ${a.notify.join(", ")} need an OCI Notifications topic on the project (recorded in tag ${TAG.notify})`,
    );
  }
  return { kind: "approval", ...(a.instructions !== undefined ? { description: a.instructions } : {}), tags };
}

/** A job after a gate: its command spec (a COMMAND_SPEC deploy artifact) and the SHELL stage that runs it. */
function shellStage(ctx: Context, u: Unit, opts: DeployOpts, lastGate: Map<string, string>): void {
  ctx.report(
    "PG-OCI-DEPLOY-NO-SOURCE",
    u.path,
    `job "${u.job.id}" runs after an approval, as a SHELL stage of the deploy pipeline: it has no source checkout, only the artifacts it consumes`,
  );
  ctx.report(
    "PG-OCI-SHELL-IMAGE",
    u.path,
    `job "${u.job.id}" asks for image "${u.job.image}", but a SHELL stage runs on an OCI-provided container instance (recorded in tag ${TAG.image})`,
  );
  for (const a of u.job.consumes)
    if (opts.postGateProduced.has(a))
      ctx.report(
        "PG-OCI-ARTIFACT-DELIVER",
        `${u.path}/artifacts`,
        `job "${u.job.id}" consumes "${a}", produced after the approval: SHELL stages cannot pass artifacts to each other, it is not downloaded`,
      );
  for (const a of u.job.produces)
    ctx.report(
      "PG-OCI-ARTIFACT-DELIVER",
      `${u.path}/artifacts`,
      `job "${u.job.id}" produces "${a.name}" after the approval: a command spec has no output artifacts, it is not kept`,
    );
  const spec = buildSpec(ctx, u, { crossing: opts.crossing, exports: false, postGateProduced: opts.postGateProduced });
  const specName = `command-spec-${u.name}`;
  const art: CreateDeployArtifactDetails = {
    projectId: ctx.projectId(),
    displayName: specName,
    description: `Command spec of job "${u.job.id}"`,
    deployArtifactType: "COMMAND_SPEC",
    argumentSubstitutionMode: "NONE",
    deployArtifactSource: { deployArtifactSourceType: "INLINE", base64EncodedContent: Buffer.from(toYaml(spec), "utf8").toString("base64") },
    freeformTags: ctx.tags({ [TAG.kind]: "command-spec", [TAG.stage]: u.stage.name, [TAG.job]: u.job.name }),
  };
  ctx.emitJson(`deploy_artifacts/${specName}.json`, "oci.CreateDeployArtifactDetails", art);
  const shape = RUNNER_SHAPES[u.job.runner];
  let stage: CreateShellDeployStageDetails = {
    deployStageType: "SHELL",
    deployPipelineId: REF.deployPipeline,
    displayName: u.name,
    ...(u.job.description !== undefined ? { description: u.job.description } : {}),
    deployStagePredecessorCollection: predecessors(ctx, u, REF.deployStage, REF.deployPipeline, (st) => lastGate.get(st)),
    containerConfig: {
      containerConfigType: "CONTAINER_INSTANCE_CONFIG",
      shapeName: ctx.target.shape ?? DEFAULT_SHELL_SHAPE,
      shapeConfig: { ocpus: shape.ocpus, memoryInGBs: shape.memoryInGBs },
      networkChannel: { networkChannelType: "SERVICE_VNIC_CHANNEL", subnetId: ctx.target.subnetId ?? REF.subnet },
      ...(ctx.target.compartmentId ? { compartmentId: ctx.target.compartmentId } : {}),
    },
    commandSpecDeployArtifactId: REF.deployArtifact(specName),
    ...(u.job.timeoutSeconds !== undefined ? { timeoutInSeconds: u.job.timeoutSeconds } : {}),
    freeformTags: unitTags(ctx, u),
  };
  stage = mergeNative(mergeNative(stage, u.stage.native?.oci), withoutSpec(u.job.native?.oci));
  ctx.emitJson(`deploy_stages/${u.name}.json`, "oci.CreateDeployStageDetails", stage);
}
