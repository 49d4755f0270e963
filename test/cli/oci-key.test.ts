/**
 * An OCI API key that the profile's pass_phrase does not open (or that is not a key at all) is the
 * user's to fix: one line naming the profile and the config file, exit 1 (kind auth); never a stack trace,
 * never the key or the pass phrase (issue 14).
 */
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";

const BIN = join(REPO, "packages/cli/dist/bundle/pipeglot.js");
const FLAGSHIP = join(REPO, "examples/node-webapp/pipeglot.yaml");
const PASS = "s3cret-pass-phrase-right";
const WRONG = "s3cret-pass-phrase-wrong";

function profile(dir: string, keyText: string, passPhrase: string): string {
  writeFileSync(join(dir, "key.pem"), keyText);
  const cfg = join(dir, "config");
  const lines = [
    "[DEFAULT]",
    "user=ocid1.user.oc1..aaaa",
    "fingerprint=aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99",
    "tenancy=ocid1.tenancy.oc1..aaaa",
    "region=eu-frankfurt-1",
    `key_file=${join(dir, "key.pem")}`,
    `pass_phrase=${passPhrase}`,
  ];
  writeFileSync(cfg, lines.join("\n") + "\n");
  return cfg;
}

const plan = (cfg: string) => {
  const r = spawnSync(process.execPath, [BIN, "plan", FLAGSHIP, "--target", "oci", "--endpoint", "http://127.0.0.1:9"], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, OCI_CONFIG_FILE: cfg, NO_COLOR: "1" },
  });
  return { code: r.status, all: r.stdout + r.stderr };
};

describe("an OCI API key that cannot be opened", () => {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: PASS },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });

  it("with a wrong pass_phrase: one line, exit 1, no stack trace, no key and no pass phrase", () => {
    const cfg = profile(mkdtempSync(join(tmpdir(), "pipeglot-ocikey-")), privateKey, WRONG);
    const r = plan(cfg);
    expect(r.code, r.all).toBe(1);
    expect(r.all).toContain(`cannot use the API key of OCI profile "DEFAULT" in ${cfg}: its pass_phrase does not open it`);
    expect(r.all).not.toMatch(/internal error|^\s+at |Error:/m);
    expect(r.all).not.toContain(WRONG);
    expect(r.all).not.toContain(PASS);
    expect(r.all).not.toContain("PRIVATE KEY");
  });

  it("a file that is not a key: exit 1, named as such", () => {
    const cfg = profile(mkdtempSync(join(tmpdir(), "pipeglot-ocikey-")), "not a key\n", WRONG);
    const r = plan(cfg);
    expect(r.code, r.all).toBe(1);
    expect(r.all).toContain("it is not a PEM private key");
    expect(r.all).not.toContain(WRONG);
  });

  it("the right pass_phrase gets past the key (to the connection, refused here)", () => {
    const cfg = profile(mkdtempSync(join(tmpdir(), "pipeglot-ocikey-")), privateKey, PASS);
    const r = plan(cfg);
    expect(r.all).not.toContain("API key");
    expect(r.all).toMatch(/cannot reach OCI DevOps/);
    expect(r.all).not.toContain(PASS);
  });
});
