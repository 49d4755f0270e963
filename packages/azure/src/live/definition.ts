/**
 * azure.BuildDefinition/<name>: a YAML build definition in pipeglot's folder; `revision` is the
 * version token (the server refuses a stale one). Ownership also in definition properties.
 */
import { conflict, diffBodies, guardVersion, isObject, keyString, OWNERSHIP, type Change, type LiveResource, type ResourceKey, type Obj } from "@pipeglot/core";
import type { BuildApi } from "azure-devops-node-api/BuildApi.js";
import type { AzureLiveClient } from "./client.js";
import { AzureApiError } from "./errors.js";
import { GUID, normalizeDefinition, serviceConnectionName } from "./normalize.js";
import { repositoryId } from "./repo-yaml.js";

export const PROPERTY_PREFIX = OWNERSHIP.property.prefix;

/** The project's definitions named `name` (in `folder` only, when given), with their properties, as plain objects. */
export async function definitionsNamed(az: AzureLiveClient, name: string, folder?: string, deadlineAt?: number): Promise<Obj[]> {
  const build = await az.apis.build();
  const u = undefined;
  // getDefinitions(project, name, repositoryId, repositoryType, queryOrder, top, continuationToken,
  //   minMetricsTime, definitionIds, path, builtAfter, notBuiltAfter, includeAllProperties)
  const list = await az.call(
    `get definitions named ${name}`,
    () => build.getDefinitions(az.project, name, u, u, u, u, u, u, u, folder, u, u, true),
    deadlineAt,
  );
  return (list ?? []) as unknown as Obj[];
}

async function definitionByName(az: AzureLiveClient, name: string, deadlineAt?: number): Promise<Obj | undefined> {
  const rows = (await definitionsNamed(az, name, undefined, deadlineAt)).filter((d) => String(d.name).toLowerCase() === name.toLowerCase());
  // Prefer the one in pipeglot's folder; a same-named definition elsewhere is someone else's.
  return rows.find((d) => isManagedDefinition(az, d)) ?? rows.find((d) => folderMatches(d.path, az.config.folder)) ?? rows[0];
}

export function isManagedDefinition(az: AzureLiveClient, d: Obj): boolean {
  return folderMatches(d.path, az.config.folder) && Array.isArray(d.tags) && d.tags.includes(OWNERSHIP.label.managedBy);
}

/** Service connection name → id (cached). */
export async function serviceConnectionId(az: AzureLiveClient, name: string, deadlineAt?: number): Promise<string | undefined> {
  const key = name.toLowerCase();
  if (az.scCache.has(key)) return az.scCache.get(key);
  const se = await az.apis.serviceEndpoint();
  const list = await az.call(`look up service connection ${name}`, () => se.getServiceEndpointsByNames(az.project, [name]), deadlineAt);
  const hit = (list ?? []).find((e) => String(e.name).toLowerCase() === key);
  if (hit?.id) az.scCache.set(key, String(hit.id));
  return hit?.id ? String(hit.id) : undefined;
}

export async function readDefinition(az: AzureLiveClient, key: ResourceKey, deadlineAt?: number): Promise<LiveResource | undefined> {
  const d = await definitionByName(az, key.name, deadlineAt);
  if (!d) return undefined;
  const repo = isObject(d.repository) ? d.repository : {};
  const sc = isObject(repo.properties) ? repo.properties.connectedServiceId : undefined;
  const scName = serviceConnectionName(az.config.target, String(repo.type ?? ""));
  if (typeof sc === "string" && scName !== undefined && String(repo.type).toLowerCase() !== "tfsgit") await serviceConnectionId(az, scName, deadlineAt);
  // A definition's name is its pipeline's name, verbatim (compile writes ir.name): Azure
  // compares names without case, so "App" finds "app", which belongs to pipeline "app".
  return {
    key,
    body: normalizeDefinition(d, { serviceConnections: az.scCache, target: az.config.target }),
    versionToken: String(d.revision),
    managed: isManagedDefinition(az, d),
    owner: String(d.name),
  };
}

