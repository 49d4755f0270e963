/**
 * Builds as the Node client returns them (protobuf messages: enums as names or numbers,
 * timestamps as {seconds, nanos}), made plain, and the reads the operate commands make:
 *
 *   the pipeline's builds   1 × ListBuilds  (filter tags="pipeglot-pipeline-<name>", newest first, 100)
 *   one build               1 × GetBuild    (a run id the list does not hold)
 *   live triggers           1 × GET /v1/{parent}/triggers per page (raw REST: the client's protos lack approvalConfig)
 *
 * A run is the chain of builds pipeglot's split starts: the part-0 build (tag pipeglot-part-0),
 * then the build each one's last step started, which names it in the substitution
 * _PIPEGLOT_PARENT (compile/build.ts passOn).
 */
import type { GcbLiveClient } from "../live/client.js";
import { PARENT_SUBST } from "../compile/build.js";
import { PIPELINE_TAG } from "../names.js";
import { isNotFound } from "../live/errors.js";
import { partOf, type Raw } from "./layout.js";

export interface StepInfo {
  id?: string;
  status: string;
  allowFailure: boolean;
  start?: string;
  end?: string;
  args: string[];
}

export interface BuildInfo {
  id: string;
  name: string;
  status: string;
  triggerId: string;
  /** The pipeline its `pipeglot-pipeline-<name>` tag names. */
  pipeline?: string;
  part?: number;
  parent?: string;
  createTime?: string;
  startTime?: string;
  finishTime?: string;
  statusDetail?: string;
  substitutions: Record<string, string>;
  steps: StepInfo[];
  approval?: { state: string; approver?: string; comment?: string; time?: string };
}

const BUILD_STATUS: Record<number, string> = {
  0: "STATUS_UNKNOWN",
  10: "PENDING",
  1: "QUEUED",
  2: "WORKING",
  3: "SUCCESS",
  4: "FAILURE",
  5: "INTERNAL_ERROR",
  6: "TIMEOUT",
  7: "CANCELLED",
  9: "EXPIRED",
};
const APPROVAL_STATE: Record<number, string> = { 0: "STATE_UNSPECIFIED", 1: "PENDING", 2: "APPROVED", 3: "REJECTED", 5: "CANCELLED" };
export const FINAL_STATUS = new Set(["SUCCESS", "FAILURE", "INTERNAL_ERROR", "TIMEOUT", "CANCELLED", "EXPIRED"]);

const obj = (v: unknown): Raw => (typeof v === "object" && v !== null ? (v as Raw) : {});
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const enumName = (v: unknown, table: Record<number, string>): string => (typeof v === "number" ? (table[v] ?? String(v)) : (text(v) ?? table[0]!));

/** A protobuf Timestamp ({seconds: string | number | Long, nanos}) or an RFC 3339 string → ISO 8601. */
export function isoTime(v: unknown): string | undefined {
  if (typeof v === "string") return v || undefined;
  const t = obj(v);
  if (t.seconds === undefined || t.seconds === null) return undefined;
  const seconds = Number(String(t.seconds));
  const nanos = typeof t.nanos === "number" ? t.nanos : 0;
  return Number.isFinite(seconds) ? new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString() : undefined;
}

function stringMap(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === "string"));
}

function stepOf(s: unknown): StepInfo {
  const r = obj(s);
  const timing = obj(r.timing);
  const start = isoTime(timing.startTime);
  const end = isoTime(timing.endTime);
  return {
    ...(text(r.id) ? { id: r.id as string } : {}),
    status: enumName(r.status, BUILD_STATUS),
    allowFailure: r.allowFailure === true,
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    args: Array.isArray(r.args) ? r.args.filter((a): a is string => typeof a === "string") : [],
  };
}

/** A build of the Node client (or the REST JSON) as plain data. */
export function buildOf(raw: unknown): BuildInfo {
  const r = obj(raw);
  const subs = stringMap(r.substitutions);
  const tags = Array.isArray(r.tags) ? r.tags.filter((t): t is string => typeof t === "string") : [];
  const a = obj(r.approval);
  const result = obj(a.result);
  const part = partOf(tags);
  const b: BuildInfo = {
    id: text(r.id) ?? "",
    name: text(r.name) ?? "",
    status: enumName(r.status, BUILD_STATUS),
    triggerId: text(r.buildTriggerId) ?? "",
    substitutions: subs,
    steps: Array.isArray(r.steps) ? r.steps.map(stepOf) : [],
    ...(part !== undefined ? { part } : {}),
    ...(tags.some((t) => t.startsWith(PIPELINE_TAG)) ? { pipeline: tags.find((t) => t.startsWith(PIPELINE_TAG))!.slice(PIPELINE_TAG.length) } : {}),
    ...(subs[PARENT_SUBST] ? { parent: subs[PARENT_SUBST] } : {}),
  };
  for (const k of ["createTime", "startTime", "finishTime"] as const) {
    const t = isoTime(r[k]);
    if (t) b[k] = t;
  }
  if (text(r.statusDetail)) b.statusDetail = r.statusDetail as string;
  if (r.approval) {
    b.approval = { state: enumName(a.state, APPROVAL_STATE) };
    if (text(result.approverAccount)) b.approval.approver = result.approverAccount as string;
    if (text(result.comment)) b.approval.comment = result.comment as string;
    const at = isoTime(result.approvalTime);
    if (at) b.approval.time = at;
  }
  return b;
}

/** The pipeline's builds, newest first (one page of 100). */
export async function pipelineBuilds(c: GcbLiveClient, pipeline: string): Promise<BuildInfo[]> {
  const project = c.parent.split("/")[1]!;
  const [items] = await c.request("list builds", () =>
    c.sdk.listBuilds(
      { parent: c.parent, projectId: project, filter: `tags="${PIPELINE_TAG}${pipeline}"`, pageSize: 100 },
      { autoPaginate: false, retry: null },
    ),
  );
  return items.map(buildOf);
}

/** One build by id; undefined when there is none. */
export async function buildById(c: GcbLiveClient, id: string): Promise<BuildInfo | undefined> {
  try {
    const [b] = await c.request(`get build ${id}`, () => c.sdk.getBuild({ name: `${c.parent}/builds/${id}` }, { retry: null }));
    return buildOf(b);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Every trigger of the location, as the REST API returns them (approvalConfig, disabled, description included). */
export async function liveTriggers(c: GcbLiveClient): Promise<Raw[]> {
  const out: Raw[] = [];
  let token = "";
  do {
    const q = `pageSize=500${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`;
    const page = obj(await c.request("list triggers", () => c.restCall("GET", `/v1/${c.parent}/triggers?${q}`)));
    if (Array.isArray(page.triggers)) out.push(...page.triggers.map(obj));
    token = text(page.nextPageToken) ?? "";
  } while (token);
  return out;
}

/** The run a build belongs to: its part-0 build and the chain after it, in part order. */
export async function chainOf(c: GcbLiveClient, builds: BuildInfo[], start: BuildInfo): Promise<BuildInfo[]> {
  let root = start;
  for (let guard = 0; root.parent && guard < 50; guard++) {
    const up = builds.find((b) => b.id === root.parent) ?? (await buildById(c, root.parent));
    if (!up) break;
    root = up;
  }
  const chain = [root];
  for (;;) {
    const last = chain[chain.length - 1]!;
    const next = builds.find((b) => b.parent === last.id); // newest first: a run released by hand after a hold is the newest
    if (!next || chain.length > 50) return chain;
    chain.push(next);
  }
}
