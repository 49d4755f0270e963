/**
 * connect(): an AwsLiveClient over the real SDK clients. The only place that loads
 * @aws-sdk/client-codepipeline and @aws-sdk/client-codebuild (with import(), so compile/import
 * never pay for them).
 *
 *  - region: targets.aws.region, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's region.
 *  - credentials: the SDK's default chain (env keys → SSO → ~/.aws files → process → web identity →
 *    ECS/EC2 metadata). `--profile` selects a profile. When `env` (the ConnectOptions) holds
 *    AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY and no AWS_PROFILE, those keys are used, exactly as
 *    the chain's first step would. pipeglot never prints or stores them.
 *  - endpoint: the `endpoint` option (--endpoint) for both services, else AWS_ENDPOINT_URL_CODEPIPELINE /
 *    AWS_ENDPOINT_URL_CODEBUILD / AWS_ENDPOINT_URL from `env` (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 *    is true). The SDK also reads those variables from process.env by itself.
 *  - retries: the SDK's own are off (maxAttempts 1): every request is retried by core's one retry
 *    layer (the client's LiveEdge), within the apply's deadline.
 */
import type { ConnectOptions } from "@pipeglot/core";
import { importSdk, UserError, type SdkRequirement } from "@pipeglot/core";
import { AwsLiveClient, type AwsCall, type AwsLiveClientOptions } from "./client.js";

/** A setting (kind "config") or credential ("auth") the user must fix: the CLI prints it and exits 1, never "internal error". */
export class AwsConnectError extends UserError {
  override readonly name = "AwsConnectError";
  constructor(message: string, kind: "config" | "auth" = "config") {
    super(message, kind);
  }
}

export interface AwsSettings {
  region?: string;
  codepipelineEndpoint?: string;
  codebuildEndpoint?: string;
  profile?: string;
  /** Credentials from `env` (absent: the SDK's default chain). Never printed. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

function checkUrl(u: string, what: string): string {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    throw new AwsConnectError(`${what} ${JSON.stringify(u)} is not a URL (expected e.g. http://127.0.0.1:4566)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new AwsConnectError(`${what} ${u} must be http:// or https://`);
  return u;
}

/** The settings connect() uses, without loading the SDK. */
export function awsSettings(opts: ConnectOptions): AwsSettings {
  const env = opts.env;
  const region = str(opts.target.region) ?? str(env.AWS_REGION) ?? str(env.AWS_DEFAULT_REGION);
  if (region && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) && region !== "local")
    throw new AwsConnectError(`${JSON.stringify(region)} is not an AWS region (e.g. us-east-1)`);
  const ignore = /^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "");
  const option = str(opts.endpoint);
  const cp = option ?? (ignore ? undefined : (str(env.AWS_ENDPOINT_URL_CODEPIPELINE) ?? str(env.AWS_ENDPOINT_URL)));
  const cb = option ?? (ignore ? undefined : (str(env.AWS_ENDPOINT_URL_CODEBUILD) ?? str(env.AWS_ENDPOINT_URL)));
  const profile = str(opts.profile);
  const id = str(env.AWS_ACCESS_KEY_ID);
  const secret = str(env.AWS_SECRET_ACCESS_KEY);
  const token = str(env.AWS_SESSION_TOKEN);
  return {
    ...(region ? { region } : {}),
    ...(cp ? { codepipelineEndpoint: checkUrl(cp, "the CodePipeline endpoint") } : {}),
    ...(cb ? { codebuildEndpoint: checkUrl(cb, "the CodeBuild endpoint") } : {}),
    ...(profile ? { profile } : {}),
    ...(!profile && !str(env.AWS_PROFILE) && id && secret
      ? { credentials: { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } }
      : {}),
  };
}

/** The optional peer dependencies connect() loads. */
const SDK: SdkRequirement = {
  who: "the AWS live commands (plan, apply, pull, run, status, approve, reject, hold, release)",
  packages: ["@aws-sdk/client-codepipeline", "@aws-sdk/client-codebuild"],
};

interface SdkClient {
  send(command: unknown): Promise<Record<string, unknown>>;
  destroy(): void;
  config: { region: () => Promise<string> };
}
type SdkModule = Record<string, unknown>;

export interface AwsConnectTuning extends Omit<AwsLiveClientOptions, "call" | "close" | "secrets"> {
  /** The SDK's own attempts per request (default 1: core's retry layer is the only one). */
  maxAttempts?: number;
}

/** connect() with the concrete client type (close()). */
export async function connectAws(opts: ConnectOptions, tuning: AwsConnectTuning = {}): Promise<AwsLiveClient> {
  const s = awsSettings(opts);
  // pipeglot pins SDK versions that support Node 20: the SDK's notice about future versions needing Node 22 is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const [cpMod, cbMod] = (await Promise.all([
    importSdk(SDK, "@aws-sdk/client-codepipeline", () => import("@aws-sdk/client-codepipeline")),
    importSdk(SDK, "@aws-sdk/client-codebuild", () => import("@aws-sdk/client-codebuild")),
  ])) as unknown as [SdkModule, SdkModule];
  const common = {
    ...(s.region ? { region: s.region } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
    ...(s.profile ? { profile: s.profile } : {}),
    maxAttempts: tuning.maxAttempts ?? 1,
  };
  const CP = cpMod.CodePipelineClient as new (c: object) => SdkClient;
  const CB = cbMod.CodeBuildClient as new (c: object) => SdkClient;
  const cp = new CP({ ...common, ...(s.codepipelineEndpoint ? { endpoint: s.codepipelineEndpoint } : {}) });
  const cb = new CB({ ...common, ...(s.codebuildEndpoint ? { endpoint: s.codebuildEndpoint } : {}) });
  try {
    await cp.config.region();
  } catch {
    cp.destroy();
    cb.destroy();
    throw new AwsConnectError("no AWS region: set targets.aws.region in the definition, or AWS_REGION in the environment");
  }
  const call: AwsCall = (service, op, input) => {
    const mod = service === "codepipeline" ? cpMod : cbMod;
    const Command = mod[`${op}Command`] as (new (i: object) => unknown) | undefined;
    if (!Command) return Promise.reject(new Error(`no ${op} in the ${service} SDK`));
    return (service === "codepipeline" ? cp : cb).send(new Command(input));
  };
  const secrets = [
    opts.env.AWS_SECRET_ACCESS_KEY,
    opts.env.AWS_SESSION_TOKEN,
    opts.env.AWS_ACCESS_KEY_ID,
    process.env.AWS_SECRET_ACCESS_KEY,
    process.env.AWS_SESSION_TOKEN,
    process.env.AWS_ACCESS_KEY_ID,
  ].filter((v): v is string => typeof v === "string" && v.length > 0);
  const endpoint = s.codepipelineEndpoint === s.codebuildEndpoint ? s.codepipelineEndpoint : undefined;
  return new AwsLiveClient({
    ...(endpoint ? { endpoint } : {}),
    ...tuning,
    call,
    secrets,
    close: () => {
      cp.destroy();
      cb.destroy();
    },
  });
}

/** Provider.connect. */
export const connect = (opts: ConnectOptions) => connectAws(opts);
