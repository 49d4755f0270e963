/**
 * Starting the emulators: one node:http server per provider, each with its own state, faults
 * and counters. A provider is a {@link ProtocolHandler} plus a starter in {@link STARTERS}; Azure
 * DevOps and OCI DevOps join as siblings of aws/ and gcp/ with an entry there.
 */
import { RequestCounters, type OperationCount } from "./core/counters.js";
import { FaultController, NO_FAULTS, normalizeFaults, type FaultConfig, type FaultOptions } from "./core/faults.js";
import type { Json, JsonObject } from "./core/json.js";
import type { Persistent } from "./core/state.js";
import { subSeed } from "./core/prng.js";
import { serve, type ProtocolHandler, type RunningServer } from "./core/server.js";
import { AwsProtocol } from "./aws/index.js";
import type { PipelineSnapshot } from "./aws/codepipeline.js";
import { CloudBuildProtocol, type TriggerSnapshot } from "./gcp/cloudbuild.js";
import { AzureDevOpsProtocol, type AzureProjectSnapshot } from "./azure/index.js";
import type { AzureIdentitySeed } from "./azure/identities.js";
import { OciDevopsProtocol, type OciKind, type OciResourceSnapshot, type WorkRequestInfo } from "./oci/index.js";

/** Providers that have an emulator today. */
export type ProviderId = "aws" | "azure" | "gcp" | "oci";
export const PROVIDER_IDS: readonly ProviderId[] = ["aws", "azure", "gcp", "oci"];

/**
 * Port offsets from `port` when a base port is given, fixed per provider (planned ones
 * included) so that adding a provider never moves another one's port.
 */
export const PORT_OFFSETS: Readonly<Record<ProviderId | "azure" | "oci", number>> = { aws: 0, azure: 1, gcp: 2, oci: 3 };

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_REGION = "us-east-1";
export const DEFAULT_ACCOUNT_ID = "123456789012";
export const DUMMY_ACCESS_KEY_ID = "AKIAPIPEGLOTEMULATOR";
export const DUMMY_SECRET_ACCESS_KEY = "pipeglot-emulator-secret";
/** The variable that carries the Azure DevOps emulator's organization URL (http://host:port/<org>). */
export const AZURE_ORG_URL_ENV = "AZURE_DEVOPS_ORG_URL";
/** The variable pipeglot's Azure client reads its token from (any value works with the emulator). */
export const AZURE_TOKEN_ENV = "AZURE_DEVOPS_TOKEN";
/** The organization name in the emulator's URL (any name is accepted). */
export const DEFAULT_AZURE_ORGANIZATION = "pipeglot";
export const DUMMY_AZURE_TOKEN = "pipeglot-emulator-token";
/** The variable that carries the Cloud Build emulator's base URL (http://host:port). */
export const GCB_ENDPOINT_ENV = "PIPEGLOT_GCB_ENDPOINT";
/** The variable that carries the OCI DevOps emulator's base URL (http://host:port; the SDK appends /20210630). */
export const OCI_ENDPOINT_ENV = "PIPEGLOT_OCI_ENDPOINT";
export const DEFAULT_OCI_REGION = "us-ashburn-1";

