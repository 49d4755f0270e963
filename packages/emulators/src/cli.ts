/**
 * `pipeglot emulate --providers aws,gcp [--port N] [--host H] [--state FILE] [--env-out FILE]
 * [--latency MS] [--throttle RATE] [--errors RATE] [--drop RATE] [--seed N] [--botocore DIR]`:
 * the CLI calls {@link emulateCommand}, prints `text`, and calls `close()` on SIGINT/SIGTERM.
 * Every mistake a user can make on this command line is an {@link EmulateUsageError} (exit 2).
 */
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { findServiceModel } from "./aws/botocore.js";
import {
  AZURE_ORG_URL_ENV,
  DEFAULT_OCI_REGION,
  GCB_ENDPOINT_ENV,
  OCI_ENDPOINT_ENV,
  PROVIDER_IDS,
  startEmulators,
  type Emulators,
  type ProviderId,
} from "./emulators.js";
import { listenProblem, parseHost, parsePort } from "./listen.js";
import { ociIdentity, type OciIdentity } from "./oci/identity.js";
import { SEED_AZURE_IDENTITIES, SEED_AZURE_PROJECT, SEED_AZURE_SERVICE_CONNECTIONS, seedEnv } from "./seed.js";
import { StateFile, StateFileError } from "./state-file.js";

export interface EmulateCommandOptions {
  /** "aws,azure,gcp" or ["aws", "gcp"]; default all. */
  providers?: string | readonly string[];
  host?: string;
  /** Base port (aws = port, azure = port + 1, gcp = port + 2, oci = port + 3; see PORT_OFFSETS); 0 or absent = free ports. Text as typed is checked too. */
  port?: number | string;
  /** Milliseconds added to every response. */
  latency?: number;
  /** Share of requests throttled, 0..1. */
  throttle?: number;
  /** Share of requests answered with a 5xx, 0..1. */
  errors?: number;
  /** Share of connections dropped, 0..1. */
  drop?: number;
  seed?: number;
  /** botocore models folder; default $PIPEGLOT_BOTOCORE_DIR if set. */
  botocoreDir?: string;
  /** Keep the emulated state in this file across restarts (read at start, saved on change and at close). */
  state?: string;
  /** Write the `export NAME=value` lines to this file once the emulators listen (removed at close). */
  envOut?: string;
  /** Simulated milliseconds per unit of work of a run (see RunSimulation). */
  stepMs?: number;
  /** Units of work that fail when run, by native or neutral job name (see RunSimulation). */
  failSteps?: readonly string[];
}

/** Bad command-line input (the CLI exits with 2). */
export class EmulateUsageError extends Error {}

/** A running `pipeglot emulate`. */
export interface EmulateSession {
  /** What to print. */
  text: string;
  /** The variables to export: the emulators' own, plus those of the seeded account. */
  env: Record<string, string>;
  emulators: Emulators;
  /** Stop the servers, save the state, remove the temporary files. */
  close(): Promise<void>;
}

export function parseProviders(value: string | readonly string[] | undefined): ProviderId[] {
  if (value === undefined) return [...PROVIDER_IDS];
  const list = (typeof value === "string" ? value.split(",") : value.flatMap((v) => v.split(","))).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (list.length === 0) throw new EmulateUsageError(`--providers needs at least one of ${PROVIDER_IDS.join(", ")}`);
  for (const p of list) {
    if (!(PROVIDER_IDS as readonly string[]).includes(p)) throw new EmulateUsageError(`unknown provider "${p}"; available: ${PROVIDER_IDS.join(", ")}`);
  }
  return [...new Set(list)] as ProviderId[];
}

function rate(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new EmulateUsageError(`--${name} must be between 0 and 1, got ${v}`);
  return v;
}

