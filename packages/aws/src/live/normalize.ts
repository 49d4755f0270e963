/**
 * One canonical form for desired and live bodies, so that equal means in sync:
 *
 *  - read-only members are dropped: the pipeline's `version` (the version token instead) and
 *    GetPipeline's `metadata`; a project's `arn`, `created`, `lastModified` (the version token),
 *    `webhook`, `projectVisibility`, `publicProjectAlias`, `resourceAccessRole`, `badge.badgeRequestUrl`;
 *  - server defaults are made explicit where a write can set them, so that a change back to the
 *    default is written: `executionMode` SUPERSEDED, `pipelineType` V1, action `runOrder` 1, project
 *    `timeoutInMinutes` 60, `queuedTimeoutInMinutes` 480, `environment.imagePullCredentialsType` CODEBUILD;
 *  - defaults that read back as noise are dropped: the AWS-managed S3 key (`…alias/aws/s3`),
 *    `privilegedMode`/`insecureSsl`/`encryptionDisabled`/`overrideArtifactName` false, packaging NONE,
 *    the artifact `name` of CODEPIPELINE/NO_ARTIFACTS artifacts, the default `logsConfig`,
 *    `cache` NO_CACHE, `autoRetryLimit` 0, `badgeEnabled` false, empty strings for `description`
 *    and `sourceVersion`, and every empty list or object;
 *  - tags are sorted by key; `aws:` tags (set by AWS, not writable) are dropped;
 *  - disabled transitions are sorted by stage name; enabled ones are not listed.
 *
 * For compile's own output the canonical form changes only tag order and makes defaults explicit.
 */
import { isObject, OWNERSHIP, type Obj } from "@pipeglot/core";
import { byText } from "@pipeglot/schema";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type { Obj };

export interface Tag {
  key: string;
  value: string;
}

export interface Transition {
  stageName: string;
  enabled: false;
  reason?: string;
}

export const MANAGED_BY_KEY = OWNERSHIP.keyed.managedBy;
export const MANAGED_BY_VALUE = OWNERSHIP.value;
const DEFAULT_TRANSITION_REASON = "Disabled by pipeglot";

/** A JSON copy (Dates become ISO strings, undefined members vanish). */
const jsonCopy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Drop undefined/null members and empty lists/objects, recursively (array elements are kept in place). */
function pruneEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (isObject(x) || Array.isArray(x) ? pruneEmpty(x) : x));
  if (!isObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || x === null) continue;
    const y = isObject(x) || Array.isArray(x) ? pruneEmpty(x) : x;
    if (Array.isArray(y) && y.length === 0) continue;
    if (isObject(y) && Object.keys(y).length === 0) continue;
    out[k] = y;
  }
  return out;
}

export function canonicalTags(tags: unknown): Tag[] {
  if (!Array.isArray(tags)) return [];
  return tags
    .filter((t): t is Obj => isObject(t) && typeof t.key === "string")
    .filter((t) => !(t.key as string).startsWith("aws:"))
    .map((t) => ({ key: t.key as string, value: typeof t.value === "string" ? t.value : "" }))
    .sort(byText((x) => x.key));
}

export const isManaged = (tags: readonly Tag[]): boolean => tags.some((t) => t.key === MANAGED_BY_KEY && t.value === MANAGED_BY_VALUE);

/** A PipelineDeclaration in canonical form. */
export function canonicalDeclaration(decl: unknown): Obj {
  const d = jsonCopy(isObject(decl) ? decl : {}) as Obj;
  delete d.version;
  d.executionMode ??= "SUPERSEDED";
  d.pipelineType ??= "V1";
  for (const stage of Array.isArray(d.stages) ? d.stages : [])
    if (isObject(stage)) for (const action of Array.isArray(stage.actions) ? stage.actions : []) if (isObject(action)) action.runOrder ??= 1;
  return pruneEmpty(d) as Obj;
}

/** `{pipeline, tags}` (CreatePipelineInput) in canonical form. */
export function canonicalPipelineInput(input: unknown): { pipeline: Obj; tags?: Tag[] } {
  const i = isObject(input) ? input : {};
  const tags = canonicalTags(i.tags);
  return { pipeline: canonicalDeclaration(i.pipeline), ...(tags.length ? { tags } : {}) };
}

const PROJECT_READ_ONLY = ["arn", "created", "lastModified", "webhook", "projectVisibility", "publicProjectAlias", "resourceAccessRole"];

function canonicalArtifacts(a: unknown): unknown {
  if (!isObject(a)) return a;
  const x = { ...a };
  if (x.encryptionDisabled === false) delete x.encryptionDisabled;
  if (x.overrideArtifactName === false) delete x.overrideArtifactName;
  if (x.packaging === "NONE") delete x.packaging;
  if (x.type === "CODEPIPELINE" || x.type === "NO_ARTIFACTS") delete x.name;
  return x;
}

function canonicalSource(s: unknown): unknown {
  if (!isObject(s)) return s;
  const x = { ...s };
  if (x.insecureSsl === false) delete x.insecureSsl;
  return x;
}

