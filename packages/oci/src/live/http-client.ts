/**
 * The HTTP client the OCI SDK sends its requests with (its `httpClient` parameter): node:http(s)
 * with keep-alive connections, instead of the SDK's FetchHttpClient. The SDK still builds every
 * request (path, query, headers, the JSON body from its models) and reads every answer (status,
 * headers, `json()`, `text()`, its OciError for a refusal); only the transport differs. Measured
 * in `npm run bench`: fetch's request and response objects and their web streams cost about a
 * millisecond of CPU per request, most of a sync's client time (#14).
 *
 * Requests are signed as FetchHttpClient signs them (ApiKeySigner, same headers, same order).
 * A request that gets no answer rejects with Node's error (its `code`, e.g. ECONNREFUSED), which the
 * SDK passes on as `{code, message, requestEndpoint}`.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { REQUEST_TIMEOUT_MS } from "@pipeglot/core";
import type { ApiKeySigner } from "./signer.js";

/** What oci-common hands its HTTP client (its HttpRequest). */
export interface SdkHttpRequest {
  method: string;
  uri: string;
  headers: Headers;
  body?: unknown;
}

/** The part of a fetch Response the SDK reads (oci-common's helper.js, retrier.js and each client method). */
export interface SdkHttpResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

class HeaderView {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  }
}

class BufferedResponse implements SdkHttpResponse {
  readonly headers: HeaderView;
  constructor(
    readonly status: number,
    readonly statusText: string,
    headers: IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.headers = new HeaderView(headers);
  }
  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }
  text(): Promise<string> {
    return Promise.resolve(this.body.toString("utf8"));
  }
  json(): Promise<unknown> {
    try {
      return Promise.resolve(JSON.parse(this.body.toString("utf8")) as unknown);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

/** The request body as bytes: the SDK serialises JSON bodies to a string before it sends. */
function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null || body === "") return undefined;
  if (typeof body === "string") return Buffer.from(body, "utf8");
  if (Buffer.isBuffer(body)) return body;
  throw new Error("pipeglot's OCI HTTP client sends only string bodies (the DevOps API's JSON)");
}

function headersOf(h: Headers, body: Buffer | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, name) => {
    out[name] = value;
  });
  if (body !== undefined) out["content-length"] = String(body.length);
  return out;
}

function exchange(options: RequestOptions, https: boolean, body: Buffer | undefined): Promise<BufferedResponse> {
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(options, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        resolve(new BufferedResponse(res.statusCode ?? -1, res.statusMessage ?? "", res.headers, Buffer.concat(chunks)));
      });
      res.on("error", reject);
    });
    // Core's bound on one request (its retry layer gives up on the request then): the socket goes with it.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(Object.assign(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}

export class NodeHttpClient {
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https = new HttpsAgent({ keepAlive: true });

  constructor(private readonly signer: ApiKeySigner) {}

  async send(req: SdkHttpRequest, forceExcludeBody = false): Promise<SdkHttpResponse> {
    const body = bodyBytes(req.body);
    const text = body?.toString("utf8");
    await this.signer.signHttpRequest({ method: req.method, uri: req.uri, headers: req.headers, body: forceExcludeBody ? undefined : text }, forceExcludeBody);
    const url = new URL(req.uri);
    const https = url.protocol === "https:";
    const options: RequestOptions = {
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port || (https ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: headersOf(req.headers, body),
      agent: https ? this.https : this.http,
    };
    return exchange(options, https, body);
  }

  /** Close idle keep-alive connections (the process may then exit). */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