export interface EmulatorOptions extends FaultOptions {
  /** Which emulators to start; default all ({@link PROVIDER_IDS}). */
  providers?: readonly ProviderId[];
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Base port: provider p listens on port + PORT_OFFSETS[p]. 0 (default) = any free port for each. */
  port?: number;
  /** Exact port per provider; wins over `port`. */
  ports?: Partial<Record<ProviderId, number>>;
  /** Seed of every random choice (fault schedule, generated ids, request ids); default 1. */
  seed?: number;
  /** Folder with botocore's codepipeline/codebuild service-2.json models: AWS requests are validated against them. */
  botocoreDir?: string;
  /** AWS region in ARNs and in the env; default us-east-1. */
  region?: string;
  /** AWS account id in ARNs; default 123456789012. */
  accountId?: string;
  /** Clock for created/updated timestamps; default the system clock. */
  now?: () => Date;
  /** Azure: organization name in AZURE_DEVOPS_ORG_URL (default "pipeglot"; the emulator accepts any). */
  azureOrganization?: string;
  /** Azure: seconds in the Retry-After header of an injected 429 (default 1). */
  azureRetryAfterSeconds?: number;
  /** Azure: status of a definition update with a stale revision, 404 (default, as reported for the real service) or 409. */
  azureStaleRevisionStatus?: 404 | 409;
  /** OCI: keyId (`<tenancy>/<user>/<fingerprint>`) → public key PEM. Requests must be signed by one of them; absent = signatures not checked. */
  ociTrustedKeys?: Record<string, string>;
  /** OCI: region in OCIDs and trigger URLs (default us-ashburn-1). */
  ociRegion?: string;
  /** OCI: polls of a work request before it succeeds (default 2: IN_PROGRESS, then SUCCEEDED). */
  ociWorkRequestPolls?: number;
  /** OCI: a work request succeeds on the first poll at least this many ms (of `now`) after it was accepted, instead of by polls (default: by polls). */
  ociWorkRequestMs?: number;
  /** Azure: service connections every project starts with (default none; `pipeglot emulate` seeds github and bitbucket). */
  azureServiceConnections?: readonly { name: string; type: string }[];
  /** Azure: the folder a run reads the YAML of a GitHub or Bitbucket repository from (the emulator cannot reach them; `pipeglot emulate`: the folder it started in). Without it such runs are refused. */
  azureRepositoryRoot?: string;
  /** Azure: projects that exist from the start (others still appear on first use). */
  azureProjects?: readonly string[];
  /** Azure: users and groups the Identities API knows, besides the emulator's one user (default none; `pipeglot emulate` seeds the examples' approvers). */
  azureIdentities?: readonly AzureIdentitySeed[];
  /** State saved by {@link Emulators.saveState}, loaded before the servers listen. */
  state?: EmulatorsState;
  /** Called after each request a server answered (what `emulate --state` saves on). */
  onRequest?: (provider: ProviderId) => void;
  /** How pipeline runs (executions, builds, build runs, deployments) are simulated; see {@link RunSimulation}. */
  runs?: RunSimulation;
}

/**
 * How every emulator simulates the runs of what was applied: stage by stage, each unit of work
 * (a CodePipeline action, an Azure job, a Cloud Build step, an OCI build or deploy stage) taking
 * `stepMs` of the emulator's clock. Approvals wait for a decision; a disabled transition holds.
 */
export interface RunSimulation {
  /** Simulated duration of one unit of work, in ms (default 100). Deterministic: no randomness. */
  stepMs?: number;
  /**
   * Units of work that fail, by name: a unit fails when its native name (action name, job name,
   * step id, stage display name) or the neutral job name it was compiled from equals one of these.
   */
  failSteps?: readonly string[];
}
/** The default of {@link RunSimulation.stepMs}. */
export const DEFAULT_RUN_STEP_MS = 100;

/**
 * What {@link Emulators.saveState} returns: the state of each provider emulator, in an internal
 * format (`pipeglot emulate --state FILE` writes it as JSON). A version of pipeglot reads only its
 * own {@link STATE_FORMAT}.
 */
export interface EmulatorsState {
  pipeglotEmulatorState: number;
  providers: Partial<Record<ProviderId, Json>>;
}
export const STATE_FORMAT = 1;

/** Fault settings of one running emulator, changeable at any time. */
export interface FaultSettings {
  get(): FaultConfig;
  set(patch: FaultOptions): FaultConfig;
  clear(): void;
}

