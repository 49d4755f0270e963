/**
 * connect(): a LiveClient for Cloud Build. The only place that loads @google-cloud/cloudbuild and
 * google-auth-library (with import(), so that compile/import never pay for them).
 *
 *  - project: targets.gcp.project, else GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT (required).
 *  - location: targets.gcp.region, else "global".
 *  - endpoint: the `endpoint` option, else PIPEGLOT_GCB_ENDPOINT (what `pipeglot emulate` prints).
 *    With an endpoint, the client talks REST (fallback mode) to it with a pass-through auth client:
 *    no credentials are loaded and no token is ever sent to an endpoint other than Google's.
 *  - otherwise Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, the gcloud ADC
 *    file, or the metadata server) against https://cloudbuild.googleapis.com, also in REST
 *    fallback mode so that errors, enums and retries behave exactly as tested against the emulator.
 *  - retries: gax's and gaxios' own are off (`retry: null`, `retry: false`); every request is
 *    retried by core's one retry layer (the client's LiveEdge).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ClientRetryOptions, ConnectOptions } from "@pipeglot/core";
import { importSdk, UserError, type SdkRequirement } from "@pipeglot/core";
import { GcbLiveClient, type CloudBuildApi, type RestCall } from "./client.js";
import { toApiError } from "./errors.js";
import { triggerSchema, type TriggerSchema } from "./proto.js";

export const GCB_ENDPOINT_ENV = "PIPEGLOT_GCB_ENDPOINT";
const GOOGLE_API = "https://cloudbuild.googleapis.com";
const SCOPE = "https://www.googleapis.com/auth/cloud-platform";

export interface GcbSettings {
  project: string;
  region: string;
  /** Absent: Google's endpoint with Application Default Credentials. */
  endpoint?: string;
}

/** A setting (kind "config") or credential ("auth") the user must fix: the CLI prints it and exits 1, never "internal error". */
export class GcbConnectError extends UserError {
  override readonly name = "GcbConnectError";
  constructor(message: string, kind: "config" | "auth" = "config") {
    super(message, kind);
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** The settings connect() uses, without loading anything (for messages and tests). */
export function gcbSettings(opts: ConnectOptions): GcbSettings {
  const project = str(opts.target.project) ?? str(opts.env.GOOGLE_CLOUD_PROJECT) ?? str(opts.env.GCLOUD_PROJECT);
  if (!project) throw new GcbConnectError("Cloud Build needs a project: set targets.gcp.project in the definition, or GOOGLE_CLOUD_PROJECT in the environment");
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[a-z0-9.:-]+$/.test(project))
    throw new GcbConnectError(`targets.gcp.project ${JSON.stringify(project)} is not a Google Cloud project id`);
  const region = str(opts.target.region) ?? "global";
  const endpoint = str(opts.endpoint) ?? str(opts.env[GCB_ENDPOINT_ENV]);
  if (endpoint) {
    let u: URL;
    try {
      u = new URL(endpoint);
    } catch {
      throw new GcbConnectError(`the Cloud Build endpoint ${JSON.stringify(endpoint)} is not a URL (expected e.g. http://127.0.0.1:4568)`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new GcbConnectError(`the Cloud Build endpoint ${endpoint} must be http:// or https://`);
  }
  return { project, region, ...(endpoint ? { endpoint } : {}) };
}

/** The optional peer dependencies connect() loads. */
const SDK: SdkRequirement = {
  who: "the Cloud Build live commands (plan, apply, pull, run, status, approve, reject, hold, release)",
  packages: ["@google-cloud/cloudbuild", "google-auth-library"],
};

let schemaCache: TriggerSchema | undefined;

/** The BuildTrigger schema from the protos the installed client ships. */
export function loadTriggerSchema(): TriggerSchema {
  if (!schemaCache) {
    const req = createRequire(import.meta.url);
    const dir = dirname(req.resolve("@google-cloud/cloudbuild/package.json"));
    schemaCache = triggerSchema(JSON.parse(readFileSync(join(dir, "build/protos/protos.json"), "utf8")));
  }
  return schemaCache;
}

interface AuthLike {
  request<T>(opts: { url: string; method: string; data?: unknown; timeout?: number; retry?: boolean; responseType?: "json" }): Promise<{ data: T }>;
}

export interface GcbConnectOptions extends Omit<ClientRetryOptions, "retry"> {
  readParallelism?: number;
}

/** connect() with the concrete client type (close(), parent, listAll()). */
export async function connectGcb(opts: ConnectOptions, tuning: GcbConnectOptions = {}): Promise<GcbLiveClient> {
  const s = gcbSettings(opts);
  const cloudbuild = (await importSdk(SDK, "@google-cloud/cloudbuild", () => import("@google-cloud/cloudbuild"))) as unknown as {
    CloudBuildClient?: new (o: object) => CloudBuildApi;
    default?: { CloudBuildClient: new (o: object) => CloudBuildApi };
  };
  const gal = (await importSdk(SDK, "google-auth-library", () => import("google-auth-library"))) as unknown as {
    PassThroughClient: new () => AuthLike;
    GoogleAuth: new (o: object) => { getClient(): Promise<AuthLike> };
  };
  const CloudBuildClient = cloudbuild.CloudBuildClient ?? cloudbuild.default!.CloudBuildClient;

  let authClient: AuthLike;
  let base: string;
  let api: CloudBuildApi;
  if (s.endpoint) {
    const u = new URL(s.endpoint);
    authClient = new gal.PassThroughClient();
    base = u.origin;
    const port = u.port ? Number(u.port) : u.protocol === "http:" ? 80 : 443;
    api = new CloudBuildClient({ fallback: true, protocol: u.protocol.slice(0, -1), apiEndpoint: u.hostname, port, authClient });
  } else {
    const keyFilename = str(opts.env.GOOGLE_APPLICATION_CREDENTIALS);
    try {
      authClient = await new gal.GoogleAuth({ scopes: [SCOPE], projectId: s.project, ...(keyFilename ? { keyFilename } : {}) }).getClient();
    } catch (e) {
      throw new GcbConnectError(
        `no Google Cloud credentials: run \`gcloud auth application-default login\`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file (${(e as Error).message.split("\n")[0]})`,
        "auth",
      );
    }
    base = GOOGLE_API;
    api = new CloudBuildClient({ fallback: true, authClient, projectId: s.project });
  }

  const rest: RestCall = async (method, path, body, timeoutMs) => {
    try {
      const r = await authClient.request<unknown>({
        url: base + path,
        method,
        ...(body !== undefined ? { data: body } : {}),
        ...(timeoutMs ? { timeout: timeoutMs } : {}),
        retry: false,
        responseType: "json",
      });
      return r.data;
    } catch (e) {
      throw toApiError(e, `${method} ${path.replace(/^\/v1\//, "")}`);
    }
  };

  return new GcbLiveClient({
    project: s.project,
    region: s.region,
    api,
    rest,
    schema: loadTriggerSchema(),
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...tuning,
  });
}

/** Provider.connect. */
export const connect = (opts: ConnectOptions) => connectGcb(opts);
