/** The operate commands' requests: through the live client's edge (its retries), OCI's refusals as PipeglotErrors. */
import { isPipeglotError, kindOfStatus, PipeglotError, type Obj } from "@pipeglot/core";
import type { OciLiveClient } from "../live/index.js";
import type { RunsApi } from "../live/runs-api.js";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** OCI's answer to a request that failed, as one line: what was asked, the service's code and message. */
export function refusal(what: string, e: unknown): PipeglotError {
  if (isPipeglotError(e)) return e;
  const status = isObj(e) && typeof e.statusCode === "number" ? e.statusCode : undefined;
  const code = isObj(e) && typeof e.serviceCode === "string" ? e.serviceCode : undefined;
  const message = isObj(e) || e instanceof Error ? String((e as { message?: unknown }).message ?? "") : String(e);
  const kind = status === 409 ? "conflict" : kindOfStatus(status);
  return new PipeglotError(`OCI DevOps refused to ${what}: ${message.split("\n")[0]}${code ? ` (${code})` : ""}`, kind);
}

/** One run call through the client's edge. */
export async function runs<T>(client: OciLiveClient, what: string, fn: (api: RunsApi) => Promise<T>): Promise<T> {
  try {
    return await client.edge.call(() => fn(client.api.runs));
  } catch (e) {
    throw refusal(what, e);
  }
}

/** Every page of a list of a resource kind. */
export async function listAll(client: OciLiveClient, kind: Parameters<OciLiveClient["normalizeLive"]>[0], query: Obj, what: string): Promise<Obj[]> {
  const out: Obj[] = [];
  let page: string | undefined;
  try {
    do {
      const r = await client.edge.call(() => client.api.kinds[kind].list({ ...query, limit: 1000, ...(page ? { page } : {}) }));
      out.push(...r.items.filter((i) => i.lifecycleState !== "DELETING" && i.lifecycleState !== "DELETED"));
      page = r.next;
    } while (page);
  } catch (e) {
    throw refusal(what, e);
  }
  return out;
}

export const tagsOf = (v: Obj): Record<string, string> => (isObj(v.freeformTags) ? (v.freeformTags as Record<string, string>) : {});
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
/** The SDK gives times as Date objects or strings: ISO 8601 either way. */
export const iso = (v: unknown): string | undefined => (v instanceof Date ? v.toISOString() : str(v));
export { isObj };
