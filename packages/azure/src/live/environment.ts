/**
 * azure.Environment/<name>: `lastModifiedOn` is the version token (compared before each write).
 * Environments are shared: the owner is the pipeline their description names.
 */
import { conflict, diffBodies, guardVersion, keyString, type Change, type LiveResource, type ResourceKey, type Obj } from "@pipeglot/core";
import type { AzureLiveClient } from "./client.js";
import { AzureApiError } from "./errors.js";
import { environmentOwner, normalizeEnvironment } from "./normalize.js";

export interface EnvRow {
  id: number;
  name: string;
  description: string;
  lastModifiedOn: string;
}

async function environmentByName(az: AzureLiveClient, name: string, deadlineAt?: number): Promise<EnvRow | undefined> {
  const ta = await az.apis.taskAgent();
  const list = await az.call(`get environment ${name}`, () => ta.getEnvironments(az.project, name), deadlineAt);
  const e = (list ?? []).find((x) => String(x.name).toLowerCase() === name.toLowerCase());
  if (!e) {
    az.envCache.delete(name.toLowerCase());
    return undefined;
  }
  const row: EnvRow = { id: Number(e.id), name: String(e.name), description: String(e.description ?? ""), lastModifiedOn: toIso(e.lastModifiedOn) };
  az.envCache.set(name.toLowerCase(), row);
  return row;
}

export async function envId(az: AzureLiveClient, name: string, deadlineAt?: number): Promise<EnvRow | undefined> {
  return az.envCache.get(name.toLowerCase()) ?? (await environmentByName(az, name, deadlineAt));
}

export async function readEnvironment(az: AzureLiveClient, key: ResourceKey, deadlineAt?: number): Promise<LiveResource | undefined> {
  const e = await environmentByName(az, key.name, deadlineAt);
  if (!e) return undefined;
  return { key, body: normalizeEnvironment(e as unknown as Obj), versionToken: e.lastModifiedOn, ...ownedBy(environmentOwner(e.description)) };
}

export async function writeEnvironment(az: AzureLiveClient, change: Change, deadlineAt: number): Promise<void> {
  const ta = await az.apis.taskAgent();
  const name = change.key.name;
  if (change.action === "create") {
    try {
      const e = await az.call(`create environment ${name}`, () => ta.addEnvironment(change.after as never, az.project), deadlineAt);
      if (e?.id !== undefined)
        az.envCache.set(name.toLowerCase(), {
          id: Number(e.id),
          name: String(e.name),
          description: String(e.description ?? ""),
          lastModifiedOn: toIso(e.lastModifiedOn),
        });
    } catch (e) {
      const err = az.wrap(e, `create environment ${name}`);
      if (err instanceof AzureApiError && err.statusCode === 409) {
        const live = await az.readOne(change.key, deadlineAt);
        if (live?.managed && diffBodies(live.body, change.after).length === 0) return;
        throw conflict.created(keyString(change.key));
      }
      throw err;
    }
    return;
  }
  const live = await environmentByName(az, name, deadlineAt);
  if (!live) throw conflict.deleted(keyString(change.key));
  guardVersion(keyString(change.key), change.versionToken, live.lastModifiedOn);
  if (change.action === "delete") {
    await az.call(`delete environment ${name}`, () => ta.deleteEnvironment(az.project, live.id), deadlineAt);
    az.envCache.delete(name.toLowerCase());
    return;
  }
  await az.call(`update environment ${name}`, () => ta.updateEnvironment(change.after as never, az.project, live.id), deadlineAt);
}

/** Names of the environments whose description names this pipeline as their owner (every page). */
export async function ownedEnvironments(az: AzureLiveClient, pipeline: string): Promise<string[]> {
  const ta = await az.apis.taskAgent();
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await az.call("list environments", () => ta.getEnvironments(az.project, undefined, token, 100));
    for (const e of page ?? []) if (environmentOwner(e.description) === pipeline) out.push(String(e.name));
    token = (page as { continuationToken?: string } | undefined)?.continuationToken || undefined;
  } while (token);
  return out;
}

/** Ownership of an environment or its check, from the environment's description. */
export function ownedBy(owner: string | undefined): { managed: boolean; owner?: string } {
  return owner === undefined ? { managed: false } : { managed: true, owner };
}

function toIso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  return String(v ?? "");
}
