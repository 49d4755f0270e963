/**
 * connect(): the real `oci-devops` DevopsClient, loaded with import() only here.
 * Credentials: the API-key profile of the OCI config file (`OCI_CONFIG_FILE`, default
 * ~/.oci/config; profile from --profile, then `OCI_CLI_PROFILE`, then DEFAULT). The key itself is
 * read by the SDK's signer and never passes through pipeglot's output.
 */
import { createPrivateKey } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ConnectOptions } from "@pipeglot/core";
import { importSdk, UserError, type SdkRequirement } from "@pipeglot/core";
import { sdkApi } from "./api.js";
import { quietClient } from "./quiet.js";
import { NodeHttpClient, type SdkHttpResponse } from "./http-client.js";
import { ApiKeySigner } from "./signer.js";
import { OciLiveClient, type OciClientSettings } from "./client.js";
import { TARGET_SYMBOLS } from "./kinds.js";

/** The variable that carries an endpoint override (the emulator sets it). */
export const OCI_ENDPOINT_ENV = "PIPEGLOT_OCI_ENDPOINT";

/** A setting (kind "config") or credential ("auth") the user must fix: the CLI prints it and exits 1, never "internal error". */
export class OciConnectError extends UserError {
  override readonly name = "OciConnectError";
  constructor(message: string, kind: "config" | "auth" = "config") {
    super(message, kind);
  }
}

