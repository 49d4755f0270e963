import { toYaml } from "@pipeglot/core";
import { denormalize, SCHEMA_ID, validateFile, type PipelineIR, type SourceMap } from "@pipeglot/schema";
import { EXIT, CliError, printDiagnostics, printJson, type Format } from "../io.js";

/** Validate a definition for a command that needs its IR; print problems and stop with exit 1 when it has errors. */
export async function loadIR(file: string, format: Format): Promise<{ ir: PipelineIR; sourceMap: SourceMap; text: string }> {
  const r = await validateFile(file);
  if (!r.ir) {
    if (format === "json") printJson({ file, valid: false, diagnostics: r.diagnostics });
    else printDiagnostics(r.diagnostics, new Map([[file, r.text]]));
    throw new CliError(`${file} is not a valid pipeline definition`, EXIT.problems);
  }
  return { ir: r.ir, sourceMap: r.sourceMap, text: r.text };
}

/** The pipeglot.yaml text of an IR that import or pull produced, with the editor schema line and where it came from. */
export function definitionText(ir: PipelineIR, origin: string): string {
  return toYaml(denormalize(ir), [`yaml-language-server: $schema=${SCHEMA_ID}`, origin]);
}
