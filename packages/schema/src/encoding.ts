/**
 * Input text the way pipeglot accepts it: UTF-8 (an invalid byte is a positioned error, never a
 * silent U+FFFD) and within a documented size.
 */
import type { Diagnostic } from "./diagnostics.js";

/** The largest definition pipeglot reads (bytes): far above any real pipeline, far below minutes of work. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * The largest `run` of one step (UTF-8 bytes). No provider carries more: Azure Pipelines stops
 * parsing a YAML file at 10 MB of memory (in practice 0.6-2 MB of YAML), Cloud Build refuses a
 * step argument over 10,000 characters, a CloudFormation template is at most 1 MB.
 */
export const MAX_RUN_BYTES = 4 * 1024 * 1024;

/** The positioned error for a file over MAX_INPUT_BYTES, found before it is read or parsed. */
export function inputTooLarge(file: string, bytes: number): Diagnostic {
  return {
    severity: "error",
    code: "PG-INPUT-TOO-LARGE",
    message: `${file} is ${(bytes / 1048576).toFixed(1)} MiB (${bytes} bytes); pipeglot reads files up to ${MAX_INPUT_BYTES / 1048576} MiB (${MAX_INPUT_BYTES} bytes)`,
    hint: "a pipeline file this large is almost certainly generated or not a pipeline; split it, or move long scripts into files of the repository",
    path: "",
    file,
    line: 1,
    column: 1,
  };
}

/** Byte offset of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  for (let i = 0; i < buf.length;) {
    const b = buf[i]!;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= buf.length || (buf[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong three-byte forms, UTF-16 surrogates, and code points above U+10FFFF.
    if ((b === 0xe0 && buf[i + 1]! < 0xa0) || (b === 0xed && buf[i + 1]! > 0x9f) || (b === 0xf0 && buf[i + 1]! < 0x90) || (b === 0xf4 && buf[i + 1]! > 0x8f))
      return i;
    i += n + 1;
  }
  return -1;
}

/** 1-based line and column (in characters) of byte `offset`. */
export function positionOf(buf: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++)
    if (buf[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  return { line, column: new TextDecoder().decode(buf.subarray(start, offset)).length + 1 };
}