/** What every provider emulator offers. */
export interface ProviderEmulator {
  readonly id: ProviderId;
  /** Base URL, e.g. http://127.0.0.1:43123. */
  readonly endpoint: string;
  readonly port: number;
  readonly faults: FaultSettings;
  readonly counters: RequestCounters;
  /** Forget all state (not the faults, not the counters). */
  reset(): void;
  /** The whole state, as JSON in an internal format (see {@link EmulatorsState}). */
  saveState(): Json;
  /** Replace the state with one {@link saveState} returned. */
  loadState(state: Json): void;
  close(): Promise<void>;
}

export interface AwsState {
  pipelines: PipelineSnapshot[];
  /** Stored CodeBuild `Project`s, timestamps as ISO strings. */
  projects: JsonObject[];
}

export interface AwsEmulator extends ProviderEmulator {
  readonly id: "aws";
  /** True when requests are validated against botocore models. */
  readonly validating: boolean;
  /** A deep copy of the state. */
  state(): AwsState;
  /** Edit a pipeline out of band, as someone else would: its version goes up by one. Returns the new declaration. */
  mutatePipeline(name: string, fn: (pipeline: JsonObject) => JsonObject | void): JsonObject;
  /** Edit a CodeBuild project out of band: its lastModified moves. */
  mutateProject(name: string, fn: (project: JsonObject) => JsonObject | void): JsonObject;
}

export interface GcbEmulator extends ProviderEmulator {
  readonly id: "gcp";
  state(): TriggerSnapshot[];
  /** Edit a trigger (by id or name) out of band; optionally only in one project/location. */
  mutateTrigger(idOrName: string, fn: (trigger: JsonObject) => JsonObject | void, where?: { project: string; location: string }): JsonObject;
}

export interface AzureEmulator extends ProviderEmulator {
  readonly id: "azure";
  /** Organization URL for the client: endpoint + "/" + organization. */
  readonly organizationUrl: string;
  state(): AzureProjectSnapshot[];
  /** Create a Git repository in a project, optionally with files on its default branch. */
  addRepository(project: string, name: string, opts?: { defaultBranch?: string; files?: Record<string, string> }): { id: string; name: string };
  /** Commit files (null deletes) out of band. Returns the commit id. */
  commitFiles(project: string, repo: string, files: Record<string, string | null>, comment?: string, branch?: string): string;
  /** Register a service connection (what `repository.properties.connectedServiceId` points at). */
  addServiceEndpoint(project: string, name: string, type?: string): { id: string; name: string };
  /** Edit a build definition (by name or id) out of band: revision + 1. */
  mutateDefinition(project: string, nameOrId: string | number, fn: (d: JsonObject) => JsonObject | void): JsonObject;
  setDefinitionProperties(project: string, nameOrId: string | number, props: Record<string, import("./core/json.js").Json>): void;
  mutateEnvironment(project: string, name: string, fn: (e: { name: string; description: string }) => void): void;
  /** Edit a check configuration out of band: version + 1. */
  mutateCheck(project: string, id: number, fn: (c: JsonObject) => JsonObject | void): JsonObject;
}

export interface OciEmulator extends ProviderEmulator {
  readonly id: "oci";
  /** True when request signatures are verified (trusted keys configured). */
  readonly checksSignatures: boolean;
  /** Every stored resource with its etag (deep copies). */
  state(): OciResourceSnapshot[];
  /** Edit a resource (by OCID, or kind + displayName) out of band: its etag and timeUpdated change. */
  mutate(idOrName: string, fn: (resource: JsonObject) => JsonObject | void, kind?: OciKind): JsonObject;
  /** Trust one more signing key (keyId → public key PEM); turns signature checks on. */
  trustKey(keyId: string, publicKeyPem: string): void;
  /** Finish every pending work request now. */
  completeWorkRequests(): void;
  /** Work requests accepted from now on that match end FAILED (their resource too) instead of SUCCEEDED. */
  failWorkRequests(when: (w: WorkRequestInfo) => boolean): void;
}

export interface ProviderEmulatorMap {
  aws: AwsEmulator;
  azure: AzureEmulator;
  gcp: GcbEmulator;
  oci: OciEmulator;
}

