import { UserError } from "../../errors.js";

/**
 * Nothing answers at the endpoint (connection refused, unknown host): a setting to fix, not a
 * bug and not worth retrying. One line naming the service, the endpoint and what to check; exit 1.
 */
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
