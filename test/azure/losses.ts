/**
 * What a round trip through Azure Pipelines loses, as data (../runner/roundtrip.ts checks it both
 * ways: an unlisted difference fails, and so does a listed one that round-trips now). `becomes` is
 * what import gives instead, written by hand (a 90 s step timeout comes back as 120 s).
 */
import { commonLosses, type Loss } from "../runner/roundtrip.js";

export const LOSSES: readonly Loss[] = [
  ...commonLosses("azure"),
  { case: "*", pointer: "/targets/azure/organization", why: "only project, folder, pool, yamlPath and approvalMode are in the Azure files" },
  { case: "example:node-webapp", pointer: "/source/provider", why: "github is the default repository type, not told apart from an unset provider", becomes: undefined },
  { case: "source.repository", pointer: "/source/provider", why: "github is the default repository type, not told apart from an unset provider", becomes: undefined },
  { case: "job.retries", pointer: "/stages/0/jobs/0/retries", why: "PG-ADO-RETRY-JOB: jobs do not retry", becomes: 0 },
  { case: "job.runner", pointer: "/stages/0/jobs/0/runner", why: "PG-ADO-RUNNER-SIZE: hosted agents have one size", becomes: "small" },
  { case: "example:container-image", pointer: "/stages/0/jobs/0/runner", why: "PG-ADO-RUNNER-SIZE: hosted agents have one size", becomes: "small" },
  { case: "example:java-maven", pointer: "/stages/*/jobs/0/runner", why: "PG-ADO-RUNNER-SIZE: hosted agents have one size", becomes: "small" },
  { case: "step.shell", pointer: "/stages/0/jobs/0/steps/0/shell", why: "PG-ADO-SHELL-SH: sh becomes bash", becomes: "bash" },
  { case: "step.timeout", pointer: "/stages/0/jobs/0/steps/0/timeoutSeconds", why: "PG-ADO-TIMEOUT-ROUNDED: 90s is rounded up to 2 minutes", becomes: 120 },
  { case: "example:release", pointer: "/stages/2/transition/reason", why: "PG-ADO-TRANSITION: the reason of a disabled transition", becomes: undefined },
  { case: "transition.disabled", pointer: "/stages/1/transition/reason", why: "PG-ADO-TRANSITION: the reason of a disabled transition", becomes: undefined },
  { case: "triggers.pullRequest.events", pointer: "/triggers/pullRequest/events", why: "PG-ADO-PR-EVENTS: pr triggers fire on opened, updated and reopened", becomes: ["opened", "updated", "reopened"] },
  // PG-ADO-JOB-ENV: job env entries that reference secrets move into each step's env.
  { case: "secrets", pointer: "/stages/0/jobs/0/env/API_TOKEN", why: "PG-ADO-JOB-ENV", becomes: undefined },
  { case: "secrets", pointer: "/stages/0/jobs/0/steps/0/env/API_TOKEN", why: "PG-ADO-JOB-ENV", becomes: "${{ secrets.API_TOKEN }}" },
  { case: "example:node-webapp", pointer: "/stages/0/jobs/0/env/NPM_TOKEN", why: "PG-ADO-JOB-ENV", becomes: undefined },
  { case: "example:node-webapp", pointer: "/stages/0/jobs/0/steps/*/env/NPM_TOKEN", why: "PG-ADO-JOB-ENV", becomes: "${{ secrets.NPM_TOKEN }}" },
  // Variant approvalMode environment: the mode is read back from the environment check it writes.
  { case: "*@environment", pointer: "/targets/azure", why: "approvalMode is only seen in an environment check, written for an approval before jobs that have an environment" },
  { case: "example:node-webapp@environment", pointer: "/stages/2/approval/notify", why: "PG-ADO-APPROVAL-NOTIFY: an environment check notifies its approvers", becomes: [] },
];