interface StartContext {
  seed: number;
  host: string;
  port: number;
  faults: FaultOptions;
  options: EmulatorOptions;
  now: () => Date;
}

/**
 * Serve one provider's protocol, after loading its saved state; the members every emulator has
 * (id, endpoint, port, faults, counters, state, close). `prepare` runs after the state is loaded,
 * before the server listens.
 */
async function run<P extends ProviderId>(ctx: StartContext, id: P, protocol: ProtocolHandler & Persistent, prepare?: () => void) {
  const saved = ctx.options.state?.providers[id];
  if (saved !== undefined) protocol.loadState(saved);
  prepare?.();
  const faults = new FaultController(subSeed(ctx.seed, `${id}:faults`), ctx.faults);
  const counters = new RequestCounters();
  const onRequest = ctx.options.onRequest;
  const handler: ProtocolHandler = onRequest
    ? {
        operation: (req) => protocol.operation(req),
        faultResponse: (kind, op, req) => protocol.faultResponse(kind, op, req),
        handle: async (req, op) => {
          const answer = await protocol.handle(req, op);
          onRequest(id);
          return answer;
        },
      }
    : protocol;
  const server: RunningServer = await serve(handler, { host: ctx.host, port: ctx.port }, faults, counters);
  return {
    id,
    endpoint: server.url,
    port: server.port,
    faults: faultSettings(faults),
    counters,
    saveState: () => protocol.saveState(),
    loadState: (s: Json) => protocol.loadState(s),
    close: () => server.close(),
  };
}

function faultSettings(f: FaultController): FaultSettings {
  return { get: () => f.get(), set: (p) => f.set(p), clear: () => f.clear() };
}

type Starters = { [P in ProviderId]: (ctx: StartContext) => Promise<ProviderEmulatorMap[P]> };

