/** azure.CheckConfiguration/<environment>: the Approval check on that environment; `version` is the token. */
import { conflict, guardVersion, isObject, keyString, type Change, type LiveResource, type ResourceKey, type Obj } from "@pipeglot/core";
import type { AzureLiveClient } from "./client.js";
import { envId, ownedBy, type EnvRow } from "./environment.js";
import { AzureApiError } from "./errors.js";
import { resolveApprover } from "./identity.js";
import { environmentOwner, normalizeCheck } from "./normalize.js";

export const APPROVAL_TYPE_ID = "8c6f20a7-a545-4486-9777-f762fafe0d4d";
export const CHECKS_API_VERSION = "7.2-preview.1";
/** How the instructions of a `pipeglot hold` check start (operate/hold-check.ts): not the definition's approval, never synced. */
export const HOLD_MARK = "pipeglot hold (";

const isHold = (c: Obj): boolean => isObject(c.settings) && typeof c.settings.instructions === "string" && c.settings.instructions.startsWith(HOLD_MARK);

async function checksApi<T>(
  az: AzureLiveClient,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  deadlineAt?: number,
): Promise<T | null> {
  const rest = (az.apis.web as unknown as { rest: Record<"get" | "create" | "update" | "del", (...args: unknown[]) => Promise<unknown>> }).rest;
  const url = `${az.config.orgUrl}/${encodeURIComponent(az.project)}/_apis/pipelines/checks/${path}`;
  const options = { acceptHeader: `application/json;api-version=${CHECKS_API_VERSION}` };
  const res = await az.call(
    `${method} checks/${path.split("?")[0]}`,
    async () => {
      switch (method) {
        case "GET":
          return rest.get(url, options);
        case "POST":
          return rest.create(url, body, options);
        case "PATCH":
          return rest.update(url, body, options);
        case "DELETE":
          return rest.del(url, options);
      }
    },
    deadlineAt,
  );
  return ((res as { result?: T | null })?.result ?? null) as T | null;
}

async function checkOn(az: AzureLiveClient, env: EnvRow, deadlineAt?: number): Promise<Obj | undefined> {
  const res = await checksApi<{ value?: Obj[] }>(
    az,
    "GET",
    `configurations?resourceType=environment&resourceId=${env.id}&$expand=settings`,
    undefined,
    deadlineAt,
  );
  return (res?.value ?? []).find((c) => isObject(c.type) && String(c.type.id).toLowerCase() === APPROVAL_TYPE_ID && !isHold(c));
}

export async function readCheck(az: AzureLiveClient, key: ResourceKey, deadlineAt?: number): Promise<LiveResource | undefined> {
  const env = await envId(az, key.name, deadlineAt);
  if (!env) return undefined;
  const c = await checkOn(az, env, deadlineAt);
  if (!c) return undefined;
  // The Approval check is its environment's owner's.
  return {
    key,
    body: normalizeCheck(c, env.name, String(env.id), az.approverNames.get(env.name.toLowerCase())),
    versionToken: String(c.version),
    ...ownedBy(environmentOwner(env.description)),
  };
}

/** `${environment.X.id}` and `${identity.<approver>.id}` → ids (approvers through identity.ts, cached). */
async function resolveCheck(az: AzureLiveClient, body: Obj, deadlineAt: number): Promise<Obj> {
  const out = structuredClone(body);
  const res = isObject(out.resource) ? out.resource : {};
  const envName = typeof res.name === "string" ? res.name : undefined;
  const m = typeof res.id === "string" ? /^\$\{environment\.(.+)\.id\}$/.exec(res.id) : null;
  if (m) {
    const env = await envId(az, m[1]!, deadlineAt);
    if (!env) throw new Error(`environment ${m[1]} does not exist in project ${az.project}`);
    res.id = String(env.id);
  } else if (envName && res.id === undefined) {
    const env = await envId(az, envName, deadlineAt);
    if (env) res.id = String(env.id);
  }
  const settings = isObject(out.settings) ? out.settings : {};
  if (Array.isArray(settings.approvers)) {
    const resolved: unknown[] = [];
    for (const a of settings.approvers) {
      const im = isObject(a) && typeof a.id === "string" ? /^\$\{identity\.(.+)\.id\}$/.exec(a.id) : null;
      if (!im) {
        resolved.push(a);
        continue;
      }
      // The name stays the displayName (what pull reads back); the id is the identity's.
      const found = await resolveApprover(az, im[1]!, deadlineAt);
      if ("problem" in found) throw new Error(found.problem);
      resolved.push({ ...(a as Obj), id: found.id });
    }
    settings.approvers = resolved;
  }
  return out;
}

export async function writeCheck(az: AzureLiveClient, change: Change, deadlineAt: number): Promise<void> {
  const envName = change.key.name;
  if (change.action === "create") {
    const body = await resolveCheck(az, change.after as Obj, deadlineAt);
    const env = await envId(az, envName, deadlineAt);
    if (env) {
      const existing = await checkOn(az, env, deadlineAt);
      if (existing) throw conflict.created(keyString(change.key));
    }
    await checksApi(az, "POST", "configurations", body, deadlineAt);
    return;
  }
  const env = await envId(az, envName, deadlineAt);
  const live = env ? await checkOn(az, env, deadlineAt) : undefined;
  if (!env || !live) throw conflict.deleted(keyString(change.key));
  guardVersion(keyString(change.key), change.versionToken, String(live.version));
  if (change.action === "delete") {
    await checksApi(az, "DELETE", `configurations/${String(live.id)}`, undefined, deadlineAt);
    return;
  }
  const body = { ...(await resolveCheck(az, change.after as Obj, deadlineAt)), id: live.id, version: Number(change.versionToken) };
  try {
    await checksApi(az, "PATCH", `configurations/${String(live.id)}`, body, deadlineAt);
  } catch (e) {
    const err = az.wrap(e, `update check on ${envName}`);
    if (err instanceof AzureApiError && err.statusCode === 409) throw conflict.refused(keyString(change.key), change.versionToken, err.message);
    throw err;
  }
}
