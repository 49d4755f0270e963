/**
 * The stored form of a build definition: the fields the client writes plus everything the server
 * fills in (queue, repository defaults, links, project), which a sync client must normalize away.
 */
import { clone, isObject, type JsonObject } from "../core/json.js";
import { TFSGIT_PROPERTY_DEFAULTS, EMULATOR_USER, TRIGGER_NAMES, projectRef, type Ctx, type Project, type Definition } from "./model.js";
import { findRepo } from "./repositories.js";

export function folderOf(body: JsonObject): string {
  const raw = typeof body.path === "string" && body.path !== "" ? body.path.replace(/\//g, "\\") : "\\";
  const s = raw.startsWith("\\") ? raw : `\\${raw}`;
  return s.length > 1 ? s.replace(/\\+$/, "") : s;
}

/** The agent queue a definition names (by id, else by name; a new name gets the next id). */
function queueOf(p: Project, body: JsonObject, ctx: Ctx): JsonObject {
  const q = isObject(body.queue) ? body.queue : {};
  const qname = typeof q.name === "string" ? q.name : "Azure Pipelines";
  let qid = typeof q.id === "number" ? q.id : p.queues.get(qname.toLowerCase());
  if (qid === undefined) {
    qid = p.queues.size + 1;
    p.queues.set(qname.toLowerCase(), qid);
  }
  return {
    _links: { self: { href: `${ctx.orgUrl}/_apis/build/Queues/${qid}` } },
    id: qid,
    name: qname,
    url: `${ctx.orgUrl}/_apis/build/Queues/${qid}`,
    pool: { id: qid, name: qname, isHosted: qname === "Azure Pipelines" },
  };
}

/** The repository as the server fills it in: an Azure Repos one resolved, a GitHub one with its URLs. */
function repositoryOf(p: Project, body: JsonObject, ctx: Ctx): JsonObject {
  const repo: JsonObject = clone(isObject(body.repository) ? body.repository : {});
  if (String(repo.type).toLowerCase() === "tfsgit") {
    const r = findRepo(p, typeof repo.id === "string" ? repo.id : String(repo.name ?? ""), true);
    repo.id = r.id;
    repo.name = r.name;
    repo.url = `${ctx.orgUrl}/${encodeURIComponent(p.name)}/_git/${encodeURIComponent(r.name)}`;
    repo.properties = { ...TFSGIT_PROPERTY_DEFAULTS, ...(isObject(repo.properties) ? repo.properties : {}) };
  } else {
    repo.id ??= repo.name ?? null;
    const props = isObject(repo.properties) ? repo.properties : {};
    if (String(repo.type).toLowerCase() === "github") {
      repo.properties = {
        apiUrl: `https://api.github.com/repos/${String(repo.name)}`,
        fullName: String(repo.name),
        manageUrl: `https://github.com/${String(repo.name)}`,
        ...props,
      };
    }
  }
  repo.defaultBranch ??= "refs/heads/main";
  repo.clean ??= null;
  repo.checkoutSubmodules ??= false;
  return repo;
}

/** Client-writable fields plus everything the server fills in. */
export function materialize(p: Project, id: number, revision: number, body: JsonObject, ctx: Ctx, createdDate: string, previous?: JsonObject): JsonObject {
  const out: JsonObject = clone(body);
  for (const k of [
    "_links",
    "url",
    "uri",
    "authoredBy",
    "createdDate",
    "project",
    "revision",
    "id",
    "latestBuild",
    "latestCompletedBuild",
    "metrics",
    "drafts",
    "draftOf",
  ])
    delete out[k];
  out.path = folderOf(body);
  out.type = out.type === 1 || out.type === "xaml" ? "xaml" : "build";
  out.quality = "definition";
  out.queueStatus =
    typeof out.queueStatus === "string"
      ? out.queueStatus
      : typeof out.queueStatus === "number"
        ? (["enabled", "paused", "disabled"][out.queueStatus] ?? "enabled")
        : "enabled";
  out.jobAuthorizationScope ??= "projectCollection";
  out.jobTimeoutInMinutes ??= 60;
  out.jobCancelTimeoutInMinutes ??= 5;
  out.badgeEnabled ??= false;
  out.options ??= [];
  out.tags = Array.isArray(body.tags)
    ? [...new Set(body.tags.filter((t): t is string => typeof t === "string"))]
    : previous && Array.isArray(previous.tags)
      ? previous.tags
      : [];
  if (Array.isArray(out.triggers))
    out.triggers = out.triggers.map((t) =>
      isObject(t) && typeof t.triggerType === "number" ? { ...t, triggerType: TRIGGER_NAMES[t.triggerType] ?? t.triggerType } : t,
    );
  else out.triggers = [];
  out.queue = queueOf(p, body, ctx);
  out.repository = repositoryOf(p, body, ctx);
  const url = `${ctx.orgUrl}/${p.id}/_apis/build/Definitions/${id}?revision=${revision}`;
  return {
    ...out,
    _links: { self: { href: url }, web: { href: `${ctx.orgUrl}/${p.id}/_build/definition?definitionId=${id}` } },
    authoredBy: EMULATOR_USER,
    createdDate,
    id,
    revision,
    uri: `vstfs:///Build/Definition/${id}`,
    url,
    project: projectRef(p, ctx),
  };
}

export function reference(d: Definition): JsonObject {
  const b = d.body;
  const out: JsonObject = {};
  for (const k of [
    "_links",
    "authoredBy",
    "drafts",
    "queue",
    "id",
    "name",
    "url",
    "uri",
    "path",
    "type",
    "queueStatus",
    "revision",
    "createdDate",
    "project",
    "quality",
  ])
    if (b[k] !== undefined) out[k] = clone(b[k]);
  out.drafts ??= [];
  return out;
}
