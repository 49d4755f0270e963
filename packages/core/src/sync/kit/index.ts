/** The live-client kit: what every provider's live client is built from (ARCHITECTURE.md, invariant 4). */
export {
  classify,
  networkCode,
  parseRetryAfter,
  retryableStatus,
  TRANSIENT_NETWORK_CODES,
  UNREACHABLE_CODES,
  type ErrorShape,
  type Verdict,
} from "./classify.js";
export {
  backoff,
  clientRetry,
  DEFAULT_RETRY,
  retrying,
  retryOverrides,
  retryReason,
  type CallBounds,
  type ClientRetryOptions,
  type RetryHooks,
  type RetryNotice,
  type RetryOutcome,
  type RetryPolicy,
} from "./retry.js";
export { LiveEdge, type CallContext, type EdgeOptions } from "./edge.js";
export { ServiceError, UnreachableError } from "./errors.js";
export { FIRST_ANSWER_TIMEOUT_MS, REQUEST_TIMEOUT_MS, RequestTimeoutError } from "./timeout.js";
export { conflict, guardVersion, isConflict, versionConflict } from "./guard.js";
export { limiter, mapLimit } from "./limit.js";
export { OWNERSHIP } from "./ownership.js";
