/**
 * What the commands that operate live pipelines share (run --target, status, approve, reject,
 * hold, release): the pipeline named by a definition file or by NAME with --target P, the
 * connection through the registry's connectLive (the environment and --endpoint/--profile as plan
 * and apply use them), and the provider's operate session.
 */
import { existsSync, statSync } from "node:fs";
import type { Argv } from "yargs";
import { locateDiagnostics, type OperateSession, type RunRef } from "@pipeglot/core";
import { hasErrors, PROVIDER_IDS, type ProviderId, type TargetsIR } from "@pipeglot/schema";
import { CliError, EXIT, printDiagnostics } from "../io.js";
import { loadProvider } from "../registry.js";
import { isStdin } from "../options.js";
import { loadIR } from "./shared.js";

export interface LiveArgs {
  pipeline: string;
  target: ProviderId;
  endpoint?: string;
  profile?: string;
  project?: string;
  region?: string;
  format: "text" | "json";
}

/** The options every operate command takes after its positional <pipeline>. */
export function liveOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .positional("pipeline", { type: "string", demandOption: true, describe: "The definition file (pipeglot.yaml), or the live pipeline's NAME" })
    .option("target", { alias: "t", choices: PROVIDER_IDS, demandOption: true, describe: "The cloud: aws, azure, gcp or oci" })
    .option("endpoint", { type: "string", describe: "API endpoint override (e.g. an emulator)" })
    .option("profile", { type: "string", describe: "Credentials profile (OCI)" })
    .option("project", { type: "string", describe: "With NAME: the GCP project / Azure project / OCI DevOps project OCID (a file's targets say it)" })
    .option("region", { type: "string", describe: "With NAME: the region (a file's targets say it)" }) as unknown as Argv<T>;
}

/** With NAME: --project and --region as each provider's target takes them (as pull does; OCI's project is its projectId). */
function nameTargets(a: { project?: string; region?: string }): TargetsIR {
  const project = a.project ? { project: a.project } : {};
  const region = a.region ? { region: a.region } : {};
  return { aws: region, azure: project, gcp: { ...project, ...region }, oci: { ...region, ...(a.project ? { projectId: a.project } : {}) } };
}

/** A definition file (or `-`), else a pipeline name; a name that looks like a file that is not there is a usage error. */
export function isDefinitionFile(arg: string): boolean {
  if (isStdin(arg)) return true;
  if (existsSync(arg) && statSync(arg).isFile()) return true;
  if (/\.ya?ml$/i.test(arg) || arg.includes("/") || arg.includes("\\"))
    throw new CliError(`${arg}: no such definition file (give a pipeglot.yaml, or the live pipeline's name with --target)`, EXIT.usage);
  return false;
}

export interface Operating {
  session: OperateSession;
  ref: RunRef;
  provider: ProviderId;
  displayName: string;
  /** The definition's IR when a file was given (variables are checked against it). */
  ir?: import("@pipeglot/schema").PipelineIR;
}

/** Connect to the provider and name the pipeline: compile the definition for it, or take NAME as it is. */
export async function operating(a: LiveArgs): Promise<Operating> {
  const p = await loadProvider(a.target);
  const env = { env: process.env, ...(a.endpoint ? { endpoint: a.endpoint } : {}), ...(a.profile ? { profile: a.profile } : {}) };
  let ref: RunRef;
  let targets = nameTargets(a);
  let ir: Operating["ir"];
  if (isDefinitionFile(a.pipeline)) {
    const loaded = await loadIR(a.pipeline, a.format);
    ir = loaded.ir;
    const output = p.compile(ir);
    if (hasErrors(output.diagnostics)) {
      printDiagnostics(locateDiagnostics(output.diagnostics, loaded.sourceMap), new Map([[a.pipeline, loaded.text]]));
      throw new CliError(`${p.id}: the definition does not compile`, EXIT.problems);
    }
    ref = { pipeline: ir.name, output };
    targets = ir.targets;
  } else ref = { pipeline: a.pipeline };
  const live = await p.connectLive(targets, env);
  return { session: live.operate, ref, provider: p.id, displayName: p.displayName, ...(ir ? { ir } : {}) };
}
