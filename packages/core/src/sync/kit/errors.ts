import { UserError } from "../../errors.js";

/**
 * Nothing answers at the endpoint (connection refused, unknown host): a setting to fix, not a
 * bug and not worth retrying. One line naming the service, the endpoint and what to check; exit 1.
 */
/**
 * A service that kept failing with errors worth retrying (throttling, 5xx, dropped connections)
 * until the retries ran out: the cloud's trouble, not a bug in pipeglot. One line, exit 1; the
 * last error is the `cause`.
 */
export class ServiceError extends UserError {
  override readonly name = "ServiceError";
  constructor(message: string, cause: unknown) {
    super(message, 1);
    Object.defineProperty(this, "cause", { value: cause, enumerable: false });
  }
}

export class UnreachableError extends UserError {
  override readonly name = "UnreachableError";
  constructor(
    readonly service: string,
    readonly endpoint: string,
    readonly code: string,
    hint: string,
  ) {
    super(`cannot reach ${service} at ${endpoint}: ${code === "ECONNREFUSED" ? "connection refused" : "host not found"} (${code}); ${hint}`, 1);
  }
}
