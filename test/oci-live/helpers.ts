/**
 * OCI live-sync test harness: the real oci-devops client (through the provider's connect()),
 * signing with a freshly generated RSA key from a temporary OCI config file, against the OCI
 * DevOps emulator that trusts only that key.
 */
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { validateFile, type PipelineIR } from "@pipeglot/schema";
import { connect, type OciLiveClient } from "@pipeglot/oci";
import { REPO } from "../helpers/paths.js";

export const TENANCY = "ocid1.tenancy.oc1..aaaaaaaapipeglottest";
export const USER = "ocid1.user.oc1..aaaaaaaapipeglottest";
export const SUBNET = "ocid1.subnet.oc1.eu-frankfurt-1.aaaaaaaasubnet";
export const REPOSITORY = "ocid1.artifactrepository.oc1.eu-frankfurt-1.aaaaaaaarepo";

export interface Identity {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
  keyId: string;
  dir: string;
  configFile: string;
}

/** A key pair and an OCI config file (profile DEFAULT, and profile OTHER with the same user). */
export function identity(): Identity {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const der = createPublicKey(publicKey).export({ type: "spki", format: "der" });
  const fingerprint = createHash("md5").update(der).digest("hex").match(/../g)!.join(":");
  const dir = mkdtempSync(join(tmpdir(), "pipeglot-oci-live-"));
  const keyFile = join(dir, "oci_api_key.pem");
  writeFileSync(keyFile, privateKey, { mode: 0o600 });
  const configFile = join(dir, "config");
  const profile = (name: string) => `[${name}]\nuser=${USER}\nfingerprint=${fingerprint}\ntenancy=${TENANCY}\nregion=eu-frankfurt-1\nkey_file=${keyFile}\n`;
  writeFileSync(configFile, profile("DEFAULT") + "\n" + profile("OTHER"));
  return { privateKey, publicKey, fingerprint, keyId: `${TENANCY}/${USER}/${fingerprint}`, dir, configFile };
}

export async function startOci(id: Identity, extra: Parameters<typeof startEmulators>[0] = {}): Promise<Emulators> {
  return startEmulators({ providers: ["oci"], seed: 7, ociTrustedKeys: { [id.keyId]: id.publicKey }, ...extra });
}

export function env(id: Identity): Record<string, string> {
  return {
    OCI_CONFIG_FILE: id.configFile,
    PIPEGLOT_OCI_POLL_MS: "0",
    PIPEGLOT_OCI_READ_BACKOFF_MS: "2",
    PIPEGLOT_OCI_SUBNET_ID: SUBNET,
    PIPEGLOT_OCI_ARTIFACT_REPOSITORY_ID: REPOSITORY,
    HOME: id.dir,
  };
}

/** The package's connect (provider.live.connect's body): it also takes settings beyond targets.oci, such as repoRoot. */
export async function connectTo(emu: Emulators, id: Identity, ir: PipelineIR, extra: Record<string, unknown> = {}, profile?: string): Promise<OciLiveClient> {
  return connect({ target: { ...(ir.targets.oci ?? {}), ...extra }, env: env(id), endpoint: emu.endpoints.oci!, ...(profile ? { profile } : {}) });
}

export async function example(name: string): Promise<PipelineIR> {
  const r = await validateFile(join(REPO, "examples", name, "pipeglot.yaml"));
  if (!r.ir) throw new Error(`example ${name} does not validate`);
  return r.ir;
}

export function cleanup(id: Identity): void {
  rmSync(id.dir, { recursive: true, force: true });
}