export interface OciSettings extends OciClientSettings {
  configFile: string;
  profile: string;
  endpoint?: string;
  region?: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function ociSettings(opts: ConnectOptions): OciSettings {
  const t = opts.target;
  const env = opts.env;
  const targetValues: Record<string, string> = {};
  const literalTargets = new Set<string>();
  for (const [sym, { setting, env: name }] of Object.entries(TARGET_SYMBOLS)) {
    const fromTarget = str(t[setting]);
    const value = fromTarget ?? str(env[name]);
    if (value) targetValues[sym] = value;
    if (fromTarget) literalTargets.add(sym);
  }
  const poll = Number(str(env.PIPEGLOT_OCI_POLL_MS) ?? NaN);
  const backoff = Number(str(env.PIPEGLOT_OCI_READ_BACKOFF_MS) ?? NaN);
  const workRequest = Number(str(env.PIPEGLOT_OCI_WORK_REQUEST_MS) ?? NaN);
  return {
    projectId: str(t.projectId) ?? str(t.project) ?? str(env.PIPEGLOT_OCI_PROJECT_ID),
    targetValues,
    literalTargets,
    pollMs: Number.isFinite(poll) && poll >= 0 ? poll : 1000,
    ...(Number.isFinite(workRequest) && workRequest >= 0 ? { workRequestMs: workRequest } : {}),
    readBackoffMs: Number.isFinite(backoff) && backoff >= 0 ? backoff : 200,
    repoRoot: str(t.repoRoot) ?? process.cwd(),
    configFile: str(env.OCI_CONFIG_FILE) ?? join(env.HOME ?? homedir(), ".oci", "config"),
    profile: opts.profile ?? str(env.OCI_CLI_PROFILE) ?? "DEFAULT",
    ...((opts.endpoint ?? str(env[OCI_ENDPOINT_ENV])) ? { endpoint: (opts.endpoint ?? str(env[OCI_ENDPOINT_ENV]))! } : {}),
    ...(str(t.region) ? { region: str(t.region)! } : {}),
  };
}

/** The optional peer dependencies connect() loads. */
const SDK: SdkRequirement = { who: "the OCI live commands (plan, apply, pull)", packages: ["oci-devops", "oci-common"] };

type OciCommon = typeof import("oci-common");
type OciDevops = typeof import("oci-devops");

/** The SDK's packages are CommonJS: import() gives their exports, or them under `default`. */
async function loadSdk(): Promise<{ common: OciCommon; devops: OciDevops }> {
  const [common, devops] = await Promise.all([
    importSdk(SDK, "oci-common", () => import("oci-common")),
    importSdk(SDK, "oci-devops", () => import("oci-devops")),
  ]);
  const exportsOf = <M extends object>(m: M): M => ("default" in m && m.default && typeof m.default === "object" ? (m.default as M) : m);
  return { common: exportsOf(common), devops: exportsOf(devops) };
}

/**
 * The API key must open with the profile's pass_phrase before the SDK signs with it: the SDK's key
 * parser fails deep inside a request (and its stream throws once more, uncaught). Neither the key
 * nor the pass phrase is ever part of the message.
 */
function checkKey(auth: { getPrivateKey(): string; getPassphrase(): string | null }, settings: Pick<OciSettings, "configFile" | "profile">): void {
  try {
    const passphrase = auth.getPassphrase();
    createPrivateKey({ key: auth.getPrivateKey(), format: "pem", ...(passphrase ? { passphrase } : {}) });
  } catch (e) {
    const why = /bad decrypt|passphrase/i.test((e as Error).message)
      ? "its pass_phrase does not open it (or it has none and the key is encrypted)"
      : "it is not a PEM private key";
    throw new OciConnectError(`cannot use the API key of OCI profile "${settings.profile}" in ${settings.configFile}: ${why}`, "auth");
  }
}

/** A DevopsClient with the SDK's own retries and circuit breaker off (the sync engine retries). */
export async function devopsClient(
  settings: Pick<OciSettings, "configFile" | "profile" | "endpoint" | "region">,
): Promise<InstanceType<OciDevops["DevopsClient"]>> {
  const { common, devops } = await loadSdk();
  let auth: InstanceType<OciCommon["ConfigFileAuthenticationDetailsProvider"]>;
  try {
    auth = new common.ConfigFileAuthenticationDetailsProvider(settings.configFile, settings.profile);
  } catch (e) {
    // The SDK's message names the file or the profile, never the key.
    throw new OciConnectError(`cannot use OCI profile "${settings.profile}" from ${settings.configFile}: ${(e as Error).message}`);
  }
  checkKey(auth, settings);
  // Signed by ApiKeySigner (the SDK's signature, with the key parsed once: see signer.ts), sent over
  // node:http with keep-alive (see http-client.ts), without a circuit breaker.
  const httpClient = sdkHttpClient(new NodeHttpClient(new ApiKeySigner(auth)));
  const client = new devops.DevopsClient(
    // The HTTP client signs (the SDK takes one of httpClient or authenticationDetailsProvider);
    // the profile's region is set below, as the SDK would from the provider.
    { httpClient },
    // `disableClientCircuitBreaker` is the option oci-common reads (it has no `noCircuit` option):
    // under an error storm a breaker would fail every call while the engine's retries would converge.
    {
      circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
      retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
    },
  );
  if (settings.endpoint) client.endpoint = settings.endpoint.replace(/\/+$/, "");
  else if (settings.region) client.regionId = settings.region;
  else if (auth.getRegion()) client.region = auth.getRegion();
  return quietClient(client);
}

export async function connect(opts: ConnectOptions): Promise<OciLiveClient> {
  const settings = ociSettings(opts);
  return new OciLiveClient(sdkApi(await devopsClient(settings)), settings);
}

/**
 * NodeHttpClient as the SDK's HttpClient type, whose `send` promises a whole fetch Response: the
 * SDK reads only the members SdkHttpResponse has (status, statusText, headers.get, json, text).
 */
function sdkHttpClient(c: NodeHttpClient): InstanceType<OciCommon["FetchHttpClient"]> {
  const send = (req: Parameters<NodeHttpClient["send"]>[0], forceExcludeBody?: boolean): Promise<SdkHttpResponse> => c.send(req, forceExcludeBody);
  return { send } as unknown as InstanceType<OciCommon["FetchHttpClient"]>;
}
