/** Azure DevOps errors as pipeglot sees them: token-free, and read by core's one classifier. */
import { classify, ConflictError, isObject, type ErrorShape, kindOfStatus, PipeglotError } from "@pipeglot/core";

/** An Azure DevOps REST failure, token-free. */
export class AzureApiError extends PipeglotError {
  override readonly name = "AzureApiError";
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly typeKey: string | undefined,
    readonly retryAfterMs: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message, kindOfStatus(statusCode));
  }
}

/** An Azure DevOps failure as core's classifier reads it (the SDK's statusCode, Node's network code, Retry-After). */
export function errorShape(e: unknown): ErrorShape {
  if (e instanceof ConflictError) return { message: "" };
  const err = (e ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown; retryAfterMs?: unknown };
  return {
    ...(typeof err.statusCode === "number" ? { status: err.statusCode } : {}),
    ...(typeof err.code === "string" ? { code: err.code } : {}),
    ...(typeof err.retryAfterMs === "number" ? { retryAfterMs: err.retryAfterMs } : {}),
    message: String(err.message ?? e),
  };
}

/** Throttling, 5xx and dropped connections: core's one classifier. */
export const isRetryable = (e: unknown): boolean => classify(errorShape(e)) === "retry";

/** A response header, whatever its case or shape. */
export function header(h: unknown, name: string): string | undefined {
  if (!isObject(h)) return undefined;
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
}