/** The options that need no I/O, checked before anything starts. */
function checkOptions(opts: EmulateCommandOptions, env: NodeJS.ProcessEnv) {
  const providers = parseProviders(opts.providers);
  const problem = (m: string) => new EmulateUsageError(m);
  const port = parsePort(opts.port, providers, problem);
  const host = parseHost(opts.host, problem);
  if (opts.latency !== undefined && (!Number.isFinite(opts.latency) || opts.latency < 0))
    throw problem(`--latency must be a non-negative number of milliseconds, got ${opts.latency}`);
  if (opts.seed !== undefined && !Number.isInteger(opts.seed)) throw problem(`--seed must be an integer, got ${opts.seed}`);
  if (opts.stepMs !== undefined && (!Number.isFinite(opts.stepMs) || opts.stepMs < 0))
    throw problem(`--step-ms must be a non-negative number of milliseconds, got ${opts.stepMs}`);
  const botocoreDir = opts.botocoreDir ?? (env.PIPEGLOT_BOTOCORE_DIR || undefined);
  if (
    botocoreDir !== undefined &&
    providers.includes("aws") &&
    (!findServiceModel(botocoreDir, "codepipeline", "2015-07-09") || !findServiceModel(botocoreDir, "codebuild", "2016-10-06"))
  ) {
    throw problem(
      `--botocore ${botocoreDir} does not hold codepipeline-2015-07-09.service-2.json and codebuild-2016-10-06.service-2.json (or botocore's codepipeline/2015-07-09/service-2.json layout)`,
    );
  }
  return { providers, port, host, botocoreDir, seed: opts.seed ?? 1 };
}

