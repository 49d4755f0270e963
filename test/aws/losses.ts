/**
 * What a round trip through CodePipeline + CodeBuild loses, as data (../runner/roundtrip.ts checks
 * it both ways: an unlisted difference fails, and so does a listed one that round-trips now).
 * `becomes` is what import gives instead, written by hand. Both imports (the API JSON files and
 * the CloudFormation template) lose the same.
 */
import type { PipelineIR } from "@pipeglot/schema";
import { commonLosses, type Loss } from "../runner/roundtrip.js";

export const LOSSES: readonly Loss[] = [
  ...commonLosses("aws"),
  { case: "example:container-image", pointer: "/triggers/schedules", why: "PG-AWS-SCHEDULE: schedules need an EventBridge rule", becomes: [] },
  { case: "triggers.schedule", pointer: "/triggers/schedules", why: "PG-AWS-SCHEDULE: schedules need an EventBridge rule", becomes: [] },
  { case: "example:java-maven", pointer: "/stages/2/condition", why: "PG-AWS-CONDITION: stage branch conditions have no CodePipeline equivalent", becomes: undefined },
  { case: "example:python-library", pointer: "/stages/2/condition", why: "PG-AWS-CONDITION: stage branch conditions have no CodePipeline equivalent", becomes: undefined },
  { case: "example:node-webapp", pointer: "/stages/2/approval/approvers", why: "PG-AWS-APPROVERS: who may approve is IAM policy", becomes: [] },
  { case: "approval.approvers", pointer: "/stages/1/approval/approvers", why: "PG-AWS-APPROVERS: who may approve is IAM policy", becomes: [] },
  { case: "example:node-webapp", pointer: "/stages/2/approval/notify", why: "PG-AWS-APPROVAL-NOTIFY: only an SNS topic ARN is kept", becomes: [] },
  { case: "approval.notify", pointer: "/stages/1/approval/notify", why: "PG-AWS-APPROVAL-NOTIFY: only an SNS topic ARN is kept", becomes: [] },
  { case: "triggers.pullRequest.events", pointer: "/triggers/pullRequest/events", why: "PG-AWS-PR-EVENTS: opened and reopened share OPEN", becomes: ["opened", "reopened", "closed"] },
  // A step-level native.aws is merged into the job's buildspec: it comes back on the job.
  { case: "step.native", pointer: "/stages/0/jobs/0/steps", why: "a native-only step merges into the buildspec", becomes: [{ run: "make test" }] },
  { case: "step.native", pointer: "/stages/0/jobs/0/native", why: "a native-only step merges into the buildspec", becomes: { aws: { buildspec: { phases: { install: { "runtime-versions": { nodejs: 20 } } } } } } },
];

/**
 * What AWS cannot hold, always: other providers' secret references and secret descriptions, other
 * providers' targets, and `defaults` (factored into every job; import writes them out per job).
 * Used by the live pull test.
 */
export const ALWAYS_STRIPPED = (ir: PipelineIR): PipelineIR => {
  const c = structuredClone(ir);
  c.defaults = {};
  for (const s of Object.values(c.secrets)) {
    delete s.azure;
    delete s.gcp;
    delete s.oci;
    delete s.description;
  }
  c.targets = c.targets.aws ? { aws: c.targets.aws } : {};
  return c;
};
