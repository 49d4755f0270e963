/**
 * The import invariant, enforced in one place: whatever `import`, `translate`, `audit` and `pull`
 * hand on is a pipeline `validate` accepts. The provider's importer reads what it can; the repair
 * pass (schema/repair) turns what the format refuses into valid constructs with positioned warnings;
 * then the result is validated exactly as a user's pipeglot.yaml would be. A rule the repair pass
 * does not cover is reported as PG-IMPORT-INVALID (an error: a bug to report), never handed on.
 */
import {
  denormalize,
  inputTooLarge,
  MAX_INPUT_BYTES,
  REPAIR_CODES,
  repair,
  sortDiagnostics,
  validate,
  type Diagnostic,
  type RepairCode,
  type SchemaCode,
  type SourceMap,
} from "@pipeglot/schema";
import { toYaml } from "./emit.js";
import { locateDiagnostics } from "./locate.js";
import type { ImportOptions, ImportResult, NativeFile, ProviderBase } from "./provider.js";

const IMPORTED = "<imported definition>";

/** Codes of the format that describe the input itself (not a gap in the importer): kept as they are. */
const INPUT_CODES = new Set<string>(["PG-RUN-TOO-LARGE"] satisfies SchemaCode[]);

/** The error left when the repair pass does not cover a rule (its entry is in the repair codes table). */
const INVALID: RepairCode = "PG-IMPORT-INVALID";

/** Files over the size pipeglot reads (library callers and pull hand text, not paths): one error each, nothing parsed. */
function tooLarge(files: readonly NativeFile[]): Diagnostic[] {
  // A UTF-16 unit is at most 3 UTF-8 bytes: count bytes only when the length could be over.
  return files.flatMap((f) =>
    f.content.length * 3 > MAX_INPUT_BYTES && Buffer.byteLength(f.content, "utf8") > MAX_INPUT_BYTES
      ? [inputTooLarge(f.path, Buffer.byteLength(f.content, "utf8"))]
      : [],
  );
}

export function importPipeline(provider: Pick<ProviderBase, "import">, files: NativeFile[], opts: ImportOptions = {}): ImportResult {
  const large = tooLarge(files);
  if (large.length) return { diagnostics: large };
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
    .map((d) =>
      INPUT_CODES.has(d.code)
        ? { severity: "error", code: d.code, path: d.path, message: d.message, ...(d.hint ? { hint: d.hint } : {}) }
        : {
            severity: REPAIR_CODES[INVALID].severity,
            code: INVALID,
            path: d.path,
            message: `the imported pipeline breaks a rule of the format (${d.code}: ${d.message}); this is a bug in pipeglot's importer`,
          },
    );
  const diagnostics = sortDiagnostics([...imported.diagnostics, ...locateDiagnostics([...fixed.diagnostics, ...left], sourceMap)]);
  return { ...(left.length || !check.ir ? {} : { pipeline: check.ir }), diagnostics, ...(sourceMap ? { sourceMap } : {}) };
}
