import { toYaml } from "@pipeglot/core";
import { denormalize, SCHEMA_ID, validate, validateFile, type PipelineIR, type SourceMap, type ValidateResult } from "@pipeglot/schema";
import { EXIT, CliError, printDiagnostics, printJson, type Format } from "../io.js";
import { isStdin, readStdin, STDIN_NAME } from "../options.js";

/** Validate a definition file, or standard input for `-` (named <stdin> in diagnostics). */
export async function validateInput(file: string): Promise<ValidateResult & { name: string }> {
  if (isStdin(file)) return { ...validate(readStdin(), { file: STDIN_NAME }), name: STDIN_NAME };
  return { ...(await validateFile(file)), name: file };
}

/** Validate a definition for a command that needs its IR; print problems and stop with exit 1 when it has errors. */
export async function loadIR(file: string, format: Format | string): Promise<{ ir: PipelineIR; sourceMap: SourceMap; text: string }> {
  const r = await validateInput(file);
  if (!r.ir) {
    if (format === "json") printJson({ file: r.name, valid: false, diagnostics: r.diagnostics });
    else printDiagnostics(r.diagnostics, new Map([[r.name, r.text]]));
    throw new CliError(`${r.name} is not a valid pipeline definition`, EXIT.problems);
  }
  return { ir: r.ir, sourceMap: r.sourceMap, text: r.text };
}

/** The pipeglot.yaml text of an IR that import or pull produced, with the editor schema line and where it came from. */
export function definitionText(ir: PipelineIR, origin: string): string {
  return toYaml(denormalize(ir), [`yaml-language-server: $schema=${SCHEMA_ID}`, origin]);
}
