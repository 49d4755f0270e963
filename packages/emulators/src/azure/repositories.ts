/**
 * Git repositories as the routes serve them: create, look up, refs, and item reads (the history
 * itself, pushes and commits, is in git.ts).
 */
import type { JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse } from "../core/server.js";
import { AzureError, badRequest, notFound } from "./errors.js";
import { blobId, normalizePath, refName, resolveVersion, type Repo } from "./git.js";
import { EMULATOR_USER, raw, reply, projectRef, type Ctx, type Project } from "./model.js";
import type { AzureStore } from "./store.js";

export function addRepo(store: AzureStore, p: Project, name: string, defaultBranch = "refs/heads/main"): Repo {
  for (const r of p.repos.values())
    if (r.name.toLowerCase() === name.toLowerCase())
      throw new AzureError(409, "GitRepositoryNameAlreadyExistsException", `TF400948: A Git repository with the name ${name} already exists.`, "Git");
  const repo: Repo = { id: store.ids.uuid(), name, defaultBranch: refName(defaultBranch), refs: new Map(), commits: new Map(), pushes: 0 };
  p.repos.set(repo.id, repo);
  return repo;
}

export function findRepo(p: Project, idOrName: string, forDefinition = false): Repo {
  const key = idOrName.toLowerCase();
  const byId = p.repos.get(key);
  if (byId) return byId;
  for (const r of p.repos.values()) if (r.name.toLowerCase() === key) return r;
  const e = notFound(
    "GitRepositoryNotFoundException",
    `TF401019: The Git repository with name or identifier ${idOrName} does not exist or you do not have permissions for the operation you are attempting.`,
    "Git",
  );
  if (forDefinition) throw new AzureError(400, e.typeKey, e.message, "Build");
  throw e;
}

export function repoJson(p: Project, r: Repo, ctx: Ctx): JsonObject {
  const url = `${ctx.orgUrl}/${p.id}/_apis/git/repositories/${r.id}`;
  return {
    id: r.id,
    name: r.name,
    url,
    project: projectRef(p, ctx),
    defaultBranch: r.defaultBranch,
    size: 0,
    remoteUrl: `${ctx.orgUrl}/${encodeURIComponent(p.name)}/_git/${encodeURIComponent(r.name)}`,
    webUrl: `${ctx.orgUrl}/${encodeURIComponent(p.name)}/_git/${encodeURIComponent(r.name)}`,
    isDisabled: false,
    isInMaintenance: false,
  };
}

export function listRefs(r: Repo, filter: string): JsonObject {
  const f = filter.replace(/^refs\//, "");
  const value = [...r.refs]
    .filter(([name]) => name.replace(/^refs\//, "").startsWith(f))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, objectId]) => ({ name, objectId, creator: EMULATOR_USER }));
  return { count: value.length, value };
}

export function getItem(r: Repo, req: EmulatorRequest, pathInRoute: string | undefined): EmulatorResponse {
  const q = req.query;
  const rawPath = q.get("path") ?? pathInRoute;
  if (!rawPath) throw badRequest("The path parameter is required.", "ArgumentNullException", "Git");
  const path = normalizePath(rawPath);
  const commit = resolveVersion(
    r,
    q.get("versionDescriptor.version") ?? q.get("versionDescriptor[version]"),
    q.get("versionDescriptor.versionType") ?? q.get("versionDescriptor[versionType]"),
  );
  const content = commit?.files.get(path);
  if (!commit || content === undefined) {
    throw notFound(
      "GitItemNotFoundException",
      `TF401174: The item '${path}' could not be found in the repository '${r.name}' at the version specified by '${q.get("versionDescriptor.version") ?? r.defaultBranch}' (resolved to commit '${commit?.commitId ?? "none"}').`,
      "Git",
    );
  }
  const accept = String(req.headers.accept ?? "");
  if (/text\/plain/i.test(accept)) return raw({ status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: content });
  if (/application\/octet-stream|application\/zip/i.test(accept))
    return raw({ status: 200, headers: { "content-type": "application/octet-stream" }, body: content });
  const item: JsonObject = {
    objectId: blobId(content),
    gitObjectType: "blob",
    commitId: commit.commitId,
    path,
    url: `/items?path=${encodeURIComponent(path)}`,
  };
  if (q.get("includeContent") === "true") item.content = content;
  return reply(200, item);
}
