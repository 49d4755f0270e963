import type { Diagnostic, SourceMap } from "@pipeglot/schema";

/** Give every diagnostic that has only a JSON pointer the file:line:col the source map knows for it. */
export function locateDiagnostics(diags: readonly Diagnostic[], sm: SourceMap | undefined): Diagnostic[] {
  if (!sm) return [...diags];
  return diags.map((d) => (d.file !== undefined ? d : { ...d, ...sm.locate(d.path) }));
}
