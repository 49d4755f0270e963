/**
 * Stand-ins for the Google Cloud tools the compiled builds call, in a model-owned folder first
 * on PATH in both modes (so record mode runs them rather than recording them):
 * - `gsutil cp SRC DST` (https://cloud.google.com/storage/docs/gsutil/commands/cp): a `gs://`
 *   URL is a file under a local folder standing for Cloud Storage; a missing source fails
 *   ("No URLs matched", exit 1). Other gsutil commands fail.
 * - `gcloud builds triggers run TRIGGER [--sha=…|--branch=…|--tag=…] [--region=…]
 *   [--substitutions=K=V,…]` (https://cloud.google.com/sdk/gcloud/reference/builds/triggers/run;
 *   a `^DELIM^` list: https://cloud.google.com/sdk/gcloud/reference/topic/escaping): records the request (the model starts that trigger's build when the current one ends); an
 *   unknown trigger fails (NOT_FOUND). `gcloud builds triggers describe` prints nothing (the
 *   chaining step's hold check: the model holds a requested run of a disabled trigger). Other gcloud commands fail.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { shQuote } from "@pipeglot/core";

export interface Tools {
  /** The folder to put first on PATH. */
  bin: string;
  /** The local stand-in for Cloud Storage: gs://bucket/object is `<gcs>/bucket/object`. */
  gcs: string;
  /** Where `gcloud builds triggers run` appends its requests. */
  requests: string;
  /** Where `gsutil cp` appends what it copied. */
  copies: string;
}

const GSUTIL = (gcs: string, copies: string) => `#!/bin/bash
# pipeglot's stand-in for gsutil (local runs): cp to and from a local folder for Cloud Storage.
pg_gcs=${shQuote(gcs)}
while [[ "$1" == -* ]]; do shift; done
if [ "$1" != cp ]; then echo "gsutil (pipeglot stand-in): only cp is modelled, not: $*" >&2; exit 1; fi
shift
while [[ "$1" == -* ]]; do shift; done
if [ "$#" -ne 2 ]; then echo "gsutil (pipeglot stand-in): cp takes one source and one destination" >&2; exit 1; fi
pg_map() { case "$1" in gs://*) printf '%s/%s' "$pg_gcs" "\${1#gs://}" ;; *) printf '%s' "$1" ;; esac; }
pg_src=$(pg_map "$1"); pg_dst=$(pg_map "$2")
if [ ! -f "$pg_src" ]; then echo "CommandException: No URLs matched: $1" >&2; exit 1; fi
case "$2" in */) mkdir -p "$pg_dst" ;; *) mkdir -p "$(dirname "$pg_dst")" ;; esac
cp "$pg_src" "$pg_dst" || exit 1
printf '%s\\0%s\\0' "$1" "$2" >> ${shQuote(copies)}
echo "Copying $1 to $2"
`;

const GCLOUD = (requests: string, triggers: readonly string[]) => `#!/bin/bash
# pipeglot's stand-in for gcloud (local runs): only \`gcloud builds triggers run\` (and describe, which prints
# nothing: the model holds a run of a disabled trigger when the run is requested).
if [ "$1 $2 $3" = "builds triggers describe" ]; then exit 0; fi
if [ "$1 $2 $3" != "builds triggers run" ]; then echo "gcloud (pipeglot stand-in): only 'builds triggers run' is modelled, not: $*" >&2; exit 1; fi
shift 3
pg_trigger=
for a in "$@"; do case "$a" in -*) ;; *) [ -z "$pg_trigger" ] && pg_trigger=$a ;; esac; done
case "$pg_trigger" in
  ${triggers.length ? triggers.map(shQuote).join("|") : "''"}) ;;
  *) echo "ERROR: (gcloud.builds.triggers.run) NOT_FOUND: trigger $pg_trigger" >&2; exit 1 ;;
esac
printf '%s\\0' "$#" "$@" >> ${shQuote(requests)}
echo "(pipeglot stand-in) build of trigger $pg_trigger requested"
`;

/** Writes the stand-ins under `dir` for a compile whose triggers are `triggers`. */
export function setUpTools(dir: string, triggers: readonly string[]): Tools {
  const bin = join(dir, "bin");
  const gcs = join(dir, "gcs");
  mkdirSync(bin, { recursive: true });
  mkdirSync(gcs, { recursive: true });
  const tools: Tools = { bin, gcs, requests: join(dir, "trigger-runs"), copies: join(dir, "gsutil-copies") };
  writeFileSync(join(bin, "gsutil"), GSUTIL(gcs, tools.copies));
  writeFileSync(join(bin, "gcloud"), GCLOUD(tools.requests, triggers));
  for (const t of ["gsutil", "gcloud"]) chmodSync(join(bin, t), 0o755);
  return tools;
}

function nulFields(file: string): string[] {
  return existsSync(file) ? readFileSync(file).toString("utf8").split("\0").slice(0, -1) : [];
}

/** Each `gcloud builds triggers run` request so far: its arguments after `run`. */
export function readRequests(t: Tools): string[][] {
  const f = nulFields(t.requests);
  const out: string[][] = [];
  for (let i = 0; i < f.length;) {
    const n = Number(f[i++]);
    out.push(f.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Each `gsutil cp` so far, as [source, destination] URLs. */
export function readCopies(t: Tools): [string, string][] {
  const f = nulFields(t.copies);
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < f.length; i += 2) out.push([f[i]!, f[i + 1]!]);
  return out;
}

interface TriggerRun {
  trigger: string;
  sha?: string;
  branch?: string;
  tag?: string;
  region?: string;
  substitutions: Record<string, string>;
}

/**
 * A dict-type flag value as gcloud reads it: items split at commas, or at DELIM when the value
 * starts with `^DELIM^`; each item is KEY=VALUE split at its first `=`
 * (https://cloud.google.com/sdk/gcloud/reference/topic/escaping).
 */
export function dictArg(value: string): Record<string, string> {
  const m = /^\^([^^]+)\^/s.exec(value);
  const items = m ? value.slice(m[0].length).split(m[1]!) : value.split(",");
  const out: Record<string, string> = {};
  for (const kv of items) {
    const eq = kv.indexOf("=");
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

/** A request's arguments read as gcloud reads them (`--flag=value` or `--flag value`). */
export function parseTriggerRun(args: readonly string[]): TriggerRun {
  const run: TriggerRun = { trigger: "", substitutions: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(a);
    if (!m) {
      if (!run.trigger) run.trigger = a;
      continue;
    }
    const value = m[2] ?? args[++i] ?? "";
    if (m[1] === "sha") run.sha = value;
    else if (m[1] === "branch") run.branch = value;
    else if (m[1] === "tag") run.tag = value;
    else if (m[1] === "region") run.region = value;
    else if (m[1] === "substitutions") Object.assign(run.substitutions, dictArg(value));
  }
  return run;
}
