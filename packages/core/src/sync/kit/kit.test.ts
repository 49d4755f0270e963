/**
 * The live-client kit: the one retry layer (Retry-After obeyed, jitter bounded, non-retryable
 * errors stop at once, deadline and attempts bound it), the classifier, the refused-connection
 * message, the version guard and the concurrency limit.
 */
import { describe, expect, it } from "vitest";
import { ConflictError } from "../types.js";
import { classify, parseRetryAfter } from "./classify.js";
import { LiveEdge } from "./edge.js";
import { ServiceError, UnreachableError } from "./errors.js";
import { guardVersion } from "./guard.js";
import { mapLimit } from "./limit.js";
import { backoff } from "./retry.js";

class Http extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}`);
  }
}
const shape = (e: unknown) => (e instanceof Http ? { status: e.status, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) } : {});

/** An edge whose sleeps are recorded, not waited. */
function rig(retry = {}, random = () => 0.5) {
  const waits: number[] = [];
  const edge = new LiveEdge({ service: "Test API", shape, retry, random, sleep: async (ms) => void waits.push(ms) });
  return { edge, waits };
}
const failing = (errors: unknown[]) => {
  let i = 0;
  return async () => {
    const e = errors[Math.min(i++, errors.length - 1)];
    if (e === "ok") return "ok";
    throw e;
  };
};

describe("the retry layer", () => {
  it("retries 5xx/429/408 up to the attempts, then fails in one line (ServiceError, exit 1) with the last error as its cause", async () => {
    const { edge, waits } = rig({ attempts: 4, minBackoffMs: 100, maxBackoffMs: 1000 });
    const last = new Http(503);
    const e = await edge.call(failing([new Http(500), new Http(429), new Http(408), last])).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ServiceError);
    expect(e).toMatchObject({ message: "Test API: still failing after 4 attempts: HTTP 503", exitCode: 1, cause: last });
    expect(edge.requests).toBe(4);
    expect(waits).toEqual([75, 150, 300]); // b/2 + b/2·0.5 for b = 100, 200, 400
  });

  it("stops at once on an error that is not retryable (4xx, a conflict, a bug)", async () => {
    for (const e of [new Http(400), new Http(404), new Http(409), new Http(501), new ConflictError("x"), new TypeError("bug")]) {
      const { edge, waits } = rig();
      await expect(edge.call(failing([e]))).rejects.toBe(e);
      expect(edge.requests).toBe(1);
      expect(waits).toEqual([]);
    }
  });

  it("obeys Retry-After instead of its own backoff, and gives up on one longer than maxRetryAfterMs", async () => {
    const { edge, waits } = rig({ minBackoffMs: 10, maxRetryAfterMs: 30_000 });
    expect(await edge.call(failing([new Http(429, 2_000), new Http(503, 7_000), "ok"]))).toBe("ok");
    expect(waits).toEqual([2_000, 7_000]);
    const long = rig({ maxRetryAfterMs: 30_000 });
    await expect(long.edge.call(failing([new Http(429, 60_000), "ok"]))).rejects.toThrow(
      "Test API: it asks to wait 60 s (Retry-After), more than the 30 s pipeglot waits: HTTP 429",
    );
    expect(long.edge.requests).toBe(1);
  });

  it("keeps every wait within [b/2, b], b doubling from minBackoffMs up to maxBackoffMs", () => {
    const p = { minBackoffMs: 200, maxBackoffMs: 5_000 };
    for (let n = 1; n <= 10; n++) {
      const b = Math.min(5_000, 200 * 2 ** (n - 1));
      expect(backoff(n, p, () => 0)).toBe(b / 2);
      expect(backoff(n, p, () => 0.999999)).toBeLessThanOrEqual(b);
      for (let i = 0; i < 50; i++) {
        const w = backoff(n, p);
        expect(w).toBeGreaterThanOrEqual(b / 2);
        expect(w).toBeLessThanOrEqual(b);
      }
    }
  });

  it("starts no wait that would end after the deadline, and no retry once aborted", async () => {
    const { edge, waits } = rig({ attempts: 10, minBackoffMs: 1_000 });
    await expect(edge.call(failing([new Http(503)]), { deadlineAt: Date.now() + 1_000 })).rejects.toThrow(/no time left before the deadline/);
    expect(waits).toEqual([750]); // the next wait (1500) would pass the deadline
    const ac = new AbortController();
    ac.abort();
    const b = rig({ attempts: 10 });
    await expect(b.edge.call(failing([new Http(503)]), { signal: ac.signal })).rejects.toBeInstanceOf(Http);
    expect(b.edge.requests).toBe(1);
  });

  it("the call's context overrides the client's policy (the engine's settings win)", async () => {
    const { edge } = rig({ attempts: 2 });
    await expect(edge.call(failing([new Http(500)]), { retry: { attempts: 6 } })).rejects.toBeInstanceOf(ServiceError);
    expect(edge.requests).toBe(6);
  });

  it("a refused connection fails at once with a one-line UserError naming the service and the endpoint", async () => {
    const { edge, waits } = rig();
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const e = await edge.call(failing([refused])).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreachableError);
    expect((e as UnreachableError).exitCode).toBe(1);
    expect((e as Error).message).toBe("cannot reach Test API at 127.0.0.1:9: connection refused (ECONNREFUSED); check the endpoint and that the service is up");
    expect(edge.requests).toBe(1);
    expect(waits).toEqual([]);
    // undici's shape: fetch failed, the code on the cause.
    const viaCause = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("getaddrinfo ENOTFOUND nope.invalid"), { code: "ENOTFOUND" }),
    });
    expect(((await edge.call(failing([viaCause])).catch((x: unknown) => x)) as Error).message).toMatch(
      /^cannot reach Test API at nope\.invalid: host not found \(ENOTFOUND\)/,
    );
  });
});

describe("the classifier", () => {
  it("sorts statuses, network codes and messages", () => {
    expect(classify({ status: 503 })).toBe("retry");
    expect(classify({ status: 400, transient: true })).toBe("retry");
    expect(classify({ status: 400, code: "ECONNRESET" })).toBe("final");
    for (const code of ["ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "UND_ERR_SOCKET"]) expect(classify({ code })).toBe("retry");
    for (const code of ["ECONNREFUSED", "ENOTFOUND"]) expect(classify({ code })).toBe("unreachable");
    expect(classify({ message: "socket hang up" })).toBe("retry");
    expect(classify({ message: "connect ECONNREFUSED 127.0.0.1:1" })).toBe("unreachable");
    expect(classify({ message: "Invalid input" })).toBe("final");
  });
  it("reads Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("3")).toBe(3_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});

describe("guardVersion and mapLimit", () => {
  it("one conflict message form", () => {
    expect(() => guardVersion("codepipeline.Pipeline/shop", "3", "3")).not.toThrow();
    expect(() => guardVersion("codepipeline.Pipeline/shop", "3", "4")).toThrow(
      new ConflictError("codepipeline.Pipeline/shop changed since the plan read it (at version 4, the plan read 3); nothing was written. Run plan again."),
    );
  });
  it("keeps results in order with at most n in flight", async () => {
    let inFlight = 0;
    let max = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (x) => {
      max = Math.max(max, ++inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(max).toBe(2);
  });
});