/** A CreateProjectInput, or a Project from BatchGetProjects, in canonical (CreateProjectInput) form. */
export function canonicalProject(project: unknown): Obj {
  const p = jsonCopy(isObject(project) ? project : {}) as Obj;
  for (const k of PROJECT_READ_ONLY) delete p[k];
  if (isObject(p.badge)) {
    if (p.badge.badgeEnabled === true) p.badgeEnabled = true;
    delete p.badge;
  }
  if (p.badgeEnabled === false) delete p.badgeEnabled;
  p.timeoutInMinutes ??= 60;
  p.queuedTimeoutInMinutes ??= 480;
  if (typeof p.encryptionKey === "string" && /(^|[:/])alias\/aws\/s3$/.test(p.encryptionKey)) delete p.encryptionKey;
  if (p.description === "") delete p.description;
  if (p.sourceVersion === "") delete p.sourceVersion;
  if (p.autoRetryLimit === 0) delete p.autoRetryLimit;
  if (isObject(p.cache) && p.cache.type === "NO_CACHE" && Object.keys(p.cache).length === 1) delete p.cache;
  if (isObject(p.environment)) {
    const e = p.environment;
    e.imagePullCredentialsType ??= "CODEBUILD";
    if (e.privilegedMode === false) delete e.privilegedMode;
  }
  p.source = canonicalSource(p.source);
  if (Array.isArray(p.secondarySources)) p.secondarySources = p.secondarySources.map(canonicalSource);
  p.artifacts = canonicalArtifacts(p.artifacts);
  if (Array.isArray(p.secondaryArtifacts)) p.secondaryArtifacts = p.secondaryArtifacts.map(canonicalArtifacts);
  if (isObject(p.logsConfig)) {
    const l = p.logsConfig;
    if (isObject(l.cloudWatchLogs) && l.cloudWatchLogs.status === "ENABLED" && Object.keys(l.cloudWatchLogs).length === 1) delete l.cloudWatchLogs;
    if (
      isObject(l.s3Logs) &&
      l.s3Logs.status === "DISABLED" &&
      Object.keys(l.s3Logs).every((k) => k === "status" || (k === "encryptionDisabled" && l.s3Logs && (l.s3Logs as Obj).encryptionDisabled === false))
    )
      delete l.s3Logs;
  }
  const tags = canonicalTags(p.tags);
  if (tags.length) p.tags = tags;
  else delete p.tags;
  return pruneEmpty(p) as Obj;
}

/**
 * What UpdateProject must send for a top-level member that the desired body no longer has
 * (UpdateProject changes only the members it is given).
 */
export const PROJECT_RESET: Readonly<Record<string, unknown>> = {
  description: "",
  badgeEnabled: false,
  secondarySources: [],
  secondaryArtifacts: [],
  secondarySourceVersions: [],
  fileSystemLocations: [],
  cache: { type: "NO_CACHE" },
  logsConfig: { cloudWatchLogs: { status: "ENABLED" }, s3Logs: { status: "DISABLED" } },
  concurrentBuildLimit: -1,
  autoRetryLimit: 0,
  encryptionKey: "alias/aws/s3",
  vpcConfig: {},
  sourceVersion: "",
  tags: [],
  timeoutInMinutes: 60,
  queuedTimeoutInMinutes: 480,
};

/** transitions.json (or a list read back) in canonical form: disabled ones only, by stage name. */
export function canonicalTransitions(list: unknown): Transition[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((t): t is Obj => isObject(t) && typeof t.stageName === "string" && t.enabled === false)
    .map((t) => ({
      stageName: t.stageName as string,
      enabled: false as const,
      reason: typeof t.reason === "string" && t.reason ? t.reason : DEFAULT_TRANSITION_REASON,
    }))
    .sort(byText((x) => x.stageName));
}

export interface StageState {
  stageName?: string;
  inboundTransitionState?: { enabled?: boolean; disabledReason?: string; lastChangedAt?: Date | string | number; lastChangedBy?: string };
}

/** GetPipelineState → the disabled inbound transitions (lastChangedBy, which names the caller, is never kept). */
export function transitionsFromState(stageStates: readonly StageState[] | undefined): Transition[] {
  return canonicalTransitions(
    (stageStates ?? [])
      .filter((s) => s.inboundTransitionState?.enabled === false)
      .map((s) => ({ stageName: s.stageName, enabled: false, reason: s.inboundTransitionState?.disabledReason })),
  );
}

const stamp = (v: Date | string | number | undefined): string =>
  v === undefined
    ? ""
    : v instanceof Date
      ? String(Math.floor(v.getTime() / 1000))
      : typeof v === "number"
        ? String(Math.floor(v))
        : String(Math.floor(Date.parse(v) / 1000));

/**
 * The transitions' version token: `stage=<0|1>@<lastChangedAt epoch>` for every stage but the
 * first, comma-separated. CodePipeline keeps no version for transitions; this is what changes when
 * someone else enables or disables one.
 */
export function transitionsToken(stageStates: readonly StageState[] | undefined): string {
  return (stageStates ?? [])
    .filter((s) => s.inboundTransitionState)
    .map(
      (s) =>
        `${encodeURIComponent(s.stageName ?? "")}=${s.inboundTransitionState!.enabled === false ? 0 : 1}@${stamp(s.inboundTransitionState!.lastChangedAt)}`,
    )
    .join(",");
}

export function parseTransitionsToken(token: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of (token ?? "").split(",")) {
    const i = part.lastIndexOf("=");
    if (i > 0) m.set(decodeURIComponent(part.slice(0, i)), part.slice(i + 1));
  }
  return m;
}
