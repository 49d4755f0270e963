/**
 * Errors of the Cloud Build API, whichever way they arrive: GaxiosError from the REST fallback
 * (`code`/`status` = HTTP status, the message = Google's error JSON), gax GoogleError with gRPC
 * codes, or a dropped connection (ECONNRESET, "socket hang up"). They are turned into GcbApiError,
 * whose message holds the operation, the status and Google's message only (never request headers
 * or bodies, so no credential can leak into a plan or apply report).
 */

import { classify, networkCode, parseRetryAfter, type ErrorShape, kindOfStatus, PipeglotError } from "@pipeglot/core";

/** Retry-After from gaxios' response headers (a plain object or a Headers). */
function retryAfterOf(headers: unknown): number | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const h = headers as { get?: (n: string) => string | null } & Record<string, unknown>;
  const v = typeof h.get === "function" ? h.get("retry-after") : (h["retry-after"] ?? h["Retry-After"]);
  return typeof v === "string" ? parseRetryAfter(v) : undefined;
}

/** gRPC codes (google.rpc.Code) that mean "try again later". */
const GRPC_RETRYABLE = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 10 /* ABORTED */, 13 /* INTERNAL */, 14 /* UNAVAILABLE */]);
const GRPC_TO_HTTP: Record<number, number> = { 3: 400, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 12: 501, 13: 500, 14: 503, 16: 401, 4: 504 };
/** A dropped connection known only by its message (gaxios, undici): read as ECONNRESET. */
const NET_TEXT = /socket hang up|ECONNRESET|other side closed|fetch failed|network error|EPIPE/i;
/** Google's canonical statuses that mean "try again later". */
const TRANSIENT_STATUS = new Set(["RESOURCE_EXHAUSTED", "UNAVAILABLE", "DEADLINE_EXCEEDED"]);

export class GcbApiError extends PipeglotError {
  override readonly name = "GcbApiError";
  constructor(
    message: string,
    /** HTTP status; 0 for a connection that failed before an answer. */
    readonly status: number,
    /** Google's canonical status (NOT_FOUND, RESOURCE_EXHAUSTED, ...), when the answer had one. */
    readonly googleStatus?: string,
    /** The answer's Retry-After, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message, kindOfStatus(status));
  }
}

interface ErrLike {
  code?: unknown;
  status?: unknown;
  message?: unknown;
  response?: { status?: number; data?: unknown; headers?: unknown };
  cause?: unknown;
  details?: unknown;
}

function googleError(data: unknown): { status?: string; message?: string } | undefined {
  let d = data;
  if (typeof d === "string") {
    try {
      d = JSON.parse(d);
    } catch {
      return undefined;
    }
  }
  const e = (d as { error?: { status?: string; message?: string } } | undefined)?.error;
  return e && typeof e === "object" ? e : undefined;
}

/** The network code (core's lists, on the error or a cause), else ECONNRESET for a dropped connection known by its message. */
function netCode(e: unknown, depth = 0): string | undefined {
  const code = networkCode(e);
  if (code) return code;
  if (!e || typeof e !== "object" || depth > 4) return undefined;
  const x = e as ErrLike;
  if (typeof x.message === "string" && NET_TEXT.test(x.message)) return "ECONNRESET";
  return netCode(x.cause, depth + 1);
}

/** Any error from a Cloud Build call → GcbApiError (already one: unchanged). */
export function toApiError(e: unknown, op: string): GcbApiError {
  if (e instanceof GcbApiError) return e;
  const x = (e ?? {}) as ErrLike;
  let status = typeof x.response?.status === "number" ? x.response.status : typeof x.status === "number" ? x.status : 0;
  if (!status && typeof x.code === "number") status = x.code >= 100 ? x.code : (GRPC_TO_HTTP[x.code] ?? 500);
  const g = googleError(x.response?.data) ?? (typeof x.message === "string" ? googleError(x.message.replace(/^[^{]*/, "")) : undefined);
  const net = status ? undefined : netCode(e);
  let text: string;
  if (g?.message) text = `${g.status ?? status}: ${g.message}`;
  else if (net) text = `connection failed (${net})`;
  else if (status) text = `HTTP ${status}`;
  else text = typeof x.message === "string" ? x.message.split("\n")[0]!.slice(0, 300) : String(e);
  const err = new GcbApiError(`Cloud Build ${op}: ${text}`, status, g?.status, retryAfterOf(x.response?.headers));
  if (net) Object.assign(err, { network: net });
  return err;
}

export const isNotFound = (e: unknown): boolean => toApiError(e, "").status === 404 || (e as ErrLike)?.code === 5;
export const isAlreadyExists = (e: unknown): boolean => toApiError(e, "").status === 409 || (e as ErrLike)?.code === 6;

/** A Cloud Build failure as core's classifier reads it (status, network code, Google's transient statuses). */
export function errorShape(e: unknown): ErrorShape {
  const x = (e ?? {}) as ErrLike;
  const grpc = typeof x.code === "number" && x.code < 100 ? x.code : undefined;
  const err = toApiError(e, "");
  const network = (err as GcbApiError & { network?: string }).network;
  return {
    ...(err.status ? { status: err.status } : {}),
    ...(network ? { code: network } : {}),
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    transient: (err.googleStatus !== undefined && TRANSIENT_STATUS.has(err.googleStatus)) || (grpc !== undefined && GRPC_RETRYABLE.has(grpc)),
    message: err.message,
  };
}

/** Throttling (429 / RESOURCE_EXHAUSTED), 5xx, timeouts and dropped connections: core's one classifier. */
export const retryable = (e: unknown): boolean => classify(errorShape(e)) === "retry";
