/**
 * The import invariant, enforced in one place: whatever `import`, `translate`, `audit` and `pull`
 * hand on is a pipeline `validate` accepts. The provider's importer reads what it can; the repair
 * pass (schema/repair) turns what the format refuses into valid constructs with positioned warnings;
 * then the result is validated exactly as a user's pipeglot.yaml would be. A rule the repair pass
 * does not cover is reported as PG-IMPORT-INVALID (an error: a bug to report), never handed on.
 */
import { denormalize, repair, sortDiagnostics, validate, type Diagnostic, type SourceMap } from "@pipeglot/schema";
import { toYaml } from "./emit.js";
import { locateDiagnostics } from "./locate.js";
import type { ImportOptions, ImportResult, NativeFile, Provider } from "./provider.js";

const IMPORTED = "<imported definition>";

export function importPipeline(provider: Pick<Provider, "import">, files: NativeFile[], opts: ImportOptions = {}): ImportResult {
  const imported = provider.import(files, opts);
  if (!imported.pipeline) return imported;
  const fixed = repair(imported.pipeline);
  // Pointers of the repaired pipeline, located where the importer's pipeline came from.
  const sm = imported.sourceMap;
  const sourceMap: SourceMap | undefined = sm && {
    file: sm.file,
    locate: (ptr, o) => sm.locate(fixed.origin(ptr), o),
    locateInString: (ptr, needle) => sm.locateInString(fixed.origin(ptr), needle),
  };
  const check = validate(toYaml(denormalize(fixed.ir)), { file: IMPORTED });
  const left: Diagnostic[] = check.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => ({ severity: "error", code: "PG-IMPORT-INVALID", path: d.path, message: `the imported pipeline breaks a rule of the format (${d.code}: ${d.message}); this is a bug in pipeglot's importer` }));
  const diagnostics = sortDiagnostics([...imported.diagnostics, ...locateDiagnostics([...fixed.diagnostics, ...left], sourceMap)]);
  return { ...(left.length || !check.ir ? {} : { pipeline: check.ir }), diagnostics, ...(sourceMap ? { sourceMap } : {}) };
}
