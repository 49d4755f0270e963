/**
 * Live Azure bodies → the shape compile writes, so that a plan right after an apply is empty.
 * Only the fields pipeglot writes are compared; what the server fills in (ids, urls, _links,
 * revision, createdDate, authoredBy, project, queue id/pool, repository id/clean/checkout
 * defaults, job timeouts...) is dropped, and enum numbers (the SDK's formatResponse turns
 * `"build"` into 2) are turned back into the names compile writes. Resolved ids go back to the
 * symbolic placeholders compile writes (`${environment.X.id}`, `${identity.X.id}`,
 * `${serviceConnection.X.id}`).
 */
import { isObject, OWNERSHIP, type Obj } from "@pipeglot/core";

const DEFINITION_TYPE: Record<number, string> = { 1: "xaml", 2: "build" };
const QUALITY: Record<number, string> = { 1: "definition", 2: "draft" };
const QUEUE_STATUS: Record<number, string> = { 0: "enabled", 1: "paused", 2: "disabled" };
const TRIGGER_TYPE: Record<number, string> = {
  1: "none",
  2: "continuousIntegration",
  4: "batchedContinuousIntegration",
  8: "schedule",
  16: "gatedCheckIn",
  32: "batchedGatedCheckIn",
  64: "pullRequest",
  128: "buildCompletion",
  255: "all",
};

const enumName = (table: Record<number, string>, v: unknown): unknown =>
  typeof v === "number" ? (table[v] ?? v) : typeof v === "string" ? v.charAt(0).toLowerCase() + v.slice(1) : v;

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function folderOf(path: unknown): string {
  const raw = typeof path === "string" && path !== "" ? path.replace(/\//g, "\\") : "\\";
  const s = raw.startsWith("\\") ? raw : `\\${raw}`;
  return s.length > 1 ? s.replace(/\\+$/, "") : s;
}

/** The symbol compile writes for a repository's service connection, from targets.azure. */
export function serviceConnectionName(target: { serviceConnection?: string }, repoType: string): string | undefined {
  const sc = target.serviceConnection;
  if (sc && GUID.test(sc)) return undefined;
  return sc ?? repoType.toLowerCase();
}

interface DefinitionContext {
  /** Service connection name → id, for turning a live id back into `${serviceConnection.<name>.id}`. */
  serviceConnections: Map<string, string>;
  target: { serviceConnection?: string };
}

export function normalizeDefinition(live: Obj, ctx: DefinitionContext): Obj {
  const out: Obj = {
    name: live.name,
    path: folderOf(live.path),
    type: enumName(DEFINITION_TYPE, live.type ?? 2),
    quality: enumName(QUALITY, live.quality ?? 1),
  };
  if (typeof live.description === "string" && live.description !== "") out.description = live.description;
  const proc = isObject(live.process) ? live.process : {};
  out.process = { type: proc.type, yamlFilename: proc.yamlFilename };
  const repo = isObject(live.repository) ? live.repository : {};
  const type = String(repo.type ?? "");
  const r: Obj = { type, name: repo.name, defaultBranch: repo.defaultBranch };
  if (type.toLowerCase() !== "tfsgit") {
    if (repo.url !== undefined && repo.url !== null) r.url = repo.url;
    const props = isObject(repo.properties) ? repo.properties : {};
    if (props.connectedServiceId !== undefined) {
      let id = props.connectedServiceId;
      const name = serviceConnectionName(ctx.target, type);
      if (name !== undefined && typeof id === "string" && ctx.serviceConnections.get(name.toLowerCase())?.toLowerCase() === id.toLowerCase())
        id = `\${serviceConnection.${name}.id}`;
      r.properties = { connectedServiceId: id };
    }
  }
  out.repository = r;
  const queue = isObject(live.queue) ? live.queue : {};
  out.queue = { name: queue.name };
  out.queueStatus = enumName(QUEUE_STATUS, live.queueStatus ?? 0);
  out.tags = Array.isArray(live.tags) ? [...live.tags].map(String).sort() : [];
  out.triggers = Array.isArray(live.triggers) ? live.triggers.map((t) => (isObject(t) ? { ...t, triggerType: enumName(TRIGGER_TYPE, t.triggerType) } : t)) : [];
  return out;
}

/** The desired definition in comparable form (what compile wrote, minus what the URL or server decides). */
export function canonicalDefinition(body: Obj): Obj {
  const out: Obj = structuredClone(body);
  delete out.project; // the project is the URL's, not the body's
  out.path = folderOf(out.path);
  if (isObject(out.repository) && String(out.repository.type).toLowerCase() === "tfsgit") {
    delete out.repository.url; // the server derives it from the repository id
    delete out.repository.properties;
  }
  if (Array.isArray(out.tags)) out.tags = [...out.tags].map(String).sort();
  return out;
}
const ENV_OWNER = new RegExp(`^Deploy target of pipeline (.+) \\(${OWNERSHIP.phrase}\\)$`);

/** The pipeline an environment's description says it belongs to (pipeglot writes it), if any. */
export function environmentOwner(description: unknown): string | undefined {
  return typeof description === "string" ? ENV_OWNER.exec(description)?.[1] : undefined;
}

export function normalizeEnvironment(live: Obj): Obj {
  return { name: live.name, description: typeof live.description === "string" ? live.description : "" };
}

/**
 * `approvers`: identity id (lower case) → the approver as the definition writes it (from
 * preflight's look-ups). An approver whose id is there reads back as compile writes it (compared by
 * id: the displayName Azure keeps does not matter); any other as `${identity.<id>.id}`.
 */
export function normalizeCheck(live: Obj, envName: string, envId: string | undefined, approvers?: ReadonlyMap<string, string>): Obj {
  const type = isObject(live.type) ? live.type : {};
  const settings: Obj = isObject(live.settings) ? structuredClone(live.settings) : {};
  if (Array.isArray(settings.approvers)) {
    settings.approvers = settings.approvers.map((a) => {
      if (!isObject(a) || typeof a.id !== "string") return a;
      const written = approvers?.get(a.id.toLowerCase());
      return written !== undefined ? { displayName: written, id: `\${identity.${written}.id}` } : { displayName: a.displayName, id: `\${identity.${a.id}.id}` };
    });
  }
  const res = isObject(live.resource) ? live.resource : {};
  const rid = envId !== undefined && String(res.id) === envId ? `\${environment.${envName}.id}` : String(res.id);
  return {
    type: { id: String(type.id ?? "").toLowerCase(), name: type.name },
    settings,
    resource: { type: res.type, id: rid, name: envName },
    timeout: live.timeout,
  };
}

export function canonicalCheck(body: Obj): Obj {
  const out: Obj = structuredClone(body);
  if (isObject(out.type) && typeof out.type.id === "string") out.type.id = out.type.id.toLowerCase();
  return out;
}