const STARTERS: Starters = {
  async aws(ctx) {
    const protocol = new AwsProtocol({
      region: ctx.options.region ?? DEFAULT_REGION,
      accountId: ctx.options.accountId ?? DEFAULT_ACCOUNT_ID,
      now: ctx.now,
      seed: subSeed(ctx.seed, "aws:ids"),
      botocoreDir: ctx.options.botocoreDir,
      runs: { stepMs: ctx.options.runs?.stepMs ?? DEFAULT_RUN_STEP_MS, failSteps: ctx.options.runs?.failSteps ?? [] },
    });
    const common = await run(ctx, "aws", protocol);
    return {
      ...common,
      validating: protocol.validating,
      state: () => ({ pipelines: protocol.codepipeline.snapshot(), projects: protocol.codebuild.snapshot() }),
      mutatePipeline: (name, fn) => protocol.codepipeline.mutatePipeline(name, fn),
      mutateProject: (name, fn) => protocol.codebuild.mutateProject(name, fn),
      reset: () => {
        protocol.codepipeline.reset();
        protocol.codebuild.reset();
      },
    };
  },
  async azure(ctx) {
    const protocol = new AzureDevOpsProtocol({
      now: ctx.now,
      seed: subSeed(ctx.seed, "azure:ids"),
      retryAfterSeconds: ctx.options.azureRetryAfterSeconds,
      staleRevisionStatus: ctx.options.azureStaleRevisionStatus,
      serviceConnections: ctx.options.azureServiceConnections,
      ...(ctx.options.azureIdentities ? { identities: ctx.options.azureIdentities } : {}),
      runs: ctx.options.runs,
      ...(ctx.options.azureRepositoryRoot !== undefined ? { externalRepositoryRoot: ctx.options.azureRepositoryRoot } : {}),
    });
    const common = await run(ctx, "azure", protocol, () => ctx.options.azureProjects?.forEach((p) => protocol.ensureProject(p)));
    return {
      ...common,
      organizationUrl: `${common.endpoint}/${ctx.options.azureOrganization ?? DEFAULT_AZURE_ORGANIZATION}`,
      state: () => protocol.snapshot(),
      addRepository: (project, name, opts) => protocol.addRepository(project, name, opts),
      commitFiles: (project, repo, files, comment, branch) => protocol.commitFiles(project, repo, files, comment, branch),
      addServiceEndpoint: (project, name, type) => protocol.addServiceEndpoint(project, name, type),
      mutateDefinition: (project, nameOrId, fn) => protocol.mutateDefinition(project, nameOrId, fn),
      setDefinitionProperties: (project, nameOrId, props) => protocol.setDefinitionProperties(project, nameOrId, props),
      mutateEnvironment: (project, name, fn) => protocol.mutateEnvironment(project, name, fn),
      mutateCheck: (project, id, fn) => protocol.mutateCheck(project, id, fn),
      reset: () => protocol.reset(),
    };
  },
  async gcp(ctx) {
    const protocol = new CloudBuildProtocol({ now: ctx.now, seed: subSeed(ctx.seed, "gcp:ids"), runs: ctx.options.runs });
    const common = await run(ctx, "gcp", protocol);
    return {
      ...common,
      state: () => protocol.snapshot(),
      mutateTrigger: (idOrName, fn, where) => protocol.mutateTrigger(idOrName, fn, where),
      reset: () => protocol.reset(),
    };
  },
  async oci(ctx) {
    const protocol = new OciDevopsProtocol({
      now: ctx.now,
      seed: subSeed(ctx.seed, "oci:ids"),
      region: ctx.options.ociRegion ?? DEFAULT_OCI_REGION,
      trustedKeys: ctx.options.ociTrustedKeys,
      workRequestPolls: ctx.options.ociWorkRequestPolls,
      ...(ctx.options.ociWorkRequestMs !== undefined ? { workRequestMs: ctx.options.ociWorkRequestMs } : {}),
      ...(ctx.options.runs ? { runs: ctx.options.runs } : {}),
    });
    const common = await run(ctx, "oci", protocol);
    return {
      ...common,
      get checksSignatures() {
        return protocol.checksSignatures;
      },
      state: () => protocol.snapshot(),
      mutate: (idOrName, fn, kind) => protocol.mutate(idOrName, fn, kind),
      trustKey: (keyId, pem) => protocol.trustKey(keyId, pem),
      completeWorkRequests: () => protocol.completeWorkRequests(),
      failWorkRequests: (when) => protocol.failWorkRequests(when),
      reset: () => protocol.reset(),
    };
  },
};

export interface Emulators {
  /** Base URL per started provider. */
  readonly endpoints: Partial<Record<ProviderId, string>>;
  /**
   * Variables that point the real SDKs at the emulators: AWS_ENDPOINT_URL_CODEPIPELINE,
   * AWS_ENDPOINT_URL_CODEBUILD, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (aws);
   * PIPEGLOT_GCB_ENDPOINT (gcp); AZURE_DEVOPS_ORG_URL, AZURE_DEVOPS_TOKEN (azure).
   */
  readonly env: Record<string, string>;
  readonly providers: readonly ProviderId[];
  /** The AWS emulator; throws if it was not started. */
  readonly aws: AwsEmulator;
  /** The Cloud Build emulator; throws if it was not started. */
  readonly gcp: GcbEmulator;
  /** The Azure DevOps emulator; throws if it was not started. */
  readonly azure: AzureEmulator;
  /** The OCI DevOps emulator; throws if it was not started. */
  readonly oci: OciEmulator;
  /** Change faults on every emulator, or on one. */
  setFaults(patch: FaultOptions, provider?: ProviderId): void;
  /** Request counts per provider, then per operation. */
  counts(): Partial<Record<ProviderId, Record<string, OperationCount>>>;
  /** The state of every started emulator (what `emulate --state` writes). */
  saveState(): EmulatorsState;
  close(): Promise<void>;
}

