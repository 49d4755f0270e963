/** A stage's manual approval → an Approval/AWS/Manual action at runOrder 1 of that stage. */
import type { ApprovalIR } from "@pipeglot/schema";
import { MANUAL_APPROVAL_TYPE, type ActionDeclaration } from "../native/codepipeline.js";
import type { Ctx } from "./context.js";
import { hasReference } from "./references.js";

const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$/;

export function approvalAction(ctx: Ctx, a: ApprovalIR, name: string, path: string): ActionDeclaration {
  const configuration: Record<string, string> = {};
  if (a.instructions !== undefined && a.instructions !== "") {
    if (a.instructions.length > 1000)
      ctx.report("PG-AWS-LIMIT", `${path}/instructions`, `approval instructions are ${a.instructions.length} characters; CustomData holds at most 1000`);
    configuration.CustomData = a.instructions;
  }
  // A CloudFormation reference (`${Topic}`, from an imported template) stands for a topic ARN.
  const sns = a.notify.map((n, i) => (hasReference(n) ? ctx.value(n, "topic", `${path}/notify/${i}`) : n)).filter((n) => SNS_ARN.test(n));
  const others = a.notify.filter((n) => !SNS_ARN.test(n) && !hasReference(n));
  const topic = sns[0] ?? ctx.settings.notificationArn;
  if (topic) configuration.NotificationArn = topic;
  if (others.length || sns.length > 1)
    ctx.report(
      "PG-AWS-APPROVAL-NOTIFY",
      `${path}/notify`,
      `notify ${JSON.stringify([...sns.slice(1), ...others])} dropped: a manual approval notifies one SNS topic${topic ? ` (${topic})` : ""}`,
      topic ? undefined : "subscribe these addresses to an SNS topic and set targets.aws.notificationArn",
    );
  if (a.approvers.length)
    ctx.report(
      "PG-AWS-APPROVERS",
      `${path}/approvers`,
      `approvers ${JSON.stringify(a.approvers)} are not enforced: anyone with codepipeline:PutApprovalResult on this pipeline can approve`,
      "grant codepipeline:PutApprovalResult only to these principals in IAM",
    );
  const action: ActionDeclaration = { name, actionTypeId: MANUAL_APPROVAL_TYPE, runOrder: 1 };
  if (Object.keys(configuration).length) action.configuration = configuration;
  if (a.timeoutSeconds !== undefined) {
    const min = Math.min(86400, Math.max(5, Math.ceil(a.timeoutSeconds / 60)));
    if (min * 60 !== a.timeoutSeconds)
      ctx.report("PG-AWS-APPROVAL-TIMEOUT", `${path}/timeout`, `approval timeout ${a.timeoutSeconds}s written as ${min} minutes (whole minutes, 5..86400)`);
    action.timeoutInMinutes = min;
  }
  return action;
}
