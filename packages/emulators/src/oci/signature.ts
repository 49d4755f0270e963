/**
 * OCI request signatures (draft-cavage-http-signatures-08, as OCI uses them):
 *
 *   Authorization: Signature version="1",keyId="<tenancy>/<user>/<fingerprint>",algorithm="rsa-sha256",
 *                  headers="x-date (request-target) host [content-type content-length x-content-sha256]",
 *                  signature="<base64 RSA-SHA256 of the signing string>"
 *
 * The signing string is one line per listed header, `name: value`, with `(request-target)` as
 * `<lowercase method> <path?query>`. POST/PUT/PATCH must also sign the body: x-content-sha256 is
 * the base64 SHA-256 of the body, content-length its length.
 * https://docs.oracle.com/en-us/iaas/Content/API/Concepts/signingrequests.htm
 */
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { EmulatorRequest } from "../core/server.js";

export interface ParsedSignature {
  keyId: string;
  algorithm: string;
  headers: string[];
  signature: Buffer;
}

/** Why a request is not authenticated; undefined when it is. */
type SignatureProblem = string | undefined;

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

export function parseAuthorization(value: string | undefined): ParsedSignature | string {
  if (!value) return "the request has no Authorization header";
  const m = /^Signature\s+(.*)$/s.exec(value.trim());
  if (!m) return "the Authorization header is not an HTTP signature";
  const params = new Map<string, string>();
  for (const part of m[1].matchAll(/([A-Za-z]+)="([^"]*)"/g)) params.set(part[1], part[2]);
  const keyId = params.get("keyId");
  const signature = params.get("signature");
  if (!keyId || !signature) return "the signature has no keyId or no signature";
  const algorithm = params.get("algorithm") ?? "rsa-sha256";
  const headers = (params.get("headers") ?? "date")
    .split(/\s+/)
    .filter(Boolean)
    .map((h) => h.toLowerCase());
  return { keyId, algorithm, headers, signature: Buffer.from(signature, "base64") };
}

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/**
 * The request targets the client may have signed. The server only sees the decoded path and the
 * parsed query, so the raw form is rebuilt the ways clients write it: the OCI SDK writes query
 * values unencoded (`key=value`), others percent-encode them.
 */
function requestTargets(req: EmulatorRequest): string[] {
  const path = req.path
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
  const pairs = [...req.query.entries()];
  if (pairs.length === 0) return [path];
  const raw = pairs.map(([k, v]) => `${k}=${v}`).join("&");
  const encoded = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  return [...new Set([`${path}?${raw}`, `${path}?${encoded}`, `${path}?${req.query.toString()}`])];
}

export class SignatureVerifier {
  private readonly keys = new Map<string, KeyObject>();

  /** keyId (`<tenancy>/<user>/<fingerprint>`) → public key PEM. */
  constructor(trusted: Record<string, string> = {}) {
    for (const [id, pem] of Object.entries(trusted)) this.trust(id, pem);
  }

  trust(keyId: string, publicKeyPem: string): void {
    this.keys.set(keyId, createPublicKey(publicKeyPem));
  }

  get size(): number {
    return this.keys.size;
  }

  /** undefined when the signature verifies with a trusted key; otherwise why not. */
  check(req: EmulatorRequest): SignatureProblem {
    const parsed = parseAuthorization(header(req, "authorization"));
    if (typeof parsed === "string") return parsed;
    if (parsed.algorithm !== "rsa-sha256") return `unsupported signature algorithm ${parsed.algorithm}`;
    const key = this.keys.get(parsed.keyId);
    if (!key) return "the signing key is not known to this tenancy"; // the keyId is not echoed: it holds the key fingerprint
    const required = ["(request-target)", "host"];
    if (!parsed.headers.includes("date") && !parsed.headers.includes("x-date")) required.push("date");
    if (BODY_METHODS.has(req.method)) required.push("content-length", "x-content-sha256");
    for (const h of required) if (!parsed.headers.includes(h)) return `the signature does not cover the ${h} header`;
    if (BODY_METHODS.has(req.method)) {
      const sha = createHash("sha256").update(req.body).digest("base64");
      if (header(req, "x-content-sha256") !== sha) return "x-content-sha256 does not match the body";
      if (Number(header(req, "content-length")) !== req.body.length) return "content-length does not match the body";
    }
    for (const target of requestTargets(req)) {
      const lines: string[] = [];
      let missing: string | undefined;
      for (const h of parsed.headers) {
        if (h === "(request-target)") {
          lines.push(`(request-target): ${req.method.toLowerCase()} ${target}`);
          continue;
        }
        const v = header(req, h);
        if (v === undefined) {
          missing = h;
          break;
        }
        lines.push(`${h}: ${v}`);
      }
      if (missing) return `the signed header ${missing} is not in the request`;
      if (verify("sha256", Buffer.from(lines.join("\n")), key, parsed.signature)) return undefined;
    }
    return "the signature does not verify";
  }
}