function envFor(id: ProviderId, endpoint: string, options: EmulatorOptions): Record<string, string> {
  if (id === "aws") {
    return {
      AWS_ENDPOINT_URL_CODEPIPELINE: endpoint,
      AWS_ENDPOINT_URL_CODEBUILD: endpoint,
      AWS_ACCESS_KEY_ID: DUMMY_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: DUMMY_SECRET_ACCESS_KEY,
      AWS_REGION: options.region ?? DEFAULT_REGION,
    };
  }
  if (id === "azure")
    return { [AZURE_ORG_URL_ENV]: `${endpoint}/${options.azureOrganization ?? DEFAULT_AZURE_ORGANIZATION}`, [AZURE_TOKEN_ENV]: DUMMY_AZURE_TOKEN };
  if (id === "oci") return { [OCI_ENDPOINT_ENV]: endpoint };
  return { [GCB_ENDPOINT_ENV]: endpoint };
}

function checkPort(name: string, p: number): number {
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new RangeError(`${name} must be an integer port number (0 = any), got ${p}`);
  return p;
}

/** Start the emulators (default: all of them on 127.0.0.1, free ports, no faults, seed 1). */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const providers = [...new Set(options.providers ?? PROVIDER_IDS)];
  for (const p of providers) if (!PROVIDER_IDS.includes(p)) throw new RangeError(`unknown provider "${String(p)}" (known: ${PROVIDER_IDS.join(", ")})`);
  const base = checkPort("port", options.port ?? 0);
  const faults: FaultOptions = { latencyMs: options.latencyMs, throttleRate: options.throttleRate, errorRate: options.errorRate, dropRate: options.dropRate };
  normalizeFaults(NO_FAULTS, faults); // throws on bad settings before anything listens
  const started: Partial<ProviderEmulatorMap> = {};
  const all: ProviderEmulator[] = [];
  try {
    for (const id of providers) {
      const explicit = options.ports?.[id];
      const port = explicit !== undefined ? checkPort(`ports.${id}`, explicit) : base === 0 ? 0 : base + PORT_OFFSETS[id];
      const ctx: StartContext = { seed: options.seed ?? 1, host: options.host ?? DEFAULT_HOST, port, faults, options, now: options.now ?? (() => new Date()) };
      const emulator = await STARTERS[id](ctx);
      (started as Record<ProviderId, ProviderEmulator>)[id] = emulator;
      all.push(emulator);
    }
  } catch (e) {
    await Promise.all(all.map((s) => s.close()));
    throw e;
  }
  const endpoints: Partial<Record<ProviderId, string>> = {};
  let env: Record<string, string> = {};
  for (const s of all) {
    endpoints[s.id] = s.endpoint;
    env = { ...env, ...envFor(s.id, s.endpoint, options) };
  }
  const get = <P extends ProviderId>(id: P): ProviderEmulatorMap[P] => {
    const s = started[id];
    if (!s) throw new Error(`the ${id} emulator was not started (started: ${providers.join(", ") || "none"})`);
    return s as ProviderEmulatorMap[P];
  };
  return {
    endpoints,
    env,
    providers,
    get aws() {
      return get("aws");
    },
    get gcp() {
      return get("gcp");
    },
    get azure() {
      return get("azure");
    },
    get oci() {
      return get("oci");
    },
    setFaults(patch, provider) {
      for (const s of all) if (provider === undefined || s.id === provider) s.faults.set(patch);
    },
    counts() {
      const out: Partial<Record<ProviderId, Record<string, OperationCount>>> = {};
      for (const s of all) out[s.id] = s.counters.snapshot();
      return out;
    },
    saveState() {
      const providers: Partial<Record<ProviderId, Json>> = {};
      for (const s of all) providers[s.id] = s.saveState();
      return { pipeglotEmulatorState: STATE_FORMAT, providers };
    },
    async close() {
      await Promise.all(all.map((s) => s.close()));
    },
  };
}
