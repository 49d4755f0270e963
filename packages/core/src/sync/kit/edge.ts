/**
 * A live client's edge: every request it sends goes through `call` — one retry layer, one
 * classifier, one concurrency limit, and the one message for an endpoint that does not answer.
 * A client holds one LiveEdge; the engine's bounds (deadline, Ctrl-C, retry settings) reach it
 * through the call's context.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ReadContext, WriteContext } from "../types.js";
import { classify, networkCode, UNREACHABLE_CODES, type ErrorShape, type Verdict } from "./classify.js";
import { probeEndpoint } from "./probe.js";
import { ServiceError, UnreachableError } from "./errors.js";
import { FIRST_ANSWER_TIMEOUT_MS, REQUEST_TIMEOUT_MS, RequestTimeoutError, withTimeout } from "./timeout.js";
import { mapLimit } from "./limit.js";
import { DEFAULT_RETRY, retrying, type CallBounds, type RetryHooks, type RetryNotice, type RetryOutcome, type RetryPolicy } from "./retry.js";

export interface EdgeOptions {
  /** The service, as messages name it (the provider's display name for its API). */
  service: string;
  /** The endpoint messages name (default: the address in the error, else "its endpoint"). */
  endpoint?: string;
  /** What to check when the endpoint does not answer (the option and variables that set it). */
  endpointHint?: string;
  /** The provider's mapping of its SDK's errors. Network codes on the error or its causes are found without it. */
  shape?: (e: unknown) => ErrorShape;
  retry?: Partial<RetryPolicy>;
  /** Requests in flight at once through `map` (default 8). */
  parallelism?: number;
  /** The request time bounds (default FIRST_ANSWER_TIMEOUT_MS, REQUEST_TIMEOUT_MS: see timeout.ts). */
  firstAnswerTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** For tests: random source and sleep of the retry layer. */
  random?: RetryHooks["random"];
  sleep?: RetryHooks["sleep"];
}

/** A call's context: the engine's bounds and retry settings (these win over the client's). */
export interface CallContext extends CallBounds {
  retry?: Partial<RetryPolicy>;
  /** The engine operation's retry counter (ReadContext.onRetry). */
  onRetry?: () => void;
  /** The engine operation's retry watcher (ReadContext.onBackoff): progress displays. */
  onBackoff?: (notice: RetryNotice) => void;
}

const ADDRESS = /\b(ECONNREFUSED|ENOTFOUND|EAI_NONAME|EHOSTUNREACH|ENETUNREACH)\s+(\S+)/;

/** The messages of an error and of its causes. */
function messages(e: unknown, depth = 0): string[] {
  if (e === null || typeof e !== "object" || depth > 4) return [];
  const x = e as { message?: unknown; cause?: unknown; errors?: unknown };
  const inner = Array.isArray(x.errors) ? x.errors.flatMap((i) => messages(i, depth + 1)) : [];
  return [typeof x.message === "string" ? x.message : "", ...inner, ...messages(x.cause, depth + 1)];
}

export class LiveEdge {
  /** Requests sent through this edge (every attempt counts). */
  requests = 0;
  readonly policy: RetryPolicy;
  readonly parallelism: number;

  /** The context of the engine's operation in progress (a read, a listing, one write): concurrent writes each have their own. */
  private readonly ambient = new AsyncLocalStorage<CallContext>();

  constructor(readonly o: EdgeOptions) {
    this.policy = { ...DEFAULT_RETRY, ...defined(o.retry ?? {}) };
    this.parallelism = o.parallelism ?? 8;
  }

  /** The provider's shape, with the network code filled in from the error's causes. */
  shape(e: unknown): ErrorShape {
    if (e instanceof RequestTimeoutError) return { code: e.code, message: e.message, ...(e.first ? { unanswered: true } : {}) };
    const s = this.o.shape?.(e) ?? {};
    const code = s.code ?? networkCode(e);
    const message =
      s.message ?? (e instanceof Error ? e.message : typeof e === "object" && e !== null ? String((e as { message?: unknown }).message ?? "") : String(e));
    return { ...s, ...(code !== undefined ? { code } : {}), message };
  }

  /** Worth another attempt (for callers that poll, e.g. work requests)? */
  retryable(e: unknown): boolean {
    return classify(this.shape(e)) === "retry";
  }

  /**
   * Run one engine operation (LiveClient.read / listManaged / write) with its context: every
   * `call` inside it, however deep, gets the engine's deadline, signal and retry settings.
   */
  within<T>(ctx: ReadContext | WriteContext | undefined, fn: () => Promise<T>): Promise<T> {
    const c: CallContext = {
      ...(ctx?.retry ? { retry: ctx.retry } : {}),
      ...(ctx?.signal ? { signal: ctx.signal } : {}),
      ...(ctx?.onRetry ? { onRetry: ctx.onRetry } : {}),
      ...(ctx?.onBackoff ? { onBackoff: ctx.onBackoff } : {}),
      ...(ctx && "deadline" in ctx ? { deadlineAt: Date.now() + ctx.deadline } : {}),
    };
    return this.ambient.run(c, fn);
  }

