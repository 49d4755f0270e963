/**
 * Stand-ins for the tools the compiled commands call on the OCI runner, in a model-owned folder
 * put first on PATH in both modes. `docker run` is the only one pipeglot's OCI compile emits (a
 * job's image runs through `docker run … IMAGE SHELL -c '<command>'` on the managed runner,
 * https://docs.oracle.com/iaas/Content/devops/using/build_specs.htm: the runner image is fixed).
 * The stand-in runs the container's command on this machine: in the folder mounted at `-w`, with
 * only the `-e` variables (a container does not inherit the runner's environment), and PATH
 * (without the stand-ins: a `docker` inside the container is the pipeline's own), HOME, LANG,
 * TMPDIR and the recorder's variables so that record mode sees the inner commands (and their
 * commands leave the job's artifact placeholders). Any docker
 * command other than `run` goes to the real docker, else to the recorder, else "not found".
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const DOCKER = `#!/bin/bash
# pipeglot's OCI model: docker stand-in (runs the container command here, without the image).
pg_self="$(cd "$(dirname "$0")" && pwd)"
pg_path=""
IFS=: read -r -a pg_parts <<< "$PATH"
for pg_p in "\${pg_parts[@]}"; do [ "$pg_p" = "$pg_self" ] || pg_path="\${pg_path:+$pg_path:}$pg_p"; done
if [ "$1" != run ]; then
  # Any other docker command is the pipeline's own: the real docker, or the recorder, or not found.
  pg_real="$(PATH="$pg_path" command -v docker || true)"
  if [ -n "$pg_real" ]; then exec "$pg_real" "$@"; fi
  if [ -n "\${PG_RECORDER:-}" ]; then exec "$PG_RECORDER" docker "$@"; fi
  echo "docker: command not found" >&2; exit 127
fi
shift
pg_env=(PATH="$pg_path" HOME="$HOME" LANG="\${LANG:-C.UTF-8}" TMPDIR="\${TMPDIR:-/tmp}")
for pg_v in BASH_ENV PG_RECORDER PG_TRACE_LOG PG_TRACE_WATCH PG_RECORD_MAKES PG_RECORD_ROOT; do
  if [ -n "\${!pg_v+set}" ]; then pg_env+=("$pg_v=\${!pg_v}"); fi
done
pg_mounts=(); pg_wd=/
while [ $# -gt 0 ]; do
  case "$1" in
    --rm|-i|-t|-it|--init) shift ;;
    -v|--volume) pg_mounts+=("$2"); shift 2 ;;
    -w|--workdir) pg_wd="$2"; shift 2 ;;
    -e|--env)
      if [[ "$2" == *=* ]]; then pg_env+=("$2"); elif [ -n "\${!2+set}" ]; then pg_env+=("$2=\${!2}"); fi
      shift 2 ;;
    --entrypoint|--name|--network|-u|--user|--platform) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
shift # the image
pg_dir=""
for pg_m in "\${pg_mounts[@]}"; do
  pg_src="\${pg_m%%:*}"; pg_dst="\${pg_m#*:}"; pg_dst="\${pg_dst%%:*}"
  if [ "$pg_wd" = "$pg_dst" ]; then pg_dir="$pg_src"; elif [[ "$pg_wd" == "$pg_dst"/* ]]; then pg_dir="$pg_src\${pg_wd#"$pg_dst"}"; fi
done
if [ -z "$pg_dir" ]; then echo "docker stand-in: working directory $pg_wd is not a mounted folder" >&2; exit 125; fi
mkdir -p "$pg_dir" && cd "$pg_dir" || exit 126 # docker run -w creates a missing working directory
exec env -i "\${pg_env[@]}" "$@"
`;

/** Writes the stand-ins under `dir`; returns the folder to put first on PATH. */
export function writeStandIns(dir: string): string {
  const bin = join(dir, "oci-standins");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "docker"), DOCKER);
  chmodSync(join(bin, "docker"), 0o755);
  return bin;
}
