/**
 * Out-of-band changes, as someone else would make them between a plan and an apply (the test
 * hooks of the Azure emulator): commits, definition edits (revision + 1), environment and check edits.
 */
import { clone, type Json, type JsonObject } from "../core/json.js";
import { findCheck } from "./checks.js";
import { normalizePath, refName } from "./git.js";
import { isoNow, type Definition } from "./model.js";
import { addRepo, findRepo } from "./repositories.js";
import type { AzureStore } from "./store.js";

/** Commit files (content, or null to delete) on a branch, as someone else would. Returns the commit id. */
export function commitFiles(
  store: AzureStore,
  project: string,
  repoName: string,
  files: Record<string, string | null>,
  comment = "out-of-band commit",
  branch?: string,
): string {
  const p = store.project(project);
  const repo = findRepo(p, repoName);
  const ref = refName(branch ?? repo.defaultBranch);
  const head = repo.refs.get(ref);
  const tree = new Map(head ? repo.commits.get(head)!.files : []);
  for (const [path, content] of Object.entries(files)) {
    if (content === null) tree.delete(normalizePath(path));
    else tree.set(normalizePath(path), content);
  }
  const commitId = store.commitId();
  repo.commits.set(commitId, { commitId, parent: head, comment, files: tree, date: isoNow(store.opts.now) });
  repo.refs.set(ref, commitId);
  return commitId;
}

/** Create a Git repository (with files committed on its default branch when given). */
export function addRepository(
  store: AzureStore,
  project: string,
  name: string,
  opts: { defaultBranch?: string; files?: Record<string, string> } = {},
): { id: string; name: string } {
  const p = store.project(project);
  const repo = addRepo(store, p, name, opts.defaultBranch);
  if (opts.files && Object.keys(opts.files).length) commitFiles(store, project, name, opts.files, "initial commit");
  return { id: repo.id, name: repo.name };
}

function findDefinition(store: AzureStore, project: string, nameOrId: string | number): Definition {
  const p = store.project(project);
  for (const d of p.definitions.values()) if (d.id === nameOrId || d.body.name === nameOrId) return d;
  throw new Error(`no definition ${String(nameOrId)} in project ${project}`);
}

/** Edit a definition out of band: its revision goes up by one. */
export function mutateDefinition(store: AzureStore, project: string, nameOrId: string | number, fn: (d: JsonObject) => JsonObject | void): JsonObject {
  const d = findDefinition(store, project, nameOrId);
  const draft = clone(d.body);
  const next = fn(draft) ?? draft;
  next.id = d.id;
  next.revision = Number(d.body.revision) + 1;
  d.body = next;
  d.history.push(clone(next));
  return clone(next);
}

/** Set definition properties out of band (no revision change, as with the REST call). */
export function setDefinitionProperties(store: AzureStore, project: string, nameOrId: string | number, props: Record<string, Json>): void {
  const d = findDefinition(store, project, nameOrId);
  for (const [k, v] of Object.entries(props)) d.properties.set(k, v);
}

export function mutateEnvironment(store: AzureStore, project: string, name: string, fn: (e: { name: string; description: string }) => void): void {
  const p = store.project(project);
  const e = [...p.environments.values()].find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!e) throw new Error(`no environment ${name} in project ${project}`);
  const draft = { name: e.name, description: e.description };
  fn(draft);
  e.name = draft.name;
  e.description = draft.description;
  e.lastModifiedOn = isoNow(store.opts.now);
}

/** Edit a check configuration out of band: its version goes up by one. */
export function mutateCheck(store: AzureStore, project: string, id: number, fn: (c: JsonObject) => JsonObject | void): JsonObject {
  const p = store.project(project);
  const c = findCheck(p, id);
  const draft = clone(c.body);
  c.body = fn(draft) ?? draft;
  c.version++;
  return clone(c.body);
}
