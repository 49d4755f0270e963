/**
 * The Azure DevOps emulator's data model (projects and what they hold), its constants, and the
 * small helpers every area shares: JSON bodies, complete responses, api-version, name patterns.
 */
import { isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse } from "../core/server.js";
import { badRequest } from "./errors.js";
import type { Repo } from "./git.js";
import type { AzureIdentitySeed } from "./identities.js";
import type { Run, RunApproval } from "./run-model.js";

export interface AzureEmulatorOptions {
  now: () => Date;
  seed: number;
  /** Seconds in the `Retry-After` header of an injected 429 (default 1). */
  retryAfterSeconds?: number;
  /** Status for a stale `revision` on definition update: 404 (default, as reported) or 409. */
  staleRevisionStatus?: 404 | 409;
  /**
   * Service connections every project starts with, as in an organization where someone created
   * them (`pipeglot emulate` seeds `github` and `bitbucket`, the names the Azure compiler uses by
   * default). Default none.
   */
  serviceConnections?: readonly { name: string; type: string }[];
  /** How runs are simulated (the emulators' RunSimulation): ms per job (default 100), jobs or steps that fail. */
  runs?: { stepMs?: number; failSteps?: readonly string[] };
  /** Where runs read the YAML of GitHub and Bitbucket repositories, which the emulator cannot reach (a working tree). Without it such runs are refused. */
  externalRepositoryRoot?: string;
  /** Users and groups of the organization (the Identities API), besides the emulator's one user. Default none. */
  identities?: readonly AzureIdentitySeed[];
}

/** The Approval check type (fixed id in Azure DevOps). */
export const APPROVAL_TYPE_ID = "8c6f20a7-a545-4486-9777-f762fafe0d4d";
export const CHECK_TYPE_NAMES: Record<string, string> = {
  [APPROVAL_TYPE_ID]: "Approval",
  "fe1de3ee-a436-41b4-bb20-f6eb4cb879a7": "Task Check",
  "445fde2f-6c39-441c-807f-8a59ff2e075f": "ExclusiveLock",
};

export const DEFAULT_QUEUES = ["Azure Pipelines", "Default"];
export const EMULATOR_USER: JsonObject = {
  displayName: "pipeglot emulator",
  id: "a2b1c3d4-0000-4000-8000-00000000e1a7",
  uniqueName: "emulator@pipeglot.invalid",
};

export const TFSGIT_PROPERTY_DEFAULTS: Record<string, string> = {
  cleanOptions: "0",
  labelSources: "0",
  labelSourcesFormat: "$(build.buildNumber)",
  reportBuildStatus: "true",
  gitLfsSupport: "false",
  skipSyncSource: "false",
  checkoutNestedSubmodules: "false",
  fetchDepth: "0",
};

export interface Definition {
  id: number;
  /** The stored BuildDefinition (server fields included). */
  body: JsonObject;
  /** Every revision, index = revision - 1. */
  history: JsonObject[];
  properties: Map<string, Json>;
}

export interface Environment {
  id: number;
  name: string;
  description: string;
  createdOn: string;
  lastModifiedOn: string;
}

export interface Check {
  id: number;
  version: number;
  body: JsonObject;
}

export interface Endpoint {
  id: string;
  name: string;
  type: string;
}

export interface Project {
  id: string;
  name: string;
  definitions: Map<number, Definition>;
  environments: Map<number, Environment>;
  checks: Map<number, Check>;
  repos: Map<string, Repo>;
  endpoints: Map<string, Endpoint>;
  queues: Map<string, number>;
  /** Simulated runs (builds) by id; absent in state saved before runs existed. */
  runs?: Map<number, Run>;
  /** Approvals of the runs' environment checks, by id. */
  approvals?: Map<string, RunApproval>;
}

export interface AzureProjectSnapshot {
  name: string;
  id: string;
  definitions: JsonObject[];
  environments: JsonObject[];
  checks: JsonObject[];
  repositories: { id: string; name: string; defaultBranch: string; refs: Record<string, string>; files: Record<string, string> }[];
  serviceEndpoints: { id: string; name: string; type: string }[];
}

export type Handler = (req: EmulatorRequest, m: RegExpExecArray, ctx: Ctx) => EmulatorResponse | JsonObject;

export interface Ctx {
  orgUrl: string;
}

export interface Route {
  method: string;
  re: RegExp;
  op: string;
  run: Handler;
}

export const P = "/([^/]+)/_apis";

/** Handler results that are complete responses (not a JSON body to wrap in 200). */
export const RAW = new WeakSet<object>();
export function raw(r: EmulatorResponse): EmulatorResponse {
  RAW.add(r);
  return r;
}

export function isoNow(now: () => Date): string {
  return now().toISOString();
}

export function apiVersionOf(req: EmulatorRequest): string | undefined {
  const q = req.query.get("api-version");
  if (q) return q;
  const accept = String(req.headers.accept ?? "");
  const m = /api-version=([^;,\s]+)/i.exec(accept);
  return m?.[1];
}

export function matchName(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(name);
}

/** DefinitionTriggerType names by flag value (BuildInterfaces.DefinitionTriggerType). */
export const TRIGGER_NAMES: Record<number, string> = {
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

export function reply(status: number, body: Json | string | undefined, headers: Record<string, string> = {}): EmulatorResponse {
  return raw({ status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: body as Json });
}

export function jsonBody(req: EmulatorRequest): JsonObject {
  let v: Json;
  try {
    v = req.body.length ? (JSON.parse(req.body.toString("utf8")) as Json) : {};
  } catch {
    throw badRequest("The request body is not valid JSON.", "VssRequestContentException");
  }
  if (!isObject(v)) throw badRequest("The request body must be a JSON object.", "VssRequestContentException");
  return v;
}

export function jsonArray(req: EmulatorRequest): Json[] {
  try {
    const v = JSON.parse(req.body.toString("utf8")) as Json;
    if (Array.isArray(v)) return v;
  } catch {
    /* below */
  }
  throw badRequest("The request body must be a JSON array.", "VssRequestContentException");
}

export function projectRef(p: Project, ctx?: Ctx): JsonObject {
  return {
    id: p.id,
    name: p.name,
    ...(ctx ? { url: `${ctx.orgUrl}/_apis/projects/${p.id}` } : {}),
    state: "wellFormed",
    revision: 1,
    visibility: "private",
    lastUpdateTime: "2026-01-01T00:00:00.000Z",
  };
}
