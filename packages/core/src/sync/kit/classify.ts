/**
 * The one classifier of failed cloud calls. Providers map their SDK's error to an ErrorShape
 * (status, code, Retry-After, and their service's own "try again" codes); this decides what the
 * retry layer does with it.
 */

/** What a provider knows about one failed request. */
export interface ErrorShape {
  /** HTTP status of the answer; undefined when no answer came. */
  status?: number;
  /** A network error code (ECONNRESET...) or the service's error code (ThrottlingException...). */
  code?: string;
  /** The server said when to come back (HTTP Retry-After, x-ratelimit-delay...). */
  retryAfterMs?: number;
  /** The service's own "try again" (throttling codes, a 409 for a resource in a passing state, gRPC UNAVAILABLE). */
  transient?: boolean;
  /** The error's message (network errors are sometimes recognisable only by it). */
  message?: string;
  /** The URL the request went to, when the SDK says (for the refused-connection check and message). */
  endpoint?: string;
  /** Nothing has ever answered at the endpoint and this request got no answer either (kit/timeout.ts): not retried. */
  unanswered?: boolean;
}

/** retry: worth another attempt · unreachable: nothing listens there (not retried) · final: give up. */
export type Verdict = "retry" | "unreachable" | "final";

/** Dropped or timed-out connections: the request may or may not have arrived; worth another attempt. */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ECONNABORTED",
  "ESOCKETTIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ERR_STREAM_PREMATURE_CLOSE",
  "TimeoutError",
  "RequestTimeout",
]);

/** Nothing listens at the endpoint, or its name does not resolve: retrying will not help; the user must fix it. */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_NONAME", "EAI_FAIL", "EHOSTUNREACH", "ENETUNREACH"]);

const TRANSIENT_TEXT = /socket hang up|other side closed|\b(ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|ECONNABORTED)\b/i;
const UNREACHABLE_TEXT = /\b(ECONNREFUSED|ENOTFOUND|EAI_NONAME|EHOSTUNREACH|ENETUNREACH)\b/;

/** Status codes worth another attempt: timeouts, throttling and server errors (501/505: never). */
export const retryableStatus = (s: number): boolean => s === 408 || s === 429 || (s >= 500 && s !== 501 && s !== 505);

export function classify(s: ErrorShape): Verdict {
  if (s.unanswered) return "unreachable";
  if (s.status !== undefined && s.status > 0) return s.transient || retryableStatus(s.status) ? "retry" : "final";
  if (s.code !== undefined && UNREACHABLE_CODES.has(s.code)) return "unreachable";
  if (s.transient || (s.code !== undefined && TRANSIENT_NETWORK_CODES.has(s.code))) return "retry";
  const m = s.message ?? "";
  if (UNREACHABLE_TEXT.test(m)) return "unreachable";
  return TRANSIENT_TEXT.test(m) ? "retry" : "final";
}

/** The network code of an error or of one of its causes (Node puts it on `code`, undici on `cause.code`). */
export function networkCode(e: unknown, depth = 0): string | undefined {
  if (e === null || typeof e !== "object" || depth > 4) return undefined;
  const x = e as { code?: unknown; errno?: unknown; cause?: unknown; errors?: unknown };
  if (typeof x.code === "string" && (TRANSIENT_NETWORK_CODES.has(x.code) || UNREACHABLE_CODES.has(x.code))) return x.code;
  // AggregateError (happy eyeballs: every address refused).
  if (Array.isArray(x.errors))
    for (const inner of x.errors) {
      const c = networkCode(inner, depth + 1);
      if (c) return c;
    }
  return networkCode(x.cause, depth + 1);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(v: string | undefined, now = Date.now()): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
