/**
 * Environments (distributedtask): names unique per project, case-insensitive; deleting one deletes its checks.
 */
import { isObject, type JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse } from "../core/server.js";
import { AzureError, badRequest, notFound } from "./errors.js";
import { EMULATOR_USER, raw, reply, isoNow, matchName, type Project, type Environment } from "./model.js";
import type { AzureStore } from "./store.js";

export function findEnvironment(p: Project, id: number): Environment {
  const e = p.environments.get(id);
  if (!e) throw notFound("EnvironmentNotFoundException", `Environment with id '${id}' does not exist or you do not have access to it.`, "DistributedTask");
  return e;
}

export function envJson(p: Project, e: Environment): JsonObject {
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    createdBy: EMULATOR_USER,
    createdOn: e.createdOn,
    lastModifiedBy: EMULATOR_USER,
    lastModifiedOn: e.lastModifiedOn,
    project: { id: p.id, name: p.name },
    resources: [],
  };
}

function checkEnvName(p: Project, name: unknown, selfId?: number): string {
  if (typeof name !== "string" || name.trim() === "") throw badRequest("Environment name cannot be empty.", "ArgumentException", "DistributedTask");
  for (const e of p.environments.values())
    if (e.id !== selfId && e.name.toLowerCase() === name.toLowerCase())
      throw new AzureError(409, "EnvironmentExistsException", `Environment '${name}' already exists in the current project.`, "DistributedTask");
  return name;
}

export function addEnvironment(store: AzureStore, p: Project, body: JsonObject): JsonObject {
  const name = checkEnvName(p, body.name);
  const now = isoNow(store.opts.now);
  const e: Environment = {
    id: store.nextEnvironmentId++,
    name,
    description: typeof body.description === "string" ? body.description : "",
    createdOn: now,
    lastModifiedOn: now,
  };
  p.environments.set(e.id, e);
  return envJson(p, e);
}

export function listEnvironments(p: Project, req: EmulatorRequest): EmulatorResponse {
  let list = [...p.environments.values()].sort((a, b) => a.id - b.id);
  const name = req.query.get("name");
  if (name) list = list.filter((e) => matchName(name, e.name));
  const start = Number(req.query.get("continuationToken") ?? 0) || 0;
  const top = Number(req.query.get("$top") ?? 0) || 50;
  const page = list.slice(start, start + top);
  const headers: Record<string, string> = {};
  if (start + top < list.length) headers["x-ms-continuationtoken"] = String(start + top);
  const value = page.map((e) => envJson(p, e));
  return reply(200, { count: value.length, value }, headers);
}

export function updateEnvironment(store: AzureStore, p: Project, id: number, body: JsonObject): JsonObject {
  const e = findEnvironment(p, id);
  if (body.name !== undefined) e.name = checkEnvName(p, body.name, id);
  if (body.description !== undefined) e.description = typeof body.description === "string" ? body.description : "";
  e.lastModifiedOn = isoNow(store.opts.now);
  return envJson(p, e);
}

export function deleteEnvironment(p: Project, id: number): EmulatorResponse {
  findEnvironment(p, id);
  p.environments.delete(id);
  for (const [cid, c] of p.checks)
    if (isObject(c.body.resource) && c.body.resource.type === "environment" && String(c.body.resource.id) === String(id)) p.checks.delete(cid);
  return raw({ status: 204 });
}
