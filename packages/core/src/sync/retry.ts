/**
 * One retry mechanism for every live call: exponential backoff with jitter (p-retry), bounded in
 * attempts and, optionally, in time; a server's `retryAfterMs` (HTTP Retry-After) is waited out.
 * The error that ends the retries is rethrown as it was (clients and callers inspect its fields).
 */
import pRetry, { AbortError } from "p-retry";

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Worth another attempt (throttling, 5xx, dropped connections)? */
  retryable(error: unknown): boolean;
  /** Give up once this many milliseconds have passed. */
  maxRetryTimeMs?: number;
}

export async function withRetries<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  let last: unknown;
  try {
    return await pRetry(
      async () => {
        try {
          return await fn();
        } catch (e) {
          last = e;
          const err = e instanceof Error ? e : new Error(String(e));
          throw o.retryable(e) ? err : new AbortError(err);
        }
      },
      {
        retries: o.retries,
        minTimeout: o.minBackoffMs,
        maxTimeout: o.maxBackoffMs,
        factor: 2,
        randomize: true,
        ...(o.maxRetryTimeMs !== undefined ? { maxRetryTime: o.maxRetryTimeMs } : {}),
        onFailedAttempt: async () => {
          const after = (last as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
          if (typeof after === "number" && after > 0) await new Promise((r) => setTimeout(r, after));
        },
      },
    );
  } catch {
    throw last;
  }
}
