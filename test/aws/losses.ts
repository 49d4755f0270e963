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
  {
    case: "example:java-maven",
    pointer: "/stages/2/condition",
    why: "PG-AWS-CONDITION: stage branch conditions have no CodePipeline equivalent",
    becomes: undefined,
  },
  {
    case: "example:python-library",
    pointer: "/stages/2/condition",
    why: "PG-AWS-CONDITION: stage branch conditions have no CodePipeline equivalent",
    becomes: undefined,
  },
  { case: "example:node-webapp", pointer: "/stages/2/approval/approvers", why: "PG-AWS-APPROVERS: who may approve is IAM policy", becomes: [] },
  { case: "approval.approvers", pointer: "/stages/1/approval/approvers", why: "PG-AWS-APPROVERS: who may approve is IAM policy", becomes: [] },
  { case: "example:node-webapp", pointer: "/stages/2/approval/notify", why: "PG-AWS-APPROVAL-NOTIFY: only an SNS topic ARN is kept", becomes: [] },
  { case: "approval.notify", pointer: "/stages/1/approval/notify", why: "PG-AWS-APPROVAL-NOTIFY: only an SNS topic ARN is kept", becomes: [] },
  {
    case: "triggers.pullRequest.events",
    pointer: "/triggers/pullRequest/events",
    why: "PG-AWS-PR-EVENTS: opened and reopened share OPEN",
    becomes: ["opened", "reopened", "closed"],
  },
  // A step-level native.aws is merged into the job's buildspec: it comes back on the job.
  { case: "step.native", pointer: "/stages/0/jobs/0/steps", why: "a native-only step merges into the buildspec", becomes: [{ run: "make test" }] },
  {
    case: "step.native",
    pointer: "/stages/0/jobs/0/native",
    why: "a native-only step merges into the buildspec",
    becomes: { aws: { buildspec: { phases: { install: { "runtime-versions": { nodejs: 20 } } } } } },
  },
  // Variant pairs (<feature>--<variant>): the lossy corners the compiler warns about.
  { case: "approval.timeout--rounded", pointer: "/stages/1/approval/timeoutSeconds", why: "PG-AWS-APPROVAL-TIMEOUT: at least 5 minutes", becomes: 300 },
  { case: "job.timeout--rounded", pointer: "/stages/0/jobs/0/timeoutSeconds", why: "PG-AWS-TIMEOUT-ADJUSTED: at least 5 minutes", becomes: 300 },
  { case: "job.timeout--long", pointer: "/stages/0/jobs/0/timeoutSeconds", why: "PG-AWS-TIMEOUT-ADJUSTED: at most 2160 minutes", becomes: 129600 },
  {
    case: "job.env--mixed",
    pointer: "/stages/0/jobs/0/env/AUTH",
    why: "PG-AWS-ENV-UNSUPPORTED: a secret mixed with text becomes the secret alone",
    becomes: "${{ secrets.TOKEN }}",
  },
  {
    case: "job.env--mixed",
    pointer: "/stages/0/jobs/0/env/NODE",
    why: "PG-AWS-ENV-UNSUPPORTED: a matrix value in env comes back as the first cell's value",
    becomes: "18",
  },
  {
    case: "native--unknown-key",
    pointer: "/stages/0/jobs/0/native",
    why: "PG-AWS-NATIVE-KEY: an unknown job-level native.aws key is ignored",
    becomes: undefined,
  },
  { case: "pipeline.description--everywhere", pointer: "/stages/0/description", why: "stage descriptions have no CodePipeline field", becomes: undefined },
  {
    case: "secrets--partial-refs",
    pointer: "/secrets/FIRST/aws",
    why: "PG-AWS-SECRET-REF: a bare reference is read as a Secrets Manager id",
    becomes: "secretsmanager:plain-secret-name",
  },
  {
    case: "secrets--partial-refs",
    pointer: "/secrets/SECOND",
    why: "PG-AWS-SECRET-NO-REF: a secret without an aws reference is not injected",
    becomes: undefined,
  },
  {
    case: "secrets--partial-refs",
    pointer: "/stages/0/jobs/0/steps/0/run",
    why: "PG-AWS-SECRET-NO-REF: its reference in a command comes back as a shell variable",
    becomes: "make publish TOKEN=${SECOND}",
  },
  {
    case: "step.native--other-provider",
    pointer: "/stages/0/jobs/0/steps/1/native",
    why: "PG-AWS-NOT-TRANSLATED: another provider's native step",
    becomes: undefined,
  },
  {
    case: "step.native--other-provider",
    pointer: "/stages/0/jobs/0/steps/1/run",
    why: "PG-AWS-NOT-TRANSLATED: it becomes a command that fails with a message",
    becomes:
      "echo 'pipeglot: step publish is native.azure only, it has no CodeBuild translation; translate it by hand (see PG-AWS-NOT-TRANSLATED)' >&2; exit 1",
  },
  {
    case: "transition.disabled--reason",
    pointer: "/stages/1/transition/reason",
    why: "PG-AWS-TRANSITION-ENABLED-REASON: a reason on an enabled transition is dropped",
    becomes: undefined,
  },
  {
    case: "transition.disabled--reason",
    pointer: "/stages/2/transition/reason",
    why: "PG-AWS-TRANSITION-REASON: characters DisableStageTransition refuses become spaces",
    becomes: "Freeze  until   the  review",
  },
  {
    case: "triggers.pullRequest--bitbucket",
    pointer: "/triggers/pullRequest/events",
    why: "PG-AWS-PR-EVENTS: opened and reopened share OPEN",
    becomes: ["opened", "reopened"],
  },
  { case: "triggers.push.branches--not-manual", pointer: "/triggers/manual", why: "PG-AWS-MANUAL: a pipeline can always be started by hand", becomes: true },
  {
    case: "triggers.push.paths--many",
    pointer: "/triggers/push/paths/include",
    why: "PG-AWS-FILTER-LIMIT: at most 8 patterns",
    becomes: ["a/**", "b/**", "c/**", "d/**", "e/**", "f/**", "g/**", "h/**"],
  },
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
