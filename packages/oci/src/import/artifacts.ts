/**
 * A spec's artifacts → the job's consumes and produces: stage artifacts and pipeglot's unpacked
 * archives are consumed; a URL input becomes a download step; pipeglot's packed archives and
 * binary outputs are produced (workspace locations as paths relative to the checkout).
 */
import { isObject } from "@pipeglot/core";
import { neutralText, type RefMap } from "./commands.js";
import { str, type At, type Importer, type JobDraft, type Obj } from "./context.js";
import type { Item } from "./files.js";
import type { StepsRead } from "./steps.js";

export function importArtifacts(imp: Importer, d: JobDraft, spec: Item, refs: RefMap, ours: boolean, read: StepsRead): void {
  const s = spec.value;
  const job = d.job;
  const at = (ptr: string): At => ({ item: spec, ptr });
  const inputs = (Array.isArray(s.inputArtifacts) ? s.inputArtifacts : []) as unknown[];
  inputs.forEach((a, n) => {
    if (!isObject(a)) return;
    const name = str(a.name) ?? `artifact-${n + 1}`;
    const type = str(a.type);
    if (ours && read.unpacks.has(name)) job.consumes.push(name);
    else if (type === "STAGE_ARTIFACT") job.consumes.push(name);
    else if (type === "URL" && str(a.url)) downloadStep(imp, d, spec, a, n, name, refs, read);
    else
      imp.report(
        "PG-OCI-IMPORT-INPUT-ARTIFACT",
        at(`/inputArtifacts/${n}`),
        `input artifact "${name}" of type ${type ?? "?"} has no neutral equivalent; dropped`,
      );
  });
  const outputs = (Array.isArray(s.outputArtifacts) ? s.outputArtifacts : []) as unknown[];
  outputs.forEach((a, n) => {
    if (!isObject(a)) return;
    const name = str(a.name) ?? `artifact-${n + 1}`;
    if (read.packs.has(name)) job.produces.push({ name, paths: read.packs.get(name)! });
    else if (str(a.type) === "BINARY" && str(a.location))
      job.produces.push({ name, paths: [workspacePath(imp, str(a.location)!, at(`/outputArtifacts/${n}/location`))] });
    else
      imp.report(
        "PG-OCI-IMPORT-OUTPUT-ARTIFACT",
        at(`/outputArtifacts/${n}`),
        `output artifact "${name}" of type ${str(a.type) ?? "?"} has no neutral equivalent; dropped`,
      );
  });
}

/** A URL input artifact → a first step that downloads it. */
function downloadStep(imp: Importer, d: JobDraft, spec: Item, a: Obj, n: number, name: string, refs: RefMap, read: StepsRead): void {
  imp.report("PG-OCI-IMPORT-INPUT-ARTIFACT", { item: spec, ptr: `/inputArtifacts/${n}` }, `URL input artifact "${name}" becomes a download step`);
  const sid = read.names.take(`download-${name}`);
  d.job.steps.unshift({
    id: sid,
    name: sid,
    run: neutralText(`curl -fsSL -o "${str(a.location) ?? name}" "${str(a.url)}"`, refs),
    shell: "bash",
    env: {},
    continueOnError: false,
    retries: 0,
  });
  d.clauses.unshift([]);
  d.stepAt.unshift({ item: spec, ptr: `/inputArtifacts/${n}` });
}

/**
 * An output artifact location → a neutral path (relative to the source checkout, where steps run):
 * `${OCI_PRIMARY_SOURCE_DIR}/x` is `x`; `${OCI_WORKSPACE_DIR}/x` is `../x` (sources are cloned into
 * the workspace folder). Neutral paths are data, so a variable left in one would never expand.
 */
function workspacePath(imp: Importer, location: string, at: { item: Item; ptr: string }): string {
  const m = /^\$\{?(OCI_PRIMARY_SOURCE_DIR|OCI_WORKSPACE_DIR)\}?\/+(.+)$/.exec(location);
  if (!m) return location;
  const path = m[1] === "OCI_PRIMARY_SOURCE_DIR" ? m[2]! : `../${m[2]!}`;
  imp.report(
    "PG-OCI-IMPORT-ARTIFACT-PATH",
    at,
    `output artifact location ${JSON.stringify(location)} becomes the path ${JSON.stringify(path)} (relative to the source checkout)`,
  );
  return path;
}
