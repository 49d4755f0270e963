import type { ImportResult, NativeFile } from "@pipeglot/core";
export function detect(_f: NativeFile): number { return 0; }
export function importFiles(_files: NativeFile[]): ImportResult { return { diagnostics: [] }; }