/** Start the emulators for the CLI, seeded for the bundled examples; returns what to print and how to stop. */
export async function emulateCommand(opts: EmulateCommandOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<EmulateSession> {
  const o = checkOptions(opts, env);
  const store = openState(opts.state);
  const temp = o.providers.includes("oci") && !store ? mkdtempSync(join(tmpdir(), "pipeglot-emulate-")) : undefined;
  const removeTemp = () => temp && rmSync(temp, { recursive: true, force: true });
  let identity: OciIdentity | undefined;
  const keyDir = temp ?? `${opts.state}.oci`;
  try {
    identity = o.providers.includes("oci") ? ociIdentity(keyDir, DEFAULT_OCI_REGION) : undefined;
  } catch (e) {
    removeTemp();
    throw new EmulateUsageError(`cannot write the OCI emulator's signing key to ${keyDir}: ${(e as Error).message}`);
  }
  let emulators: Emulators;
  try {
    emulators = await startEmulators({
      providers: o.providers,
      host: o.host,
      port: o.port,
      seed: o.seed,
      botocoreDir: o.botocoreDir,
      latencyMs: opts.latency,
      throttleRate: rate("throttle", opts.throttle),
      errorRate: rate("errors", opts.errors),
      dropRate: rate("drop", opts.drop),
      azureServiceConnections: SEED_AZURE_SERVICE_CONNECTIONS,
      azureProjects: [SEED_AZURE_PROJECT],
      azureIdentities: SEED_AZURE_IDENTITIES,
      azureRepositoryRoot: process.cwd(),
      ...(identity ? { ociTrustedKeys: { [identity.keyId]: identity.publicKeyPem } } : {}),
      ...(store?.loaded ? { state: store.loaded } : {}),
      ...(store ? { onRequest: () => store.changed() } : {}),
      runs: { ...(opts.stepMs !== undefined ? { stepMs: opts.stepMs } : {}), failSteps: opts.failSteps ?? [] },
    });
  } catch (e) {
    removeTemp();
    const problem = listenProblem(e, o.host);
    throw problem ? new EmulateUsageError(problem) : e;
  }
  const allEnv = { ...emulators.env, ...seedEnv(o.providers, identity) };
  const written = [
    ...(store ? [[`--state ${store.path}`, () => store.attach(emulators)] as const] : []),
    ...(opts.envOut !== undefined
      ? [[`--env-out ${opts.envOut}`, () => writeAtomically(opts.envOut!, [...exportLines(allEnv), ...unsetLines(o.providers)].join("\n") + "\n")] as const]
      : []),
  ];
  for (const [what, write] of written) {
    try {
      write();
    } catch (e) {
      await emulators.close();
      removeTemp();
      throw new EmulateUsageError(`cannot write ${what}: ${(e as Error).message}`);
    }
  }
  const close = async () => {
    await emulators.close();
    store?.flush();
    removeTemp();
    if (opts.envOut !== undefined) rmSync(opts.envOut, { force: true });
  };
  return { text: formatEmulators(emulators, o.seed, allEnv, store), env: allEnv, emulators, close };
}

/** The --state file, read when it exists; its folder must exist. */
function openState(path: string | undefined): StateFile | undefined {
  if (path === undefined) return undefined;
  if (path.trim() === "") throw new EmulateUsageError("--state needs a file name");
  if (!existsSync(dirname(resolve(path)))) throw new EmulateUsageError(`cannot write --state ${path}: the folder ${dirname(resolve(path))} does not exist`);
  try {
    return new StateFile(path);
  } catch (e) {
    throw e instanceof StateFileError ? new EmulateUsageError(e.message) : e;
  }
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function exportLines(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `export ${k}=${/^[\w@%+=:,./-]*$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`}`);
}

/** Variables that would make the SDKs ignore the exported ones. */
function unsetLines(providers: readonly ProviderId[]): string[] {
  return [
    ...(providers.includes("aws") ? ["unset AWS_PROFILE   # the SDK ignores AWS_ACCESS_KEY_ID when a profile is set"] : []),
    ...(providers.includes("oci") ? ["unset OCI_CLI_PROFILE   # the key is in profile DEFAULT"] : []),
  ];
}

/** One line per running emulator. */
function describe(emulators: Emulators, id: ProviderId): string {
  if (id === "aws")
    return `  aws  ${emulators.aws.endpoint}  CodePipeline_20150709 + CodeBuild_20161006 (awsJson1_1), botocore validation ${emulators.aws.validating ? "on" : "off"}`;
  if (id === "azure")
    return `  azure  ${emulators.azure.endpoint}  Azure DevOps REST (build definitions, environments, checks, git); organization URL ${emulators.azure.organizationUrl}`;
  if (id === "oci")
    return `  oci  ${emulators.oci.endpoint}  OCI DevOps 20210630 (build/deploy pipelines, stages, artifacts, triggers, work requests), signatures ${emulators.oci.checksSignatures ? "checked" : "not checked"}`;
  return `  gcp  ${emulators.gcp.endpoint}  Cloud Build REST v1 (triggers; builds run, with approvals and chained triggers)`;
}

/** What the seeded account holds, for the printed text. */
function seededLines(providers: readonly ProviderId[]): string[] {
  const lines: string[] = [];
  if (providers.includes("azure"))
    lines.push(
      `  azure  project ${SEED_AZURE_PROJECT} (AZURE_DEVOPS_PROJECT); every project has the service connections ${SEED_AZURE_SERVICE_CONNECTIONS.map((s) => s.name).join(", ")}; identities: ${SEED_AZURE_IDENTITIES.map((i) => i.name).join(", ")} (approvers)`,
    );
  if (providers.includes("oci"))
    lines.push("  oci    a signing key (OCI_CONFIG_FILE, profile DEFAULT) and project, connection, subnet and artifact repository OCIDs (PIPEGLOT_OCI_*)");
  return lines;
}

/** The text `pipeglot emulate` prints: endpoints, faults, the seeded account, and the env to export. */
export function formatEmulators(
  emulators: Emulators,
  seed: number,
  env: Record<string, string> = emulators.env,
  state?: { path: string; loaded?: unknown },
): string {
  const lines: string[] = ["pipeglot emulators running:", ...emulators.providers.map((id) => describe(emulators, id))];
  const f = emulators[emulators.providers[0]].faults.get();
  lines.push(`faults: latency ${f.latencyMs} ms, throttle ${f.throttleRate}, errors ${f.errorRate}, drop ${f.dropRate} (seed ${seed})`);
  if (state) lines.push(`state: ${state.path} (${state.loaded ? "loaded; " : "new; "}saved on each change and at exit)`);
  const seeded = seededLines(emulators.providers);
  if (seeded.length) lines.push("", "seeded for the bundled examples:", ...seeded);
  lines.push("", "export these to point the SDKs (and pipeglot) at them:", ...[...exportLines(env), ...unsetLines(emulators.providers)].map((l) => `  ${l}`));
  if (emulators.providers.includes("gcp")) {
    lines.push(
      "",
      `Cloud Build clients: new CloudBuildClient({ fallback: true, protocol: "http", apiEndpoint: "<host>", port: <port>, authClient: new PassThroughClient() })`,
      `with host and port from ${GCB_ENDPOINT_ENV}.`,
    );
  }
  if (emulators.providers.includes("azure"))
    lines.push("", `Azure DevOps clients: new WebApi(<${AZURE_ORG_URL_ENV}>, getPersonalAccessTokenHandler(<any token>)); any organization name works.`);
  if (emulators.providers.includes("oci"))
    lines.push(
      "",
      `OCI DevOps clients: client.endpoint = <${OCI_ENDPOINT_ENV}> (the SDK appends /20210630); pipeglot: --target oci --endpoint <${OCI_ENDPOINT_ENV}>.`,
    );
  lines.push("", "Ctrl+C stops them.");
  return lines.join("\n") + "\n";
}
