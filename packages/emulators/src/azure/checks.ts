/**
 * Check configurations (approvals) on environments: `version` guards PATCH (409 on a stale one).
 */
import { clone, isObject, type JsonObject } from "../core/json.js";
import type { EmulatorRequest } from "../core/server.js";
import { AzureError, badRequest, notFound } from "./errors.js";
import { APPROVAL_TYPE_ID, CHECK_TYPE_NAMES, EMULATOR_USER, isoNow, type Ctx, type Project, type Check } from "./model.js";
import type { AzureStore } from "./store.js";

export function findCheck(p: Project, id: number): Check {
  const c = p.checks.get(id);
  if (!c) throw notFound("CheckConfigurationNotFoundException", `Check configuration with id ${id} does not exist.`, "DistributedTask");
  return c;
}

function validateCheck(p: Project, body: JsonObject): JsonObject {
  const type = isObject(body.type) ? body.type : undefined;
  if (!type || typeof type.id !== "string") throw badRequest("Check configuration type.id is required.", "ArgumentNullException", "DistributedTask");
  const resource = isObject(body.resource) ? body.resource : undefined;
  if (!resource || typeof resource.type !== "string" || resource.id === undefined)
    throw badRequest("Check configuration resource (type, id) is required.", "ArgumentNullException", "DistributedTask");
  let resourceName: string | undefined;
  if (resource.type.toLowerCase() === "environment") {
    const env = p.environments.get(Number(resource.id));
    if (!env)
      throw notFound(
        "EnvironmentNotFoundException",
        `Environment with id '${String(resource.id)}' does not exist or you do not have access to it.`,
        "DistributedTask",
      );
    resourceName = env.name;
  }
  const settings = isObject(body.settings) ? body.settings : {};
  if (type.id.toLowerCase() === APPROVAL_TYPE_ID) {
    const approvers = settings.approvers;
    if (!Array.isArray(approvers)) throw badRequest("Approval check settings need an approvers list.", "ArgumentException", "DistributedTask");
    for (const a of approvers) {
      if (!isObject(a) || typeof a.id !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(a.id)) {
        throw badRequest(
          `Approver ${JSON.stringify(isObject(a) ? (a.id ?? null) : a)} is not an identity id (a GUID).`,
          "ArgumentException",
          "DistributedTask",
        );
      }
    }
  }
  const timeout = typeof body.timeout === "number" ? body.timeout : 43200;
  return {
    type: { id: type.id.toLowerCase(), name: CHECK_TYPE_NAMES[type.id.toLowerCase()] ?? (typeof type.name === "string" ? type.name : "") },
    settings: clone(settings),
    resource: { type: resource.type, id: String(resource.id), ...(resourceName !== undefined ? { name: resourceName } : {}) },
    timeout,
  };
}

export function checkJson(p: Project, c: Check, ctx: Ctx, withSettings: boolean): JsonObject {
  const b = clone(c.body);
  if (!withSettings) delete b.settings;
  const url = `${ctx.orgUrl}/${p.id}/_apis/pipelines/checks/configurations/${c.id}`;
  return { ...b, id: c.id, version: c.version, url, _links: { self: { href: url } } };
}

export function addCheck(store: AzureStore, p: Project, body: JsonObject, ctx: Ctx): JsonObject {
  const core = validateCheck(p, body);
  const now = isoNow(store.opts.now);
  const c: Check = {
    id: store.nextCheckId++,
    version: 1,
    body: { ...core, isDisabled: false, createdBy: EMULATOR_USER, createdOn: now, modifiedBy: EMULATOR_USER, modifiedOn: now },
  };
  p.checks.set(c.id, c);
  return checkJson(p, c, ctx, true);
}

export function listChecks(p: Project, req: EmulatorRequest, ctx: Ctx): JsonObject {
  const rt = req.query.get("resourceType");
  const rid = req.query.get("resourceId");
  const withSettings = /settings/i.test(req.query.get("$expand") ?? "");
  const value = [...p.checks.values()]
    .filter((c) => {
      const r = c.body.resource as JsonObject;
      return (!rt || String(r.type).toLowerCase() === rt.toLowerCase()) && (!rid || String(r.id) === rid);
    })
    .sort((a, b) => a.id - b.id)
    .map((c) => checkJson(p, c, ctx, withSettings));
  return { count: value.length, value };
}

/** PATCH replaces type/settings/resource/timeout and `isDisabled` (a disabled check gates nothing); a `version` that is not the current one is refused (409). */
export function updateCheck(store: AzureStore, p: Project, id: number, body: JsonObject, ctx: Ctx): JsonObject {
  const c = findCheck(p, id);
  if (body.version !== undefined && body.version !== c.version) {
    throw new AzureError(
      409,
      "CheckConfigurationVersionMismatchException",
      `Check configuration ${id} has version ${c.version}; the request has version ${JSON.stringify(body.version)}.`,
      "DistributedTask",
    );
  }
  const core = validateCheck(p, {
    type: body.type ?? c.body.type,
    resource: body.resource ?? c.body.resource,
    settings: body.settings ?? c.body.settings,
    timeout: body.timeout ?? c.body.timeout,
  });
  c.version++;
  const disabled = typeof body.isDisabled === "boolean" ? body.isDisabled : c.body.isDisabled;
  c.body = { ...c.body, ...core, isDisabled: disabled ?? false, modifiedBy: EMULATOR_USER, modifiedOn: isoNow(store.opts.now) };
  return checkJson(p, c, ctx, true);
}
