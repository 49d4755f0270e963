/**
 * OCI DevOps → Pipeline IR. Input: one or several files of one pipeline: build specs, the JSON
 * pipeglot writes, or the JSON the OCI CLI prints. The DAG is rebuilt from stage predecessors;
 * pipeglot's own tags (when present) restore the neutral stage/job structure exactly.
 * Each concept is read by its own module (variables, jobs, steps, artifacts, stages, conditions,
 * triggers); this one reads the files and puts the parts together.
 */
import type { ImportOptions, ImportResult, NativeFile } from "@pipeglot/core";
import { isObject } from "@pipeglot/core";
import { sortDiagnostics, type PipelineIR } from "@pipeglot/schema";
import { TAG } from "../conventions.js";
import { Importer, str, tagsOf, type Obj } from "./context.js";
import { DUPLICATE_KEY, detectFile, itemsOf, parseFile, type Item, type Parsed } from "./files.js";
import { draftJobs, foldMatrix, linkNeeds } from "./jobs.js";
import { importStages } from "./stages.js";
import { pipelineOf } from "./pipeline.js";
import { importVariables } from "./variables.js";

export function detect(f: NativeFile): number {
  try {
    return detectFile(f);
  } catch {
    return 0;
  }
}

const hasDuplicates = (imp: Importer) => imp.diagnostics.some((d) => d.code === DUPLICATE_KEY);

export function importFiles(files: NativeFile[], _opts: ImportOptions = {}): ImportResult {
  void _opts;
  const imp = new Importer(files[0]?.path ?? "");
  const parsed = files.map((f) => parseFile(f));
  const items = readItems(imp, files, parsed);
  if (hasDuplicates(imp)) return { diagnostics: sortDiagnostics(imp.diagnostics) };
  if (!items.some((i) => i.kind === "spec" || i.kind === "buildStage" || i.kind === "deployStage")) {
    // A file that does not parse already has its error; "no pipeline" would only repeat it.
    if (parsed.some((p) => p.error)) return { diagnostics: sortDiagnostics(imp.diagnostics) };
    imp.reportAt(
      "PG-OCI-IMPORT-NO-PIPELINE",
      files[0] ? { file: files[0].path, line: 1, column: 1 } : undefined,
      "no build spec and no build or deploy stage among the files",
    );
    return { diagnostics: sortDiagnostics(imp.diagnostics) };
  }
  try {
    const pipeline = assemble(imp, items);
    if (hasDuplicates(imp)) return { diagnostics: sortDiagnostics(imp.diagnostics) };
    // Only stages that have no neutral equivalent (each dropped with its warning): no job runs, so there is no pipeline.
    if (!pipeline.stages.some((s) => s.jobs.length)) {
      imp.reportAt(
        "PG-OCI-IMPORT-NO-PIPELINE",
        files[0] ? { file: files[0].path, line: 1, column: 1 } : undefined,
        "no stage among the files runs a job (the stages given have no neutral equivalent); give the build specs or BUILD/SHELL stages of the pipeline too",
      );
      return { diagnostics: sortDiagnostics(imp.diagnostics) };
    }
    return { pipeline, diagnostics: sortDiagnostics(imp.diagnostics), sourceMap: imp.sourceMap() };
  } catch (e) {
    imp.reportAt("PG-OCI-IMPORT-PARSE", undefined, `unexpected content: ${(e as Error).message}`);
    return { diagnostics: sortDiagnostics(imp.diagnostics) };
  }
}

/** The items of the parsed files (kinds from a pipeglot manifest when one is given); parse errors and unknown files reported. */
function readItems(imp: Importer, files: NativeFile[], parsed: Parsed[]): Item[] {
  const items: Item[] = [];
  const manifestKinds = new Map<string, string>();
  for (const p of parsed) {
    const v = p.value as Obj | undefined;
    if (isObject(v) && v.provider === "oci" && Array.isArray(v.files)) {
      for (const e of v.files as Obj[]) {
        const match = files.find((f) => f.path === str(e.path) || f.path.endsWith(`/${str(e.path)}`));
        if (match && str(e.kind)) manifestKinds.set(match.path, str(e.kind)!);
      }
    }
  }
  for (const p of parsed) {
    if (p.error) {
      imp.reportAt("PG-OCI-IMPORT-PARSE", { file: p.file, line: p.error.line, column: p.error.column }, `cannot parse: ${p.error.message}`);
      continue;
    }
    // A key given twice: what a reviewer read may not be what would be imported, so nothing is.
    imp.diagnostics.push(...p.duplicates);
    for (const it of itemsOf(p, manifestKinds)) {
      if (it.kind === "manifest") continue;
      if (it.kind === "unknown") imp.report("PG-OCI-IMPORT-UNKNOWN-FILE", { item: it }, `not a build spec or an OCI DevOps resource; ignored`);
      else items.push(it);
    }
  }
  return items;
}

function assemble(imp: Importer, items: Item[]): PipelineIR {
  const buildPipeline = items.find((i) => i.kind === "buildPipeline");
  const bp = buildPipeline?.value ?? {};
  const ours = tagsOf(bp)[TAG.managedBy] === "pipeglot" || items.some((i) => tagsOf(i.value)[TAG.job] !== undefined);
  const { variables, params } = importVariables(bp);
  const secrets: PipelineIR["secrets"] = {};
  const { drafts, gates } = draftJobs(imp, items, params, secrets, ours);
  const jobs = foldMatrix(drafts);
  linkNeeds(jobs);
  const stages = importStages(imp, jobs, gates, ours, params);
  return pipelineOf(imp, items, buildPipeline, ours, { variables, secrets, stages });
}
