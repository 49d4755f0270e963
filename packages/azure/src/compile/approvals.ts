/**
 * Approvals. Default: an agentless job (`pool: server`) running ManualValidation@1
 * (https://learn.microsoft.com/azure/devops/pipelines/tasks/reference/manual-validation-v1) that
 * the stage's root jobs depend on. approvalMode `environment`: an Approval check on the
 * environments the stage deploys to (checks are evaluated before the stage starts).
 */
import type { ApprovalIR, StageIR } from "@pipeglot/schema";
import { APPROVAL_CHECK_TYPE, type CheckConfiguration } from "../native/definition.js";
import type { AzJob } from "../native/pipeline.js";
import type { Ctx } from "./context.js";

/** ManualValidation can stay pending for 30 days at most. */
const MAX_APPROVAL_MINUTES = 43200;

function approvalMinutes(ctx: Ctx, a: ApprovalIR, path: string): number | undefined {
  if (a.timeoutSeconds === undefined) return undefined;
  let m = Math.max(1, Math.ceil(a.timeoutSeconds / 60));
  if (m > MAX_APPROVAL_MINUTES) {
    ctx.report("PG-ADO-APPROVAL-TIMEOUT", `${path}/timeout`, `approval timeout of ${m} minutes shortened to 30 days`);
    m = MAX_APPROVAL_MINUTES;
  } else if (m * 60 !== a.timeoutSeconds) ctx.report("PG-ADO-TIMEOUT-ROUNDED", `${path}/timeout`, `approval timeout rounded up to ${m} minute(s)`);
  return m;
}

export function approvalJob(ctx: Ctx, stage: StageIR, path: string, id: string): AzJob {
  const a = stage.approval!;
  const m = approvalMinutes(ctx, a, `${path}/approval`);
  const inputs: Record<string, string> = { notifyUsers: a.notify.join("\n") };
  if (a.approvers.length) inputs.approvers = a.approvers.join(",");
  if (a.instructions !== undefined) inputs.instructions = a.instructions;
  inputs.onTimeout = "reject";
  const task: Record<string, unknown> = { task: "ManualValidation@1" };
  if (m !== undefined) task.timeoutInMinutes = m;
  task.inputs = inputs;
  ctx.report("PG-ADO-APPROVAL-JOB", `${path}/approval`, `approval before stage ${stage.name} written as the agentless job ${id} (ManualValidation@1)`);
  return { job: id, displayName: "Approval", pool: "server", timeoutInMinutes: m === undefined ? MAX_APPROVAL_MINUTES : m + 1, steps: [task] };
}

export function approvalCheck(ctx: Ctx, stage: StageIR, path: string, environment: string): CheckConfiguration {
  const a = stage.approval!;
  const m = approvalMinutes(ctx, a, `${path}/approval`) ?? MAX_APPROVAL_MINUTES;
  if (a.notify.length)
    ctx.report(
      "PG-ADO-APPROVAL-NOTIFY",
      `${path}/approval/notify`,
      `environment checks notify their approvers only; notify [${a.notify.join(", ")}] is dropped`,
    );
  ctx.report(
    "PG-ADO-APPROVAL-ENVIRONMENT",
    `${path}/approval`,
    `approval before stage ${stage.name} written as an Approval check on environment ${environment}; it gates every pipeline deploying there`,
  );
  const settings: CheckConfiguration["settings"] = {
    approvers: a.approvers.map((name) => ({ displayName: name, id: `\${identity.${name}.id}` })),
    minRequiredApprovers: a.approvers.length ? 1 : 0,
    requesterCannotBeApprover: false,
    executionOrder: "anyOrder",
    blockedApprovers: [],
  };
  if (a.instructions !== undefined) settings.instructions = a.instructions;
  return {
    type: { ...APPROVAL_CHECK_TYPE },
    settings,
    resource: { type: "environment", id: `\${environment.${environment}.id}`, name: environment },
    timeout: m,
  };
}
