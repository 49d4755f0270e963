/**
 * The saved plan (`plan --out PLANFILE`, `apply PLANFILE`): what apply needs to redo exactly the
 * planned changes, and to refuse when anything moved since. It holds no resource body (a live body
 * may carry a value someone typed into the console), only each body's SHA-256 digest: apply plans
 * again, and goes ahead only when every change is the same (action, resource, version token, digest
 * of the body before and after). The definition is identified by the SHA-256 of its text.
 */
import { createHash } from "node:crypto";
import { PROVIDER_IDS, type ProviderId } from "@pipeglot/schema";
import { canonicalJson } from "../emit.js";

export { canonicalJson };
import { PipeglotError } from "../errors.js";
import { keyString, type Action, type Change, type Plan } from "./types.js";

export const PLAN_FILE_KIND = "pipeglot-plan";
export const PLAN_FILE_FORMAT_VERSION = 1;

export interface SavedChange {
  action: Action;
  key: { kind: string; name: string };
  versionToken?: string;
  /** sha256 of the canonical JSON of the live body (update, delete, noop). */
  before?: string;
  /** sha256 of the canonical JSON of the body apply writes (create, update, noop). */
  after?: string;
  /** The changed paths inside the body (no values), for people reading the file. */
  paths: string[];
}

export interface SavedProviderPlan {
  provider: ProviderId;
  pipeline: string;
  changes: SavedChange[];
}

export interface PlanFile {
  kind: typeof PLAN_FILE_KIND;
  formatVersion: typeof PLAN_FILE_FORMAT_VERSION;
  /** The definition as plan was given it, and the sha256 of its text. */
  definition: { path: string; sha256: string };
  options: { prune: boolean; pushYaml: boolean };
  plans: SavedProviderPlan[];
}

export const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex");
const digest = (body: unknown): string => sha256Hex(canonicalJson(body));

const pathText = (path: readonly (string | number)[]): string => path.map((x) => (typeof x === "number" ? `[${x}]` : `.${x}`)).join("") || "(root)";

export function savedChange(c: Change): SavedChange {
  return {
    action: c.action,
    key: { kind: c.key.kind, name: c.key.name },
    ...(c.versionToken !== undefined ? { versionToken: c.versionToken } : {}),
    ...(c.before !== undefined ? { before: digest(c.before) } : {}),
    ...(c.after !== undefined ? { after: digest(c.after) } : {}),
    paths: c.diff.map((d) => pathText(d.path)),
  };
}

export function planFile(definition: { path: string; text: string }, options: PlanFile["options"], plans: readonly Plan[]): PlanFile {
  return {
    kind: PLAN_FILE_KIND,
    formatVersion: PLAN_FILE_FORMAT_VERSION,
    definition: { path: definition.path, sha256: sha256Hex(definition.text) },
    options,
    plans: plans.map((p) => ({ provider: p.provider, pipeline: p.pipeline, changes: p.changes.map(savedChange) })),
  };
}

/** True when the text looks like a saved plan (a JSON object naming its kind), not a definition. */
export function isPlanFileText(text: string): boolean {
  return /^\s*\{/.test(text) && text.includes(`"${PLAN_FILE_KIND}"`);
}

const bad = (file: string, why: string) => new PipeglotError(`${file} is not a usable pipeglot plan file: ${why}`, "config");

/** Parse and check a plan file; a clear error (kind config) for anything else. */
export function parsePlanFile(text: string, file: string): PlanFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw bad(file, `not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const o = v as Partial<PlanFile> | null;
  if (!o || typeof o !== "object" || o.kind !== PLAN_FILE_KIND) throw bad(file, `no "kind": "${PLAN_FILE_KIND}"`);
  if (o.formatVersion !== PLAN_FILE_FORMAT_VERSION)
    throw bad(
      file,
      `formatVersion ${JSON.stringify(o.formatVersion)}; this pipeglot reads formatVersion ${PLAN_FILE_FORMAT_VERSION}: run plan again with this version`,
    );
  if (!o.definition || typeof o.definition.path !== "string" || typeof o.definition.sha256 !== "string") throw bad(file, "no definition path and sha256");
  if (!o.options || typeof o.options.prune !== "boolean" || typeof o.options.pushYaml !== "boolean") throw bad(file, "no options");
  if (!Array.isArray(o.plans) || o.plans.length === 0) throw bad(file, "no plans");
  for (const p of o.plans)
    if (!p || !(PROVIDER_IDS as readonly string[]).includes(p.provider) || typeof p.pipeline !== "string" || !Array.isArray(p.changes))
      throw bad(file, "a plan without provider, pipeline or changes");
  return o as PlanFile;
}

const same = (a: SavedChange, b: SavedChange) => a.action === b.action && a.versionToken === b.versionToken && a.before === b.before && a.after === b.after;

/**
 * Why a saved plan no longer holds against a fresh one (empty when it still does): each line names
 * the resource and what moved.
 */
export function staleReasons(saved: SavedProviderPlan, fresh: Plan): string[] {
  const reasons: string[] = [];
  const prefix = `${saved.provider}:`;
  if (saved.pipeline !== fresh.pipeline)
    return [`${prefix} the plan is for pipeline ${JSON.stringify(saved.pipeline)}, the definition now names ${JSON.stringify(fresh.pipeline)}`];
  const now = new Map(fresh.changes.map((c) => [keyString(c.key), savedChange(c)]));
  const then = new Map(saved.changes.map((c) => [keyString(c.key), c]));
  for (const [k, s] of then) {
    const f = now.get(k);
    if (!f) reasons.push(`${prefix} ${k} was planned (${s.action}) but is no longer part of the plan`);
    else if (!same(s, f)) {
      const why =
        s.versionToken !== f.versionToken
          ? `live version ${s.versionToken ?? "(none)"} → ${f.versionToken ?? "(none)"}`
          : s.action !== f.action
            ? `${s.action} → ${f.action}`
            : "its live or desired body changed";
      reasons.push(`${prefix} ${k} changed since the plan (${why})`);
    }
  }
  for (const [k, f] of now) if (!then.has(k)) reasons.push(`${prefix} ${k} is new since the plan (${f.action})`);
  return reasons;
}
