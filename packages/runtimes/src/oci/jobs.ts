/** Job traces the OCI model writes for jobs that did not run their steps. */
import type { JobIR } from "@pipeglot/schema";
import type { JobTrace } from "../trace.js";

export const CONTAINER_NOTE = "container images are not used: steps run on this machine with bash";

export function skippedJob(key: string): JobTrace {
  return { key, status: "skipped", files: {}, steps: [], artifacts: {} };
}

/** A job whose stage failed before its first step: every neutral step skipped. */
export function failedJob(key: string, job: JobIR | undefined): JobTrace {
  return {
    key,
    status: "failed",
    files: {},
    steps: (job?.steps ?? []).map((s) => ({ id: s.id, status: "skipped", exit: 0, attempts: 0, commands: [] })),
    artifacts: {},
  };
}
