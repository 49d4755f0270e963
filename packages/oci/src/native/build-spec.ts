/**
 * The OCI build specification (`build_spec.yaml`, `component: build`) and the command
 * specification of deploy-pipeline SHELL stages (`component: command`): the same format.
 *
 * https://docs.oracle.com/iaas/Content/devops/using/build_specs.htm
 * https://docs.oracle.com/en-us/iaas/Content/devops/using/command_spec.htm
 */

/** A `type: Command` step (the only step type). */
export interface SpecStep {
  type: "Command";
  name?: string;
  shell?: string;
  timeoutInSeconds?: number;
  failImmediatelyOnError?: boolean;
  command: string;
  onFailure?: SpecStep[];
  [native: string]: unknown;
}

/** inputArtifacts[]: STAGE_ARTIFACT (output of an earlier build stage), URL, GENERIC_ARTIFACT. */
export interface SpecInputArtifact {
  name: string;
  type: "STAGE_ARTIFACT" | "URL" | "GENERIC_ARTIFACT";
  location: string;
  url?: string;
  artifactId?: string;
  registryId?: string;
  path?: string;
  version?: string;
}

/** outputArtifacts[]: BINARY (a file) or DOCKER_IMAGE (a local image name). */
export interface SpecOutputArtifact {
  name: string;
  type: "BINARY" | "DOCKER_IMAGE";
  location: string;
}

export interface BuildSpec {
  version: 0.1;
  component: "build" | "command";
  timeoutInSeconds?: number;
  shell?: string;
  runAs?: string;
  failImmediatelyOnError?: boolean;
  env?: {
    variables?: Record<string, string>;
    /** name → vault secret OCID */
    vaultVariables?: Record<string, string>;
    exportedVariables?: string[];
  };
  inputArtifacts?: SpecInputArtifact[];
  steps: SpecStep[];
  outputArtifacts?: SpecOutputArtifact[];
}

/** Keys the build spec format defines, per level (anything else is reported on import). */
export const SPEC_KEYS = [
  "version",
  "component",
  "timeoutInSeconds",
  "shell",
  "runAs",
  "failImmediatelyOnError",
  "env",
  "inputArtifacts",
  "steps",
  "outputArtifacts",
] as const;
export const SPEC_ENV_KEYS = ["variables", "vaultVariables", "exportedVariables"] as const;
export const SPEC_STEP_KEYS = ["type", "name", "shell", "timeoutInSeconds", "failImmediatelyOnError", "command", "onFailure", "runAs"] as const;
