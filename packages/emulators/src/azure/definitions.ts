/**
 * Build definitions: create, read (also older revisions), update guarded by the revision, delete, list
 * with the filters and paging `getDefinitions` sends; and the checks the service makes on a body.
 */
import { clone, isObject, type JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse } from "../core/server.js";
import { AzureError, badRequest, notFound } from "./errors.js";
import { raw, reply, isoNow, matchName, type Ctx, type Project, type Definition } from "./model.js";
import type { AzureStore } from "./store.js";
import { folderOf, materialize, reference } from "./definition-body.js";
import { findRepo } from "./repositories.js";

export function definitionById(p: Project, id: number): Definition {
  const d = p.definitions.get(id);
  if (!d) throw notFound("DefinitionNotFoundException", `Build pipeline ${id} was not found.`, "Build");
  return d;
}

function validateDefinition(p: Project, body: JsonObject, selfId?: number): void {
  if (typeof body.name !== "string" || body.name.trim() === "")
    throw badRequest("Value cannot be null.\r\nParameter name: definition.Name", "ArgumentNullException", "Build");
  if (/[\\/:*?"<>|]/.test(body.name))
    throw badRequest(`The pipeline name '${body.name}' contains an invalid character (\\ / : * ? " < > |).`, "ArgumentException", "Build");
  const process = isObject(body.process) ? body.process : undefined;
  if (!process) throw badRequest("Value cannot be null.\r\nParameter name: definition.Process", "ArgumentNullException", "Build");
  const ptype = process.type;
  if (ptype !== 1 && ptype !== 2)
    throw badRequest(`Process type ${JSON.stringify(ptype)} is not supported (1 designer, 2 YAML).`, "ArgumentException", "Build");
  if (ptype === 2 && (typeof process.yamlFilename !== "string" || process.yamlFilename === ""))
    throw badRequest("A YAML pipeline needs process.yamlFilename.", "ArgumentException", "Build");
  for (const t of Array.isArray(body.triggers) ? body.triggers : []) {
    if (isObject(t) && t.settingsSourceType === 2 && ptype === 1)
      throw badRequest("The trigger settings source 2 is not valid with process type 1.", "ArgumentException", "Build");
  }
  const repo = isObject(body.repository) ? body.repository : undefined;
  if (!repo || typeof repo.type !== "string")
    throw badRequest("Value cannot be null.\r\nParameter name: definition.Repository", "ArgumentNullException", "Build");
  if (repo.type.toLowerCase() === "tfsgit") {
    const ref = typeof repo.id === "string" ? repo.id : typeof repo.name === "string" ? repo.name : "";
    findRepo(p, ref, true);
  } else {
    const props = isObject(repo.properties) ? repo.properties : {};
    const sc = props.connectedServiceId;
    if (typeof sc !== "string" || !p.endpoints.has(sc.toLowerCase())) {
      throw badRequest(
        `The service connection ${JSON.stringify(sc ?? null)} for the ${repo.type} repository ${JSON.stringify(repo.name ?? null)} does not exist or has not been authorized for use.`,
        "ServiceEndpointNotFoundException",
        "Build",
      );
    }
  }
  const folder = folderOf(body);
  for (const d of p.definitions.values()) {
    if (d.id === selfId) continue;
    if (String(d.body.name).toLowerCase() === body.name.toLowerCase() && folderOf(d.body).toLowerCase() === folder.toLowerCase()) {
      throw new AzureError(409, "DefinitionExistsException", `The pipeline '${body.name}' already exists in folder '${folder}'.`, "Build");
    }
  }
}

export function createDefinition(store: AzureStore, p: Project, body: JsonObject, ctx: Ctx): EmulatorResponse {
  validateDefinition(p, body);
  const id = store.nextDefinitionId++;
  const stored = materialize(p, id, 1, body, ctx, isoNow(store.opts.now));
  const def: Definition = { id, body: stored, history: [clone(stored)], properties: new Map() };
  p.definitions.set(id, def);
  return reply(200, clone(stored));
}

export function getDefinition(p: Project, id: number, req: EmulatorRequest, _ctx: Ctx): JsonObject {
  const d = definitionById(p, id);
  const rev = req.query.get("revision");
  if (rev) {
    const h = d.history[Number(rev) - 1];
    if (!h) throw notFound("DefinitionNotFoundException", `Build pipeline ${id} revision ${rev} was not found.`, "Build");
    return clone(h);
  }
  return clone(d.body);
}

export function updateDefinition(store: AzureStore, p: Project, id: number, body: JsonObject, ctx: Ctx): JsonObject {
  const bodyId = typeof body.id === "number" ? body.id : 0;
  if (bodyId !== id) throw badRequest(`The request specifies pipeline ID ${id} but the supplied pipeline has ID ${bodyId}.`, "ArgumentException", "Build");
  const d = definitionById(p, id);
  const current = Number(d.body.revision);
  if (body.revision !== current) {
    if ((store.opts.staleRevisionStatus ?? 404) === 409) {
      throw new AzureError(
        409,
        "DefinitionNotMatchedException",
        `The pipeline ${id} was changed by someone else: the request has revision ${JSON.stringify(body.revision ?? null)}, the current revision is ${current}. Get the pipeline again and retry.`,
        "Build",
      );
    }
    throw notFound("DefinitionNotFoundException", `Build pipeline ${id} was not found.`, "Build");
  }
  validateDefinition(p, body, id);
  const stored = materialize(p, id, current + 1, body, ctx, String(d.body.createdDate), d.body);
  d.body = stored;
  d.history.push(clone(stored));
  return clone(stored);
}

export function deleteDefinition(p: Project, id: number): EmulatorResponse {
  definitionById(p, id);
  p.definitions.delete(id);
  return raw({ status: 204 });
}

export function listDefinitions(p: Project, req: EmulatorRequest, _ctx: Ctx): EmulatorResponse {
  const q = req.query;
  let list = [...p.definitions.values()].sort((a, b) => a.id - b.id);
  const name = q.get("name");
  if (name) list = list.filter((d) => matchName(name, String(d.body.name)));
  const path = q.get("path");
  if (path) {
    const folder = folderOf({ path });
    list = list.filter((d) => folderOf(d.body).toLowerCase() === folder.toLowerCase());
  }
  const repoId = q.get("repositoryId");
  if (repoId) list = list.filter((d) => isObject(d.body.repository) && String(d.body.repository.id).toLowerCase() === repoId.toLowerCase());
  const yaml = q.get("yamlFilename");
  if (yaml) list = list.filter((d) => isObject(d.body.process) && d.body.process.yamlFilename === yaml);
  const ids = q.get("definitionIds");
  if (ids) {
    const set = new Set(ids.split(",").map(Number));
    list = list.filter((d) => set.has(d.id));
  }
  const start = Number(q.get("continuationToken") ?? 0) || 0;
  const top = Number(q.get("$top") ?? 0) || list.length;
  const page = list.slice(start, start + top);
  const full = q.get("includeAllProperties") === "true";
  const value = page.map((d) => (full ? clone(d.body) : reference(d)));
  const headers: Record<string, string> = {};
  if (start + top < list.length) headers["x-ms-continuationtoken"] = String(start + top);
  return reply(200, { count: value.length, value }, headers);
}
