/**
 * Conventions shared by the compiler and the importer: tag keys, symbolic references, the names
 * of generated steps and variables, the runner size table. Both sides read them from here so that
 * import(compile(x)) finds what compile wrote.
 */
import { OWNERSHIP } from "@pipeglot/core";
import type { RunnerSize } from "@pipeglot/schema";

/** Freeform tags on every resource pipeglot writes (ownership) and the mapping it needs to read its output back. */
export const TAG = {
  managedBy: OWNERSHIP.dashed.managedBy,
  pipeline: OWNERSHIP.dashed.pipeline,
  hash: OWNERSHIP.dashed.hash,
  kind: "pipeglot-kind",
  stage: "pipeglot-stage",
  stageIndex: "pipeglot-stage-index",
  stageNeeds: "pipeglot-stage-needs",
  job: "pipeglot-job",
  jobIndex: "pipeglot-job-index",
  cell: "pipeglot-matrix-cell",
  image: "pipeglot-image",
  environment: "pipeglot-environment",
  gate: "pipeglot-gate",
  approvers: "pipeglot-approvers",
  approvalTimeout: "pipeglot-approval-timeout",
  notify: "pipeglot-notify",
  fixedVariables: "pipeglot-fixed-variables",
  sourceProvider: "pipeglot-source-provider",
} as const;
export const MANAGED_BY = OWNERSHIP.value;

export const REF = {
  buildPipeline: "${buildPipeline.id}",
  deployPipeline: "${deployPipeline.id}",
  buildStage: (name: string) => `\${buildStage.${name}.id}`,
  deployStage: (name: string) => `\${deployStage.${name}.id}`,
  deployArtifact: (name: string) => `\${deployArtifact.${name}.id}`,
  artifactRepository: "${artifactRepository.id}",
  project: "${target.projectId}",
  connection: "${target.connectionId}",
  subnet: "${target.subnetId}",
} as const;

/** `${buildStage.NAME.id}` → NAME (and the same for the other kinds). */
export function refName(ref: string, kind: "buildStage" | "deployStage" | "deployArtifact"): string | undefined {
  const m = new RegExp(`^\\$\\{${kind}\\.(.+)\\.id\\}$`).exec(ref);
  return m?.[1];
}

/** The header (core's `# pipeglot: {json}`) of every step command pipeglot wraps; the step's own command is the quoted argument of `-c`. */
export const WRAP_HEADER = { wrapper: "the step's command is the quoted argument of -c" } as const;
/** The first line of wrapped commands written before the one header format; import still reads them. */
export const LEGACY_WRAP_MARKER = "# pipeglot: generated wrapper, the step's command is the quoted argument of -c";

/**
 * Shell variables the wrapper leaves set, so that the run shows what happened to the step's own
 * command: the attempts the retry loop made, the exit status continueOnError tolerated, and
 * whether the guard skipped the step.
 */
export const WRAPPER_VARS = { tries: "pg_try", rc: "pg_rc", failed: "pg_failed", skipped: "pg_skipped" } as const;

/** Prefix of generated steps (artifact packing, exports): the importer drops them. */
export const GENERATED_STEP = "pipeglot-";
export const packStep = (artifact: string) => `pipeglot-pack-${artifact}`;
export const unpackStep = (artifact: string) => `pipeglot-unpack-${artifact}`;
export const EXPORT_STEP = "pipeglot-export";

/** Where packed artifacts live on the runner. */
export const ARTIFACT_DIR = "${OCI_WORKSPACE_DIR}/pipeglot";
export const artifactFile = (artifact: string) => `${ARTIFACT_DIR}/${artifact}.tgz`;
/** Mount point of the primary source folder inside `docker run`. */
export const CONTAINER_WORKDIR = "/workspace";

export const MATRIX_PREFIX = "PG_MATRIX_";
/** Built-in variables of a build run (build spec) for the neutral git references. */
export const BUILD_GIT = { commit: "OCI_TRIGGER_COMMIT_HASH", branch: "OCI_TRIGGER_SOURCE_BRANCH_NAME" } as const;
/** Exported by the build pipeline, passed to the deploy pipeline (isPassAllParametersEnabled). */
export const DEPLOY_GIT = { commit: "PIPEGLOT_COMMIT", branch: "PIPEGLOT_BRANCH" } as const;
export const RUN_VARIABLE = "PIPEGLOT_RUN";
export const PASSED_VARIABLES = [DEPLOY_GIT.branch, DEPLOY_GIT.commit, RUN_VARIABLE] as const;

/** Runner sizes: build runner shape (CUSTOM) and SHELL stage container instance shape. */
export const RUNNER_SHAPES: Record<RunnerSize, { ocpus: number; memoryInGBs: number }> = {
  small: { ocpus: 1, memoryInGBs: 8 },
  medium: { ocpus: 2, memoryInGBs: 16 },
  large: { ocpus: 4, memoryInGBs: 32 },
  xlarge: { ocpus: 8, memoryInGBs: 64 },
};
export function runnerOf(ocpus: number | undefined): RunnerSize {
  if (ocpus === undefined) return "small";
  const sizes = Object.entries(RUNNER_SHAPES) as [RunnerSize, { ocpus: number }][];
  let best: RunnerSize = "small";
  for (const [size, s] of sizes) if (s.ocpus <= ocpus) best = size;
  return best;
}

export const DEFAULT_SHELL_SHAPE = "CI.Standard.E4.Flex";
export const SPEC_DIR_IN_REPO = ".pipeglot/oci/";
