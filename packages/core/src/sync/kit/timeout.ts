/**
 * The time bound of one request, the same on every cloud (the SDKs' own limits differ: none, 60 s,
 * 300 s). Until an endpoint has answered once, a request it leaves unanswered for
 * FIRST_ANSWER_TIMEOUT_MS ends the command: nothing answers there (a wrong port, a firewall, a
 * host that swallows connections), and retrying would only multiply the wait. Once it has
 * answered, a request unanswered for REQUEST_TIMEOUT_MS is a dropped one, retried like any other.
 * An answer is any HTTP status, an error's included. docs/live-sync.md states both figures.
 */

/** Milliseconds an endpoint that has not answered yet gets to answer a request. */
export const FIRST_ANSWER_TIMEOUT_MS = 10_000;
/** Milliseconds an endpoint that has answered before gets to answer one request (then it is retried). */
export const REQUEST_TIMEOUT_MS = 60_000;

/** A request got no answer in time (code ETIMEDOUT). `first`: the endpoint has never answered. */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
  readonly code = "ETIMEDOUT";
  constructor(
    readonly ms: number,
    readonly first: boolean,
  ) {
    super(`no answer within ${Math.round(ms / 1000)} s (ETIMEDOUT)`);
  }
}

/**
 * fn, or a RequestTimeoutError after `ms`. The request itself is not cancelled (the SDKs take no
 * common signal): its late outcome is ignored, and its socket is the SDK's to close.
 */
export async function withTimeout<T>(fn: () => Promise<T>, ms: number, first: boolean): Promise<T> {
  const request = fn();
  request.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(ms, first)), ms);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
