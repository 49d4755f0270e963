/**
 * The plumbing every provider emulator shares: one node:http server per provider, request
 * counting, fault injection (latency, throttling, 5xx, dropped connections), and clean shutdown.
 * A provider only supplies a {@link ProtocolHandler}: how to name an operation, how to answer it,
 * and what its throttling / server errors look like on the wire.
 */
import { setMaxListeners } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { RequestCounters } from "./counters.js";
import type { FaultController } from "./faults.js";
import type { Json } from "./json.js";

export interface EmulatorRequest {
  method: string;
  /** Decoded path without the query string, e.g. "/v1/projects/p/locations/l/triggers". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** A Json value is serialized with JSON.stringify; a string is sent as is. */
  body?: Json | string;
}

export interface ProtocolHandler {
  /** The operation a request calls (counter key), e.g. "CodePipeline.GetPipeline". */
  operation(req: EmulatorRequest): string;
  handle(req: EmulatorRequest, operation: string): EmulatorResponse | Promise<EmulatorResponse>;
  /** The provider's answer to an injected fault, or to an exception inside `handle` ("internal"). */
  faultResponse(kind: "throttle" | "error" | "internal", operation: string, req: EmulatorRequest): EmulatorResponse;
}

export interface ListenOptions {
  host: string;
  port: number;
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** Base URL, e.g. "http://127.0.0.1:43123". */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RangeError(`request body larger than ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, r: EmulatorResponse): void {
  const body = r.body === undefined ? "" : typeof r.body === "string" ? r.body : JSON.stringify(r.body);
  const headers: Record<string, string> = { ...(r.headers ?? {}) };
  headers["content-length"] = String(Buffer.byteLength(body));
  res.writeHead(r.status, headers);
  res.end(body);
}

function outcomeOf(status: number): "ok" | "clientErrors" | "serverErrors" {
  if (status < 400) return "ok";
  return status < 500 ? "clientErrors" : "serverErrors";
}

/** Start one emulator server. Port 0 picks a free port. */
export async function serve(handler: ProtocolHandler, listen: ListenOptions, faults: FaultController, counters: RequestCounters): Promise<RunningServer> {
  const stopping = new AbortController();
  // Every in-flight request's latency sleep listens on this signal: many at once is normal here.
  setMaxListeners(0, stopping.signal);

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const request: EmulatorRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.alloc(0),
    };
    request.body = await readBody(req);
    const op = handler.operation(request);
    counters.received(op);
    const { latencyMs } = faults.get();
    const decision = faults.decide();
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal: stopping.signal });
    if (decision === "drop") {
      counters.record(op, "dropped");
      req.socket.destroy();
      return;
    }
    if (decision === "throttle" || decision === "error") {
      counters.record(op, decision === "throttle" ? "throttled" : "serverErrors");
      send(res, handler.faultResponse(decision, op, request));
      return;
    }
    let answer: EmulatorResponse;
    try {
      answer = await handler.handle(request, op);
    } catch (err) {
      answer = handler.faultResponse("internal", op, request);
      process.emitWarning(`emulator: ${op} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    counters.record(op, outcomeOf(answer.status));
    send(res, answer);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      // Aborted latency on close, oversized body, or a client gone away: nothing left to answer.
      if (!res.headersSent && !res.destroyed) res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    url: `http://${hostForUrl}:${address.port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
