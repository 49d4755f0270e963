/**
 * OCI DevOps API 20210630, the part pipeglot syncs: build pipelines, build pipeline stages,
 * deploy pipelines, deploy stages, deploy artifacts, triggers, work requests (URL scheme in
 * routes.ts). Reference: https://docs.oracle.com/en-us/iaas/api/#/en/devops/20210630/
 *
 * Every request must carry an OCI HTTP signature made with a trusted key (when keys are
 * configured). Errors use OCI's shape `{"code": "...", "message": "..."}` with an opc-request-id.
 * The state and shared look-ups are in store.ts, the operations in operations.ts, the checks in
 * validate.ts, work requests in work-requests.ts.
 */
import { clone, isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse, ProtocolHandler } from "../core/server.js";
import { OciError } from "./errors.js";
import type { OciKind } from "./kinds.js";
import { create, list, remove, update } from "./operations.js";
import { header, operationName, route, type Route } from "./routes.js";
import { parseAuthorization, SignatureVerifier } from "./signature.js";
import { runOperation } from "./runs/dispatch.js";
import { OciStore, type OciEmulatorOptions, type OciResourceSnapshot, type WorkRequestInfo } from "./store.js";
import { completeWorkRequests, listWorkRequests, pollWorkRequest } from "./work-requests.js";

export { OciError } from "./errors.js";
export { OCI_API_VERSION, type OciKind } from "./kinds.js";
export type { OciEmulatorOptions, OciResourceSnapshot, WorkRequestInfo, WorkRequestStatus } from "./store.js";

export class OciDevopsProtocol implements ProtocolHandler {
  private readonly store: OciStore;
  readonly verifier: SignatureVerifier;

  constructor(opts: OciEmulatorOptions) {
    this.store = new OciStore(opts);
    this.verifier = new SignatureVerifier(opts.trustedKeys ?? {});
  }

  get checksSignatures(): boolean {
    return this.verifier.size > 0;
  }

  operation(req: EmulatorRequest): string {
    return operationName(req);
  }

  faultResponse(kind: "throttle" | "error" | "internal"): EmulatorResponse {
    if (kind === "throttle") return this.store.error(new OciError("TooManyRequests", "Too many requests for the tenancy"));
    if (kind === "error") return this.store.error(new OciError("ServiceUnavailable", "The service is currently unavailable"));
    return this.store.error(new OciError("InternalServerError", "Internal error"));
  }

  handle(req: EmulatorRequest): EmulatorResponse {
    try {
      if (this.checksSignatures) {
        const problem = this.verifier.check(req);
        if (problem)
          throw new OciError("NotAuthenticated", `The required information to complete authentication was not provided or was incorrect (${problem}).`);
      }
      const r = route(req);
      if (!r) throw new OciError("NotFound", `No DevOps operation at ${req.method} ${req.path}`);
      return this.dispatch(r, req);
    } catch (e) {
      if (e instanceof OciError) return this.store.error(e);
      throw e;
    }
  }

  private dispatch(r: Route, req: EmulatorRequest): EmulatorResponse {
    const store = this.store;
    switch (r.op) {
      case "GetWorkRequest":
        return store.reply(200, pollWorkRequest(store, r.id));
      case "ListWorkRequests": {
        const { items, headers } = listWorkRequests(store, req.query);
        return store.reply(200, { items }, headers);
      }
      case "Create":
        return this.createOnce(r.kind, req);
      case "List":
        return list(store, r.kind, req.query);
      case "Get": {
        const s = store.find(r.kind, r.id);
        return store.reply(200, clone(s.body), { etag: s.etag });
      }
      case "Update":
        return update(store, r.kind, r.id, body(req), header(req, "if-match"));
      case "Delete":
        return remove(store, r.kind, r.id, header(req, "if-match"));
      case "Run":
        return this.runOnce(r.name, req, () =>
          runOperation(store, { name: r.name, ...(r.id ? { id: r.id } : {}), body: () => body(req), query: req.query, subject: subject(req) }),
        );
    }
  }

  /** `opc-retry-token`: the same token replays the first answer (no duplicate). */
  private createOnce(kind: OciKind, req: EmulatorRequest): EmulatorResponse {
    const token = header(req, "opc-retry-token");
    const cacheKey = token ? `${kind}\u0000${token}` : undefined;
    if (cacheKey && this.store.retryTokens.has(cacheKey)) return structuredClone(this.store.retryTokens.get(cacheKey)!);
    const answer = create(this.store, kind, body(req));
    if (cacheKey) this.store.retryTokens.set(cacheKey, structuredClone(answer));
    return answer;
  }

  /** A run operation; a create or action with an `opc-retry-token` seen before replays the first answer. */
  private runOnce(name: string, req: EmulatorRequest, fn: () => EmulatorResponse): EmulatorResponse {
    const token = req.method === "POST" ? header(req, "opc-retry-token") : undefined;
    const cacheKey = token ? `${name}\u0000${req.path}\u0000${token}` : undefined;
    if (cacheKey && this.store.retryTokens.has(cacheKey)) return structuredClone(this.store.retryTokens.get(cacheKey)!);
    const answer = fn();
    if (cacheKey) this.store.retryTokens.set(cacheKey, structuredClone(answer));
    return answer;
  }

  /** Finish every pending work request now (as if time passed). */
  failWorkRequests(when: (w: WorkRequestInfo) => boolean): void {
    this.store.failWhen = when;
  }

  completeWorkRequests(): void {
    completeWorkRequests(this.store);
  }

  /** Edit a resource (by OCID, or by kind + displayName) as someone else would: its etag and timeUpdated change. */
  mutate(idOrName: string, fn: (resource: JsonObject) => JsonObject | void, kind?: OciKind): JsonObject {
    for (const [id, s] of this.store.resources) {
      if (id !== idOrName && !(kind === s.kind && s.body.displayName === idOrName)) continue;
      const draft = clone(s.body);
      const next = fn(draft) ?? draft;
      next.id = id;
      next.timeUpdated = this.store.now();
      s.body = next;
      s.etag = this.store.etag();
      return clone(next);
    }
    throw new Error(`no OCI DevOps resource with id or name ${idOrName}${kind ? ` of kind ${kind}` : ""}`);
  }

  snapshot(): OciResourceSnapshot[] {
    return this.store.snapshot();
  }

  /** Trust one more signing key. */
  trustKey(keyId: string, publicKeyPem: string): void {
    this.verifier.trust(keyId, publicKeyPem);
  }

  reset(): void {
    this.store.reset();
  }

  saveState(): Json {
    return this.store.saveState();
  }

  loadState(state: Json): void {
    this.store.loadState(state);
  }
}

/** The signing user's OCID (keyId is `<tenancy>/<user>/<fingerprint>`). */
function subject(req: EmulatorRequest): string {
  const parsed = parseAuthorization(header(req, "authorization"));
  if (typeof parsed === "string") return "unknown";
  return parsed.keyId.split("/")[1] ?? "unknown";
}

function body(req: EmulatorRequest): JsonObject {
  let parsed: Json;
  try {
    parsed = req.body.length === 0 ? {} : (JSON.parse(req.body.toString("utf8")) as Json);
  } catch {
    throw new OciError("InvalidParameter", "The request body is not valid JSON");
  }
  if (!isObject(parsed)) throw new OciError("InvalidParameter", "The request body must be a JSON object");
  return parsed;
}
