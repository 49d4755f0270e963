import { PipeglotError } from "../../errors.js";

/**
 * A service that kept failing with errors worth retrying (throttling, 5xx, dropped connections)
 * until the retries ran out: the cloud's trouble, not a bug in pipeglot. Kind "api" (exit 1), one
 * line; the last error is the `cause`.
 */
export class ServiceError extends PipeglotError {
  override readonly name = "ServiceError";
  constructor(message: string, cause: unknown) {
    super(message, "api", { cause });
  }
}

/**
 * Nothing answers at the endpoint (connection refused, unknown host, no answer in time): a setting to fix, not a
 * bug and not worth retrying. Kind "config" (exit 1), one line naming the service, the endpoint
 * and what to check.
 */
export class UnreachableError extends PipeglotError {
  override readonly name = "UnreachableError";
  constructor(
    readonly service: string,
    readonly endpoint: string,
    readonly code: string,
    hint: string,
    /** For ETIMEDOUT: how long the request waited. */
    timeoutMs?: number,
  ) {
    super(`cannot reach ${service} at ${endpoint}: ${UnreachableError.cause(code, timeoutMs)}; ${hint}`, "config");
  }

  /** What happened, in words, with its code. */
  private static cause(code: string, timeoutMs: number | undefined): string {
    if (code === "ETIMEDOUT") return `no answer within ${Math.round((timeoutMs ?? 0) / 1000)} s (ETIMEDOUT)`;
    return `${code === "ECONNREFUSED" ? "connection refused" : "host not found"} (${code})`;
  }
}
