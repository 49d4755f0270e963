/**
 * `pipeglot emulate --providers aws,gcp [--port N] [--latency MS] [--throttle RATE] [--errors RATE]
 * [--drop RATE] [--seed N] [--botocore DIR]`: the CLI calls {@link emulateCommand}, prints `text`,
 * and calls `emulators.close()` on SIGINT/SIGTERM.
 */
import { AZURE_ORG_URL_ENV, GCB_ENDPOINT_ENV, OCI_ENDPOINT_ENV, PROVIDER_IDS, startEmulators, type Emulators, type ProviderId } from "./emulators.js";

export interface EmulateCommandOptions {
  /** "aws,azure,gcp" or ["aws", "gcp"]; default all. */
  providers?: string | readonly string[];
  host?: string;
  /** Base port (aws = port, azure = port + 1, gcp = port + 2; see PORT_OFFSETS); 0 or absent = free ports. */
  port?: number;
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
}

/** Bad command-line input (the CLI exits with 2). */
export class EmulateUsageError extends Error {}

export function parseProviders(value: string | readonly string[] | undefined): ProviderId[] {
  if (value === undefined) return [...PROVIDER_IDS];
  const list = (typeof value === "string" ? value.split(",") : value.flatMap((v) => v.split(","))).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (list.length === 0) throw new EmulateUsageError(`--providers needs at least one of ${PROVIDER_IDS.join(", ")}`);
  for (const p of list) {
    if (!(PROVIDER_IDS as readonly string[]).includes(p)) {
      const planned = p === "oci" ? " (planned, not available yet)" : "";
      throw new EmulateUsageError(`unknown provider "${p}"${planned}; available: ${PROVIDER_IDS.join(", ")}`);
    }
  }
  return [...new Set(list)] as ProviderId[];
}

function rate(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new EmulateUsageError(`--${name} must be between 0 and 1, got ${v}`);
  return v;
}

/** Start the emulators for the CLI; returns what to print and the handle to close. */
export async function emulateCommand(opts: EmulateCommandOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<{ text: string; emulators: Emulators }> {
  const providers = parseProviders(opts.providers);
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) throw new EmulateUsageError(`--port must be a port number, got ${opts.port}`);
  if (opts.latency !== undefined && (!Number.isFinite(opts.latency) || opts.latency < 0)) throw new EmulateUsageError(`--latency must be a non-negative number of milliseconds, got ${opts.latency}`);
  const botocoreDir = opts.botocoreDir ?? (env.PIPEGLOT_BOTOCORE_DIR || undefined);
  const seed = opts.seed ?? 1;
  const emulators = await startEmulators({
    providers,
    host: opts.host,
    port: opts.port,
    latencyMs: opts.latency,
    throttleRate: rate("throttle", opts.throttle),
    errorRate: rate("errors", opts.errors),
    dropRate: rate("drop", opts.drop),
    seed,
    botocoreDir,
  });
  return { text: formatEmulators(emulators, seed), emulators };
}

/** The text `pipeglot emulate` prints: endpoints, faults, and the env to export. */
export function formatEmulators(emulators: Emulators, seed: number): string {
  const lines: string[] = ["pipeglot emulators running:"];
  for (const id of emulators.providers) {
    if (id === "aws") {
      const aws = emulators.aws;
      lines.push(`  aws  ${aws.endpoint}  CodePipeline_20150709 + CodeBuild_20161006 (awsJson1_1), botocore validation ${aws.validating ? "on" : "off"}`);
    } else if (id === "azure") {
      lines.push(`  azure  ${emulators.azure.endpoint}  Azure DevOps REST (build definitions, environments, checks, git); organization URL ${emulators.azure.organizationUrl}`);
    } else if (id === "oci") {
      lines.push(`  oci  ${emulators.oci.endpoint}  OCI DevOps 20210630 (build/deploy pipelines, stages, artifacts, triggers, work requests), signatures ${emulators.oci.checksSignatures ? "checked" : "not checked"}`);
    } else {
      lines.push(`  gcp  ${emulators.gcp.endpoint}  Cloud Build REST v1 triggers`);
    }
  }
  const f = emulators[emulators.providers[0]].faults.get();
  lines.push(`faults: latency ${f.latencyMs} ms, throttle ${f.throttleRate}, errors ${f.errorRate}, drop ${f.dropRate} (seed ${seed})`, "", "export these to point the SDKs (and pipeglot) at them:");
  for (const [k, v] of Object.entries(emulators.env)) lines.push(`  export ${k}=${v}`);
  if (emulators.providers.includes("aws")) lines.push("  unset AWS_PROFILE   # the SDK ignores AWS_ACCESS_KEY_ID when a profile is set");
  if (emulators.providers.includes("gcp")) {
    lines.push(
      "",
      `Cloud Build clients: new CloudBuildClient({ fallback: true, protocol: "http", apiEndpoint: "<host>", port: <port>, authClient: new PassThroughClient() })`,
      `with host and port from ${GCB_ENDPOINT_ENV}.`,
    );
  }
  if (emulators.providers.includes("azure")) {
    lines.push("", `Azure DevOps clients: new WebApi(<${AZURE_ORG_URL_ENV}>, getPersonalAccessTokenHandler(<any token>)); any organization name works.`);
  }
  if (emulators.providers.includes("oci")) {
    lines.push("", `OCI DevOps clients: client.endpoint = <${OCI_ENDPOINT_ENV}> (the SDK appends /20210630); pipeglot: --target oci --endpoint <${OCI_ENDPOINT_ENV}>.`);
  }
  lines.push("", "Ctrl+C stops them.");
  return lines.join("\n") + "\n";
}
