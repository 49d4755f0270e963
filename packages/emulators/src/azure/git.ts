/**
 * Just enough of Azure Repos Git for pipeglot: repositories, refs, pushes (`GitApi.createPush`) and
 * item reads (`getItem`, `getItemText`, `getItemContent`). Each repository keeps a linear history
 * per branch; object ids are real git SHA-1s of the blobs (`blob <len>\0<bytes>`).
 */
import { createHash } from "node:crypto";
import type { JsonObject } from "../core/json.js";
import { isObject } from "../core/json.js";
import { AzureError, badRequest, notFound } from "./errors.js";

const ZERO_ID = "0000000000000000000000000000000000000000";

export interface Commit {
  commitId: string;
  parent?: string;
  comment: string;
  /** The whole tree after this commit: path (leading "/") → content. */
  files: Map<string, string>;
  date: string;
}

export interface Repo {
  id: string;
  name: string;
  defaultBranch: string;
  /** refs/heads/x → commit id. */
  refs: Map<string, string>;
  commits: Map<string, Commit>;
  pushes: number;
}

export const blobId = (content: string): string => {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
};

export function normalizePath(p: string): string {
  const s = p.replace(/\\/g, "/");
  return s.startsWith("/") ? s : `/${s}`;
}

const CHANGE_TYPES: Record<string, number> = { add: 1, edit: 2, delete: 16 };

function changeType(v: unknown): "add" | "edit" | "delete" {
  const n = typeof v === "number" ? v : typeof v === "string" ? (CHANGE_TYPES[v.toLowerCase()] ?? Number(v)) : NaN;
  if (n === 1) return "add";
  if (n === 2) return "edit";
  if (n === 16) return "delete";
  throw badRequest(`changeType ${JSON.stringify(v)} is not supported by the emulator (add, edit, delete)`, "ArgumentException", "Git");
}

export function refName(branchOrRef: string): string {
  return branchOrRef.startsWith("refs/") ? branchOrRef : `refs/heads/${branchOrRef}`;
}

/** Apply a push body to a repository. Throws AzureError for stale refs and bad changes. */
export function applyPush(repo: Repo, push: JsonObject, now: string, pusher: JsonObject, nextCommitId: () => string): JsonObject {
  const refUpdates = Array.isArray(push.refUpdates) ? push.refUpdates : [];
  const commits = Array.isArray(push.commits) ? push.commits : [];
  if (refUpdates.length !== 1 || !isObject(refUpdates[0])) throw badRequest("A push needs exactly one refUpdate in the emulator.", "ArgumentException", "Git");
  if (commits.length === 0) throw badRequest("The push contains no commits.", "ArgumentException", "Git");
  const ru = refUpdates[0];
  const name = typeof ru.name === "string" ? refName(ru.name) : "";
  if (!name) throw badRequest("refUpdates[0].name is required.", "ArgumentNullException", "Git");
  const current = repo.refs.get(name) ?? ZERO_ID;
  const old = typeof ru.oldObjectId === "string" ? ru.oldObjectId : ZERO_ID;
  if (old !== current) {
    throw new AzureError(
      409,
      "GitReferenceStaleException",
      `TF401028: The reference '${name}' has already been updated by another client, so you cannot update it. Please try again.`,
      "Git",
    );
  }
  let head = current === ZERO_ID ? undefined : repo.commits.get(current);
  const made: JsonObject[] = [];
  for (const c of commits) {
    if (!isObject(c)) throw badRequest("commit must be an object", "ArgumentException", "Git");
    const files = new Map(head?.files ?? []);
    for (const ch of Array.isArray(c.changes) ? c.changes : []) {
      if (!isObject(ch) || !isObject(ch.item) || typeof ch.item.path !== "string") throw badRequest("each change needs item.path", "ArgumentException", "Git");
      const path = normalizePath(ch.item.path);
      const type = changeType(ch.changeType);
      if (type === "delete") {
        if (!files.has(path))
          throw notFound(
            "GitItemNotFoundException",
            `TF401174: The item '${path}' could not be found in the repository '${repo.name}' at the version specified by '${name}'.`,
            "Git",
          );
        files.delete(path);
        continue;
      }
      if (type === "add" && files.has(path)) throw new AzureError(409, "GitItemAlreadyExistsException", `TF401238: The item '${path}' already exists.`, "Git");
      if (type === "edit" && !files.has(path))
        throw notFound(
          "GitItemNotFoundException",
          `TF401174: The item '${path}' could not be found in the repository '${repo.name}' at the version specified by '${name}'.`,
          "Git",
        );
      const nc = isObject(ch.newContent) ? ch.newContent : {};
      const raw = typeof nc.content === "string" ? nc.content : "";
      const ct = nc.contentType;
      const content = ct === 1 || (typeof ct === "string" && ct.toLowerCase() === "base64encoded") ? Buffer.from(raw, "base64").toString("utf8") : raw;
      files.set(path, content);
    }
    const commitId = nextCommitId();
    const commit: Commit = { commitId, parent: head?.commitId, comment: typeof c.comment === "string" ? c.comment : "", files, date: now };
    repo.commits.set(commitId, commit);
    head = commit;
    made.push({ commitId, comment: commit.comment, ...(commit.parent ? { parents: [commit.parent] } : { parents: [] }) });
  }
  repo.refs.set(name, head!.commitId);
  repo.pushes++;
  return {
    commits: made,
    refUpdates: [{ name, oldObjectId: current, newObjectId: head!.commitId }],
    pushId: repo.pushes,
    date: now,
    pushedBy: pusher,
    repository: { id: repo.id, name: repo.name },
  };
}

/** The commit a version descriptor names (branch name, tag ignored, commit id); default branch when absent. */
export function resolveVersion(repo: Repo, version: string | null, versionType: string | null): Commit | undefined {
  const type = (versionType ?? "branch").toLowerCase();
  if (type === "2" || type === "commit") return version ? repo.commits.get(version) : undefined;
  const ref = refName(version && version !== "" ? version : repo.defaultBranch.replace(/^refs\/heads\//, ""));
  const id = repo.refs.get(ref);
  return id ? repo.commits.get(id) : undefined;
}
