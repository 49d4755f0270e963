/**
 * Finding the spec of a stage: BUILD stages name their build spec by path (buildSpecFile); SHELL
 * stages name a deploy artifact whose base64 content is the command spec.
 */
import { isObject } from "@pipeglot/core";
import { refName } from "../conventions.js";
import { str, type Importer, type Obj } from "./context.js";
import { parseFile, type Item } from "./files.js";

export interface SpecFinder {
  /** The build spec a BUILD stage names (or the only one, for the only BUILD stage). */
  specFor(file: string | undefined): Item | undefined;
  /** The command spec in the deploy artifact a SHELL stage names. */
  commandSpecFor(ref: string | undefined): Item | undefined;
}

export function specFinder(imp: Importer, items: Item[]): SpecFinder {
  const specs = items.filter((i) => i.kind === "spec");
  const specFor = (file: string | undefined): Item | undefined => {
    if (!file)
      return specs.length === 1 && items.filter((i) => i.kind === "buildStage" && i.value.buildPipelineStageType === "BUILD").length === 1
        ? specs[0]
        : undefined;
    const norm = file.replace(/^\.?\//, "");
    return (
      specs.find((s) => s.file === norm || s.file.endsWith(`/${norm}`) || norm.endsWith(`/${s.file.replace(/^.*?\/(build_specs\/)/, "$1")}`)) ??
      specs.find((s) => norm.endsWith(s.file.split("/").slice(-2).join("/")))
    );
  };
  const artifacts = items.filter((i) => i.kind === "deployArtifact");
  const commandSpecFor = (ref: string | undefined): Item | undefined => {
    const name = ref ? refName(ref, "deployArtifact") : undefined;
    const art = artifacts.find((a) => (name !== undefined && str(a.value.displayName) === name) || str(a.value.id) === ref);
    const src = art && isObject(art.value.deployArtifactSource) ? (art.value.deployArtifactSource as Obj) : undefined;
    const b64 = src ? str(src.base64EncodedContent) : undefined;
    if (!art || !b64) return undefined;
    // Positions inside the decoded content cannot be shown in the file: the artifact's position, and words.
    const at = art.map.locate(art.pointer);
    const here = { line: at.line, column: at.column, endLine: at.endLine ?? at.line, endColumn: at.endColumn ?? at.column };
    const where = {
      file: at.file,
      offset: () => here,
      where: (q: { line: number; column: number }) =>
        `line ${q.line}, column ${q.column} of the base64 content of deploy artifact ${str(art.value.displayName) ?? ""}`,
    };
    const p = parseFile({ path: art.file, content: Buffer.from(b64, "base64").toString("utf8") }, where);
    imp.diagnostics.push(...p.duplicates);
    return isObject(p.value) ? { kind: "spec", value: p.value, file: art.file, pointer: "", map: art.map } : undefined;
  };
  return { specFor, commandSpecFor };
}
