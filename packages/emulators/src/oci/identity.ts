/**
 * A signing identity for the OCI emulator: an RSA key and an OCI config file (profile DEFAULT)
 * that the real SDK reads, as `oci setup config` would write them. `pipeglot emulate` makes one,
 * trusts its public key (so every request's signature is checked), and prints OCI_CONFIG_FILE.
 * An existing folder is reused, so a restart with `--state` keeps the same file and key.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const EMULATOR_TENANCY = "ocid1.tenancy.oc1..aaaaaaaapipeglotemulator";
export const EMULATOR_USER = "ocid1.user.oc1..aaaaaaaapipeglotemulator";

export interface OciIdentity {
  /** `<tenancy>/<user>/<fingerprint>`, the keyId of the requests' signatures. */
  keyId: string;
  publicKeyPem: string;
  configFile: string;
}

/** The identity in `dir` (config + key.pem), made first when the folder does not hold one. */
export function ociIdentity(dir: string, region: string): OciIdentity {
  const keyFile = join(dir, "key.pem");
  const configFile = join(dir, "config");
  if (!existsSync(keyFile) || !existsSync(configFile)) {
    if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    writeFileSync(keyFile, privateKey, { mode: 0o600 });
    const fingerprint = fingerprintOf(privateKey);
    writeFileSync(
      configFile,
      `[DEFAULT]\nuser=${EMULATOR_USER}\nfingerprint=${fingerprint}\ntenancy=${EMULATOR_TENANCY}\nregion=${region}\nkey_file=${keyFile}\n`,
      { mode: 0o600 },
    );
  }
  const privateKey = readFileSync(keyFile, "utf8");
  const publicKeyPem = createPublicKey(createPrivateKey(privateKey)).export({ type: "spki", format: "pem" }).toString();
  return { keyId: `${EMULATOR_TENANCY}/${EMULATOR_USER}/${fingerprintOf(privateKey)}`, publicKeyPem, configFile };
}

/** OCI's key fingerprint: MD5 of the DER public key, as colon-separated hex. */
function fingerprintOf(privateKeyPem: string): string {
  const der = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: "spki", format: "der" });
  return createHash("md5").update(der).digest("hex").match(/../g)!.join(":");
}
