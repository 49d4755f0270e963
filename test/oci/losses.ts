/**
 * What a round trip through OCI DevOps loses, as data (../runner/roundtrip.ts checks it both
 * ways: an unlisted difference fails, and so does a listed one that round-trips now). README:
 * "What a round trip loses". `becomes` is what import gives instead, written by hand.
 */
import { commonLosses, type Loss } from "../runner/roundtrip.js";

export const LOSSES: readonly Loss[] = [
  ...commonLosses("oci"),
  { case: "*", pointer: "/targets/oci/compartmentId", why: "only oci.projectId, connectionId and repositoryUrl are in the OCI files" },
  { case: "*", pointer: "/targets/oci/region", why: "only oci.projectId, connectionId and repositoryUrl are in the OCI files" },
  { case: "concurrency", pointer: "/concurrency", why: "PG-OCI-CONCURRENCY: builds queue", becomes: "queue" },
  { case: "example:node-webapp", pointer: "/concurrency", why: "PG-OCI-CONCURRENCY: builds queue", becomes: "queue" },
  {
    case: "native",
    pointer: "/stages/0/jobs/0/native",
    why: "a job's native.oci.buildSpec is merged into the build spec and read back as its parts",
    becomes: undefined,
  },
  { case: "job.retries", pointer: "/stages/0/jobs/0/retries", why: "PG-OCI-JOB-RETRIES: OCI build stages do not retry", becomes: 0 },
  {
    case: "condition.status",
    pointer: "/stages/0/jobs/0/steps/1/condition",
    why: "PG-OCI-CONDITION-STATUS: an always step is not told apart on import",
    becomes: undefined,
  },
  {
    case: "example:release",
    pointer: "/stages/2/jobs/0/steps/1/condition",
    why: "PG-OCI-CONDITION-STATUS: an always step is not told apart on import",
    becomes: undefined,
  },
  { case: "triggers.push.tags", pointer: "/triggers/push", why: "PG-OCI-TRIGGER-TAGS: a push trigger on tags only is not written", becomes: undefined },
  { case: "example:release", pointer: "/triggers/push", why: "PG-OCI-TRIGGER-TAGS: a push trigger on tags only is not written", becomes: undefined },
  { case: "example:container-image", pointer: "/triggers/push/tags/include", why: "PG-OCI-TRIGGER-TAGS: tag filters are dropped", becomes: [] },
  { case: "example:python-library", pointer: "/triggers/push/tags/include", why: "PG-OCI-TRIGGER-TAGS: tag filters are dropped", becomes: [] },
  {
    case: "triggers.push.branches.exclude",
    pointer: "/triggers/push/branches/exclude",
    why: "PG-OCI-BRANCH-EXCLUDE: branch excludes are dropped",
    becomes: [],
  },
  { case: "triggers.schedule", pointer: "/triggers/schedules", why: "PG-OCI-SCHEDULE: no scheduled triggers", becomes: [] },
  { case: "example:container-image", pointer: "/triggers/schedules", why: "PG-OCI-SCHEDULE: no scheduled triggers", becomes: [] },
  // Variant pairs (<feature>--<variant>): the lossy corners the compiler warns about.
  {
    case: "condition.branches--glob",
    pointer: "/stages/0/jobs/0/steps/1/condition/branches/0",
    why: "** in branch conditions comes back as *",
    becomes: "release/*",
  },
  { case: "condition.status--failure", pointer: "/stages/0/jobs/0/steps/1/condition", why: "PG-OCI-CONDITION-STATUS", becomes: undefined },
  { case: "condition.status--failure", pointer: "/stages/0/jobs/0/steps/3/condition", why: "PG-OCI-CONDITION-STATUS", becomes: undefined },
  { case: "pipeline.description--everywhere", pointer: "/stages/0/description", why: "PG-OCI-STAGE-DESCRIPTION", becomes: undefined },
  {
    case: "secrets--partial-refs",
    pointer: "/secrets/FIRST/oci",
    why: "PG-OCI-SECRET-NO-REF: a placeholder reference is written",
    becomes: "${secret.FIRST.oci}",
  },
  {
    case: "step.native--other-provider",
    pointer: "/stages/0/jobs/0/steps/1/native",
    why: "PG-OCI-NOT-TRANSLATED: another provider's native step",
    becomes: undefined,
  },
  { case: "step.native--other-provider", pointer: "/stages/0/jobs/0/steps/1/run", why: "PG-OCI-NOT-TRANSLATED: it becomes a step that fails with a message" },
  {
    case: "transition.disabled--reason",
    pointer: "/stages/1/transition/reason",
    why: "the reason of an enabled transition has no OCI field",
    becomes: undefined,
  },
  {
    case: "triggers.pullRequest--bitbucket",
    pointer: "/triggers/pullRequest",
    why: "PG-OCI-PR-EVENT: reopened is not offered for Bitbucket; no event is left",
    becomes: undefined,
  },
  {
    case: "triggers.push.branches--not-manual",
    pointer: "/triggers/manual",
    why: "PG-OCI-MANUAL-ONLY: a build pipeline can always be started by hand",
    becomes: true,
  },
  {
    case: "triggers.push.tags--excludes",
    pointer: "/triggers/push",
    why: "PG-OCI-TRIGGER-TAGS: a push trigger on tags only is not written",
    becomes: undefined,
  },
];