/** Resolve `${serviceConnection.X.id}` and, for Azure Repos, the repository id. */
async function resolveDefinition(az: AzureLiveClient, body: Obj, deadlineAt: number): Promise<Obj> {
  const out = structuredClone(body);
  const repo = isObject(out.repository) ? out.repository : undefined;
  if (repo) {
    if (String(repo.type).toLowerCase() === "tfsgit") {
      const id = await repositoryId(az, String(repo.name), deadlineAt);
      if (!id) throw new Error(`the Azure Repos repository ${String(repo.name)} does not exist in project ${az.project}`);
      repo.id = id;
    }
    const props = isObject(repo.properties) ? repo.properties : undefined;
    const m = typeof props?.connectedServiceId === "string" ? /^\$\{serviceConnection\.(.+)\.id\}$/.exec(props.connectedServiceId) : null;
    if (props && m) {
      const id = GUID.test(m[1]!) ? m[1]! : await serviceConnectionId(az, m[1]!, deadlineAt);
      if (!id)
        throw new Error(
          `the service connection ${m[1]} does not exist in project ${az.project}: create it, or set targets.azure.serviceConnection to its name or id`,
        );
      props.connectedServiceId = id;
    }
  }
  return out;
}

export async function writeDefinition(az: AzureLiveClient, change: Change, deadlineAt: number): Promise<void> {
  const build = await az.apis.build();
  const name = change.key.name;
  if (change.action === "create") {
    const body = await resolveDefinition(az, change.after as Obj, deadlineAt);
    let created: Obj | undefined;
    try {
      created = (await az.call(`create definition ${name}`, () => build.createDefinition(body as never, az.project), deadlineAt)) as unknown as Obj;
    } catch (e) {
      const err = az.wrap(e, `create definition ${name}`);
      // A retried create whose first attempt went through: fine if what is there is ours and as desired.
      if (err instanceof AzureApiError && err.statusCode === 409) {
        const live = await az.readOne(change.key, deadlineAt);
        if (live?.managed && diffBodies(live.body, change.after).length === 0) return;
        throw conflict.created(keyString(change.key));
      }
      throw err;
    }
    await setProperties(az, build, Number(created?.id), name, change.after as Obj, deadlineAt);
    return;
  }
  const live = await definitionByName(az, name, deadlineAt);
  if (!live) throw conflict.deleted(keyString(change.key));
  guardVersion(keyString(change.key), change.versionToken, String(live.revision));
  const id = Number(live.id);
  if (change.action === "delete") {
    await az.call(`delete definition ${name}`, () => build.deleteDefinition(az.project, id), deadlineAt);
    return;
  }
  // Keep what pipeglot does not manage (variables, retention, options...), replace what it does.
  const desired = await resolveDefinition(az, change.after as Obj, deadlineAt);
  const body: Obj = { ...live, ...desired, id, revision: Number(change.versionToken) };
  body.repository = { ...(isObject(live.repository) ? live.repository : {}), ...(desired.repository as Obj) };
  let updated: Obj | null;
  try {
    updated = (await az.call(`update definition ${name}`, () => build.updateDefinition(body as never, az.project, id), deadlineAt)) as unknown as Obj | null;
  } catch (e) {
    const err = az.wrap(e, `update definition ${name}`);
    if (err instanceof AzureApiError && (err.statusCode === 409 || err.statusCode === 404))
      throw conflict.refused(keyString(change.key), change.versionToken, err.message);
    throw err;
  }
  // A stale revision is answered 404, which the SDK resolves as null instead of throwing.
  if (!updated) throw conflict.refused(keyString(change.key), change.versionToken, `HTTP 404 "Build pipeline ${id} was not found"`);
  await setProperties(az, build, id, name, change.after as Obj, deadlineAt);
}

/** Ownership and provenance in definition properties (no new revision). */
async function setProperties(az: AzureLiveClient, build: BuildApi, id: number, pipeline: string, body: Obj, deadlineAt: number): Promise<void> {
  if (!Number.isFinite(id)) return;
  const prefix = OWNERSHIP.label.hashPrefix;
  const hash = Array.isArray(body.tags) ? (body.tags.find((t) => String(t).startsWith(prefix)) as string | undefined)?.slice(prefix.length) : undefined;
  const patch = [
    { op: "add", path: `/${OWNERSHIP.property.managedBy}`, value: OWNERSHIP.value },
    { op: "add", path: `/${OWNERSHIP.property.pipeline}`, value: pipeline },
    ...(hash ? [{ op: "add", path: `/${OWNERSHIP.property.hash}`, value: hash }] : []),
  ];
  await az.call(`set properties of ${pipeline}`, () => build.updateDefinitionProperties({}, patch as never, az.project, id), deadlineAt);
}

function folderMatches(path: unknown, folder: string): boolean {
  const p = String(path ?? "")
    .replace(/\\+$/, "")
    .toLowerCase();
  const f = folder.replace(/\\+$/, "").toLowerCase();
  return p === f || p.startsWith(`${f}\\`);
}