  /** The bounds in force here: the engine operation's, overridden by the call's own. */
  bounds(ctx: CallContext = {}): CallContext {
    const outer = this.ambient.getStore() ?? {};
    const retry = { ...outer.retry, ...ctx.retry };
    return { ...outer, ...ctx, ...(Object.keys(retry).length ? { retry } : {}) };
  }

  /** One request, retried by the one policy; an endpoint that does not answer fails at once with UnreachableError. */
  call<T>(fn: () => Promise<T>, callCtx: CallContext = {}): Promise<T> {
    const ctx = this.bounds(callCtx);
    const policy = { ...this.policy, ...defined(ctx.retry ?? {}) };
    const hooks: RetryHooks = {
      shape: (e) => this.shape(e),
      onAttempt: (n) => {
        this.requests++;
        if (n > 1) ctx.onRetry?.();
      },
      ...(ctx.onBackoff ? { onBackoff: ctx.onBackoff } : {}),
      recheck: (_e, sh) => this.recheck(sh),
      ...(this.o.random ? { random: this.o.random } : {}),
      ...(this.o.sleep ? { sleep: this.o.sleep } : {}),
    };
    return retrying(
      () => this.timed(fn),
      policy,
      ctx,
      hooks,
      (o) => this.giveUp(o),
    );
  }

  /** Has the endpoint answered a request yet (any HTTP status)? */
  private answered = false;

  /** One attempt within its time bound: short until the endpoint has answered once (timeout.ts). */
  private async timed<T>(fn: () => Promise<T>): Promise<T> {
    const first = !this.answered;
    const ms = first ? (this.o.firstAnswerTimeoutMs ?? FIRST_ANSWER_TIMEOUT_MS) : (this.o.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
    try {
      const v = await withTimeout(fn, ms, first);
      this.answered = true;
      return v;
    } catch (e) {
      if (!(e instanceof RequestTimeoutError) && (this.shape(e).status ?? 0) > 0) this.answered = true;
      throw e;
    }
  }

  /** fn over items, at most `parallelism` at once; results in order. */
  map<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
    return mapLimit(items, this.parallelism, fn);
  }

  /** Retries ran out on an error worth retrying: say so in one line (exit 1), the last error as the cause. */
  private exhausted(o: RetryOutcome): ServiceError {
    const last = (o.error instanceof Error ? o.error.message : String((o.error as { message?: unknown })?.message ?? o.error)).split("\n")[0];
    const s = (ms: number) => `${Math.ceil(ms / 1000)} s`;
    const why =
      o.reason === "retry-after"
        ? `it asks to wait ${s(o.waitMs ?? 0)} (Retry-After), more than the ${s(this.policy.maxRetryAfterMs)} pipeglot waits`
        : o.reason === "deadline"
          ? `no time left before the deadline (--timeout) for another attempt`
          : `still failing after ${o.attempts} attempts`;
    return new ServiceError(`${this.o.service}: ${why}: ${last}`, o.error);
  }

  /** Codes found by probing endpoints (a request without an answer whose SDK dropped the cause). */
  private readonly probed = new Map<string, Promise<string | undefined>>();

  /** A request got no answer and its error does not say why: one TCP connect to the endpoint tells a refusal. */
  private async recheck(s: ErrorShape): Promise<Verdict | undefined> {
    const url = /https?:\/\/[^\s/?#]+/i.exec(s.endpoint ?? this.o.endpoint ?? "")?.[0];
    if (url === undefined) return undefined;
    const origin = originOf(url);
    let p = this.probed.get(origin);
    if (!p) this.probed.set(origin, (p = probeEndpoint(origin)));
    const code = await p;
    if (code === undefined) {
      this.probed.delete(origin); // answered: probe again next time
      return undefined;
    }
    this.refusals.set(origin, code);
    return "unreachable";
  }

  /** endpoint origin → the refusal code a probe found. */
  private readonly refusals = new Map<string, string>();

  private giveUp(o: RetryOutcome): never {
    if (o.verdict === "retry" && o.reason !== "aborted") throw this.exhausted(o);
    if (o.verdict !== "unreachable") throw o.error;
    const hint = this.o.endpointHint ?? "check the endpoint and that the service is up";
    if (o.error instanceof RequestTimeoutError) throw new UnreachableError(this.o.service, this.o.endpoint ?? "its endpoint", o.error.code, hint, o.error.ms);
    const s = this.shape(o.error);
    const found = messages(o.error)
      .map((m) => ADDRESS.exec(m))
      .find((m) => m !== null);
    const endpoint = this.o.endpoint ?? found?.[2] ?? s.endpoint ?? "its endpoint";
    const probedCode = (s.endpoint ?? this.o.endpoint) ? this.refusals.get(originOf(s.endpoint ?? this.o.endpoint!)) : undefined;
    const code = s.code !== undefined && UNREACHABLE_CODES.has(s.code) ? s.code : (found?.[1] ?? probedCode ?? "ECONNREFUSED");
    throw new UnreachableError(this.o.service, endpoint, code, hint);
  }
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
