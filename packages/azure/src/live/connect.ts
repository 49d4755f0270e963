/** `connect()`: the only place that loads azure-devops-node-api (with import()). */
import { importSdk, type ConnectOptions, type SdkRequirement } from "@pipeglot/core";
import { AzureLiveClient, type AzureClientOptions, type Apis } from "./client.js";
import { resolveConfig } from "./config.js";

/** The optional peer dependency connect() loads. */
const SDK: SdkRequirement = {
  who: "the Azure live commands (plan, apply, pull, run, status, approve, reject, hold, release)",
  packages: ["azure-devops-node-api"],
};

export async function connectAzure(opts: ConnectOptions, clientOptions: AzureClientOptions = {}): Promise<AzureLiveClient> {
  const config = resolveConfig(opts);
  const sdk = await importSdk(SDK, "azure-devops-node-api", () => import("azure-devops-node-api"));
  const { variable, value } = config.token;
  // SYSTEM_ACCESSTOKEN is an OAuth token (Bearer); the others may be PATs or Entra ID tokens.
  const handler =
    variable === "SYSTEM_ACCESSTOKEN"
      ? sdk.getBearerHandler(value)
      : variable === "AZURE_DEVOPS_EXT_PAT"
        ? sdk.getPersonalAccessTokenHandler(value)
        : sdk.getHandlerFromToken(value);
  // allowRetries false: the SDK's own retries stay off; every call is retried by core's one retry layer (the client's LiveEdge).
  const web = new sdk.WebApi(config.orgUrl, handler, { socketTimeout: 60_000, allowRetries: false });
  const once = <T>(f: () => Promise<T>): (() => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () =>
      (p ??= f().catch((e) => {
        p = undefined;
        throw e;
      }));
  };
  // Assigned once, below: the closures above call it only after connect returns.
  // eslint-disable-next-line prefer-const
  let client: AzureLiveClient;
  // The WebApi's first get<X>Api() reads the resource areas; go through client.call for retries.
  const viaCall = <T>(what: string, f: () => Promise<T>) => once(() => client.call(what, f));
  // VsoClient caches an area's locations only once its OPTIONS call has answered, so concurrent
  // first calls would each send one: load them once here, before the API is handed out.
  const warm = async <T extends object>(api: T, area: string): Promise<T> => {
    const vso = (api as { vsoClient?: { beginGetAreaLocations(a: string): Promise<unknown> } }).vsoClient;
    if (vso) await vso.beginGetAreaLocations(area);
    return api;
  };
  const apis: Apis = {
    web,
    build: viaCall("resolve the Build area", async () => warm(await web.getBuildApi(), "build")),
    git: viaCall("resolve the Git area", async () => warm(await web.getGitApi(), "git")),
    taskAgent: viaCall("resolve the TaskAgent area", async () => warm(await web.getTaskAgentApi(), "distributedtask")),
    serviceEndpoint: viaCall("resolve the ServiceEndpoint area", async () => warm(await web.getServiceEndpointApi(), "serviceendpoint")),
  };
  client = new AzureLiveClient(apis, config, clientOptions);
  return client;
}
