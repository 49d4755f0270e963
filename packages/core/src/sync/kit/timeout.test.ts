/**
 * The request time bound (timeout.ts) and the retry notices progress displays show: an endpoint
 * that never answered fails at its first unanswered request, naming the endpoint and the wait; once
 * it has answered, an unanswered request is retried; each retry is announced with its reason.
 */
import { describe, expect, it } from "vitest";
import { LiveEdge } from "./edge.js";
import { UnreachableError } from "./errors.js";
import { retryReason, type RetryNotice } from "./retry.js";

class Http extends Error {
  constructor(
    readonly status: number,
    readonly code?: string,
  ) {
    super(`HTTP ${status}`);
  }
}
/** As a provider maps its SDK's errors: a throttling code is its service's "try again". */
const shape = (e: unknown) =>
  e instanceof Http ? { status: e.status, ...(e.code ? { code: e.code } : {}), ...(e.code === "ThrottlingException" ? { transient: true } : {}) } : {};
const never = () => new Promise<never>(() => undefined);

function edge(o: { first?: number; later?: number } = {}) {
  return new LiveEdge({
    service: "Test API",
    endpoint: "http://127.0.0.1:9",
    endpointHint: "check --endpoint",
    shape,
    firstAnswerTimeoutMs: o.first ?? 30,
    requestTimeoutMs: o.later ?? 30,
    random: () => 0.5,
    sleep: async () => undefined,
  });
}

describe("the request time bound", () => {
  it("an endpoint that never answered: the first unanswered request fails at once, one line naming it and the wait", async () => {
    const e = edge({ first: 40 });
    let sent = 0;
    const err = await e
      .call(() => {
        sent++;
        return never();
      })
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toBe("cannot reach Test API at http://127.0.0.1:9: no answer within 0 s (ETIMEDOUT); check --endpoint");
    expect(sent).toBe(1);
  });

  it("the message says the bound in seconds", async () => {
    const e = new LiveEdge({ service: "S", endpoint: "http://h", endpointHint: "hint", firstAnswerTimeoutMs: 1_400 });
    await expect(e.call(never)).rejects.toThrow("cannot reach S at http://h: no answer within 1 s (ETIMEDOUT); hint");
  });

  it("once the endpoint has answered (an error status counts), an unanswered request is retried", async () => {
    const e = edge();
    await expect(e.call(() => Promise.reject(new Http(404)))).rejects.toBeInstanceOf(Http);
    let n = 0;
    const v = await e.call(() => (n++ === 0 ? never() : Promise.resolve("late but there")));
    expect(v).toBe("late but there");
    expect(n).toBe(2);
  });
});

describe("retry notices", () => {
  it("say the reason, the attempt and the wait before each retry (never the error's message)", async () => {
    const e = edge();
    const notices: RetryNotice[] = [];
    const errors = [new Http(429), new Http(503, "ServiceUnavailable"), new Http(400, "ThrottlingException")];
    let i = 0;
    const v = await e.within({ onBackoff: (n) => notices.push(n), retry: { attempts: 5, minBackoffMs: 100, maxBackoffMs: 1_000 } }, () =>
      e.call(() => (i < errors.length ? Promise.reject(errors[i++]!) : Promise.resolve("ok"))),
    );
    expect(v).toBe("ok");
    expect(notices).toEqual([
      { attempt: 2, of: 5, reason: "throttled (HTTP 429)", waitMs: 75 },
      { attempt: 3, of: 5, reason: "ServiceUnavailable (HTTP 503)", waitMs: 150 },
      { attempt: 4, of: 5, reason: "throttled (ThrottlingException, HTTP 400)", waitMs: 300 },
    ]);
  });

  it("name a dropped connection by its code, and an error without one as no answer", () => {
    expect(retryReason({ code: "ECONNRESET", message: "socket hang up" })).toBe("ECONNRESET");
    expect(retryReason({ message: "fetch failed" })).toBe("no answer");
    expect(retryReason({ status: 500, code: "a message with spaces is not a code" })).toBe("HTTP 500");
  });
});
