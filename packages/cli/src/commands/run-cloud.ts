/**
 * `pipeglot run <file|NAME> --target P [--branch B] [--var K=V]` (without --local): start a run
 * of the live pipeline on that cloud, print it, and say how to follow it.
 */
import { renderRun } from "@pipeglot/core";
import { PROVIDER_IDS, type ProviderId } from "@pipeglot/schema";
import { CliError, EXIT, err, out, printJson, type Format } from "../io.js";
import { operating } from "./operate-shared.js";
import { parseVars } from "./run-vars.js";

export interface CloudRunArgs {
  file: string;
  target?: string;
  branch?: string;
  var: string[];
  reject: string[];
  record: boolean;
  source?: string;
  endpoint?: string;
  profile?: string;
  project?: string;
  region?: string;
  format: Format;
}

function cloudTarget(a: CloudRunArgs): ProviderId {
  if (a.target === undefined)
    throw new CliError("pass --target P to start a run on that cloud (aws, azure, gcp, oci), or --local to run the pipeline on this machine");
  if (!(PROVIDER_IDS as readonly string[]).includes(a.target))
    throw new CliError(`--target ${a.target}: a run on a cloud takes one of ${PROVIDER_IDS.join(", ")} (neutral, lists and all go with --local)`);
  const localOnly = [a.reject.length ? "--reject" : "", a.record ? "--record" : "", a.source !== undefined ? "--source" : ""].filter(Boolean);
  if (localOnly.length) throw new CliError(`${localOnly.join(", ")}: only with --local (a run on ${a.target} approves with pipeglot approve/reject)`);
  return a.target as ProviderId;
}

export async function runOnCloud(a: CloudRunArgs): Promise<number> {
  const target = cloudTarget(a);
  const op = await operating({ ...a, pipeline: a.file, target });
  const variables = parseVars(a.var, op.ir);
  const run = await op.session.start(op.ref, { ...(a.branch ? { branch: a.branch } : {}), variables });
  if (a.format === "json") printJson(run);
  else {
    err(`Started run ${run.id} of ${op.ref.pipeline} on ${target}.`);
    out(renderRun(run));
    err(`Follow it: pipeglot status ${a.file} --target ${target} ${run.id} --watch`);
  }
  return EXIT.ok;
}
