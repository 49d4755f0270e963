/**
 * The one retry layer of every cloud request: exponential backoff with jitter, a server's
 * Retry-After obeyed, bounded by attempts, by the deadline and by an abort signal. The SDKs' own
 * retries are off, so the attempts here are the requests sent.
 */
import { setTimeout as delay } from "node:timers/promises";
import { classify, type ErrorShape, type Verdict } from "./classify.js";

export interface RetryPolicy {
  /** Requests sent at most, the first one included. */
  attempts: number;
  /** Backoff before retry n (n = 1, 2...) is drawn from [b/2, b], b = min(maxBackoffMs, minBackoffMs·2^(n-1)). */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** A longer Retry-After than this ends the retries at once (the error is returned as it is). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = { attempts: 5, minBackoffMs: 200, maxBackoffMs: 5_000, maxRetryAfterMs: 60_000 };

/** Bounds of one call, from the engine (apply's deadline, Ctrl-C). */
export interface CallBounds {
  /** Epoch milliseconds after which no retry starts (a wait that would end later is not begun). */
  deadlineAt?: number;
  signal?: AbortSignal;
}

export interface RetryHooks {
  /** The provider's mapping of its SDK's error (default: nothing known but the message). */
  shape?: (e: unknown) => ErrorShape;
  /** Called for every attempt made (request counters). */
  onAttempt?: (n: number) => void;
  /** Called before the wait that precedes another attempt: what failed, and when the next attempt goes. */
  onBackoff?: (notice: RetryNotice) => void;
  /** A second look at a retryable error that got no answer (e.g. probe the endpoint): may say "unreachable". */
  recheck?: (e: unknown, s: ErrorShape) => Promise<Verdict | undefined>;
  /** For tests: the random source in [0, 1) and the sleep. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Another attempt is coming: for progress displays (never a secret: a status, a code, or "no answer"). */
export interface RetryNotice {
  /** The attempt about to be made (2 for the first retry). */
  attempt: number;
  /** Attempts at most (the policy's). */
  of: number;
  /** Why: `HTTP 503`, `throttled (HTTP 429)`, `ECONNRESET`, `no answer`... */
  reason: string;
  /** Milliseconds before the attempt is sent. */
  waitMs: number;
}

/** A failed request's reason, as a progress line says it: status and codes only, never the message (it may quote a body). */
export function retryReason(s: ErrorShape): string {
  const code = s.code !== undefined && /^[A-Za-z0-9_.:-]{1,64}$/.test(s.code) ? s.code : undefined;
  if (s.status !== undefined && s.status > 0) {
    const http = `HTTP ${s.status}`;
    const throttled = s.status === 429 || /throttl|too ?many ?requests|rate ?exceeded|slow ?down/i.test(code ?? "");
    if (throttled) return code ? `throttled (${code}, ${http})` : `throttled (${http})`;
    return code ? `${code} (${http})` : http;
  }
  if (code) return code;
  return "no answer";
}

/** What ended a call: the last error, its verdict, the attempts made, and why no other was made. */
export interface RetryOutcome {
  error: unknown;
  verdict: Verdict;
  attempts: number;
  /** final: not retryable · attempts: all used · retry-after: the server asks for too long a wait · deadline: the wait would pass it · aborted: Ctrl-C. */
  reason: "final" | "attempts" | "retry-after" | "deadline" | "aborted";
  /** The wait that was not made (retry-after, deadline). */
  waitMs?: number;
}

/** The retry settings a live client takes: a policy override, or its shorthands (retries after the first attempt, the backoff). */
export interface ClientRetryOptions {
  /** The retry policy of every request (default: DEFAULT_RETRY); the engine's settings win. */
  retry?: Partial<RetryPolicy>;
  /** Retries after the first attempt. */
  readRetries?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** ClientRetryOptions as one policy override: only what is set. */
export function clientRetry(o: ClientRetryOptions): Partial<RetryPolicy> {
  return retryOverrides({
    retry: o.retry,
    attempts: o.readRetries === undefined ? undefined : o.readRetries + 1,
    minBackoffMs: o.minBackoffMs,
    maxBackoffMs: o.maxBackoffMs,
  });
}

/** A client's retry settings (its own option names folded in) as one policy override: only what is set. */
export function retryOverrides(o: {
  retry?: Partial<RetryPolicy> | undefined;
  attempts?: number | undefined;
  minBackoffMs?: number | undefined;
  maxBackoffMs?: number | undefined;
}): Partial<RetryPolicy> {
  return {
    ...o.retry,
    ...(o.attempts !== undefined ? { attempts: o.attempts } : {}),
    ...(o.minBackoffMs !== undefined ? { minBackoffMs: o.minBackoffMs } : {}),
    ...(o.maxBackoffMs !== undefined ? { maxBackoffMs: o.maxBackoffMs } : {}),
  };
}

/** The wait before retry `n` (1-based), jittered into [b/2, b]. */
export function backoff(n: number, p: Pick<RetryPolicy, "minBackoffMs" | "maxBackoffMs">, random: () => number = Math.random): number {
  const b = Math.min(p.maxBackoffMs, p.minBackoffMs * 2 ** (n - 1));
  return b / 2 + (b / 2) * random();
}

const defaultShape = (e: unknown): ErrorShape => ({ message: e instanceof Error ? e.message : String(e) });
const sleeping = (ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);

/**
 * Run `fn` until it succeeds, fails for good, or a bound is reached. Rejects with a RetryOutcome
 * only through `onGiveUp` (which decides what to throw); resolves with fn's value.
 */
export async function retrying<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  bounds: CallBounds,
  hooks: RetryHooks,
  onGiveUp: (o: RetryOutcome) => never,
): Promise<T> {
  const shape = hooks.shape ?? defaultShape;
  const random = hooks.random ?? Math.random;
  const sleep = hooks.sleep ?? sleeping;
  for (let n = 1; ; n++) {
    hooks.onAttempt?.(n);
    try {
      return await fn();
    } catch (e) {
      const s = shape(e);
      let verdict = classify(s);
      if (verdict === "retry" && n === 1 && s.status === undefined && s.code === undefined && hooks.recheck) verdict = (await hooks.recheck(e, s)) ?? verdict;
      const give = (reason: RetryOutcome["reason"], waitMs?: number) =>
        onGiveUp({ error: e, verdict, attempts: n, reason, ...(waitMs !== undefined ? { waitMs } : {}) });
      if (verdict !== "retry") give("final");
      if (bounds.signal?.aborted) give("aborted");
      if (n >= policy.attempts) give("attempts");
      let wait = backoff(n, policy, random);
      if (s.retryAfterMs !== undefined && s.retryAfterMs > 0) {
        if (s.retryAfterMs > policy.maxRetryAfterMs) give("retry-after", s.retryAfterMs);
        wait = s.retryAfterMs;
      }
      if (bounds.deadlineAt !== undefined && Date.now() + wait > bounds.deadlineAt) give("deadline", wait);
      hooks.onBackoff?.({ attempt: n + 1, of: policy.attempts, reason: retryReason(s), waitMs: Math.round(wait) });
      await sleep(wait, bounds.signal);
      if (bounds.signal?.aborted) give("aborted");
    }
  }
}
