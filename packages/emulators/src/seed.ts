/**
 * What `pipeglot emulate` puts in a fresh emulated account so that the bundled examples
 * (examples/*\/pipeglot.yaml) apply as they are, and the variables that point pipeglot at it.
 * The library's startEmulators() seeds nothing unless asked (tests start from empty accounts).
 */
import type { ProviderId } from "./emulators.js";
import { DEFAULT_OCI_REGION } from "./emulators.js";
import type { OciIdentity } from "./oci/identity.js";
import type { AzureIdentitySeed } from "./azure/identities.js";

/** The project AZURE_DEVOPS_PROJECT names (a definition's targets.azure.project wins). */
export const SEED_AZURE_PROJECT = "pipeglot";
/**
 * Service connections every emulated Azure project starts with: the names the Azure compiler
 * uses when targets.azure.serviceConnection is not set (the repository type, lower-cased).
 */
export const SEED_AZURE_SERVICE_CONNECTIONS: readonly { name: string; type: string }[] = [
  { name: "github", type: "github" },
  { name: "bitbucket", type: "bitbucket" },
];

/**
 * Identities of the seeded organization: the approvers the bundled examples name (node-webapp's
 * `release-managers`, a group of the project it deploys to, `shop`), so that their Approval checks
 * resolve.
 * The emulator's one user approves for every approver.
 */
export const SEED_AZURE_IDENTITIES: readonly AzureIdentitySeed[] = [{ name: "[shop]\\release-managers", group: true }];

/** The project GOOGLE_CLOUD_PROJECT names, for definitions without targets.gcp.project (the emulator serves any project). */
export const SEED_GCP_PROJECT = "pipeglot-emulator";

/** OCIDs for the targets.oci settings a definition leaves out (the emulator accepts any OCID for them). */
export const SEED_OCI = {
  projectId: `ocid1.devopsproject.oc1.${DEFAULT_OCI_REGION}.amaaaaaapipeglotemulator`,
  connectionId: `ocid1.devopsconnection.oc1.${DEFAULT_OCI_REGION}.amaaaaaapipeglotgithub`,
  subnetId: `ocid1.subnet.oc1.${DEFAULT_OCI_REGION}.aaaaaaaapipeglotemulator`,
  artifactRepositoryId: `ocid1.artifactrepository.oc1.${DEFAULT_OCI_REGION}.aaaaaaaapipeglotemulator`,
} as const;

/** The variables, besides the endpoints, that make pipeglot use the seeded account. */
export function seedEnv(providers: readonly ProviderId[], oci: OciIdentity | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  if (providers.includes("azure")) env.AZURE_DEVOPS_PROJECT = SEED_AZURE_PROJECT;
  if (providers.includes("gcp")) env.GOOGLE_CLOUD_PROJECT = SEED_GCP_PROJECT;
  if (providers.includes("oci") && oci) {
    Object.assign(env, {
      OCI_CONFIG_FILE: oci.configFile,
      PIPEGLOT_OCI_PROJECT_ID: SEED_OCI.projectId,
      PIPEGLOT_OCI_CONNECTION_ID: SEED_OCI.connectionId,
      PIPEGLOT_OCI_SUBNET_ID: SEED_OCI.subnetId,
      PIPEGLOT_OCI_ARTIFACT_REPOSITORY_ID: SEED_OCI.artifactRepositoryId,
      // The emulator finishes a work request in two polls: no need to wait a second between them.
      PIPEGLOT_OCI_POLL_MS: "100",
    });
  }
  return env;
}
