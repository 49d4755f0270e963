/**
 * The OCI DevOps emulator's state: stored resources with their etags, work requests, replayed
 * retry tokens and the id generators; plus the look-ups every operation shares.
 */
import { Prng } from "../core/prng.js";
import { clone, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorResponse } from "../core/server.js";
import { decodeState, encodeState, refill, resume } from "../core/state.js";
import { OciError, STATUS } from "./errors.js";
import { KINDS, type OciKind } from "./kinds.js";
import type { RunRecord } from "./runs/records.js";

export interface OciEmulatorOptions {
  now: () => Date;
  seed: number;
  region: string;
  /** The compartment of every project (default ocid1.compartment.oc1..pipeglotemulator). */
  compartmentId?: string;
  /** keyId → public key PEM. Absent or empty: signatures are not checked. */
  trustedKeys?: Record<string, string>;
  /** Polls of a work request before it succeeds (default 2: IN_PROGRESS, then SUCCEEDED). */
  workRequestPolls?: number;
  /**
   * Set: a work request finishes as time passes instead, succeeding on the first poll at least this
   * many ms (of `now`) after it was accepted (0: on the first poll); `workRequestPolls` is then ignored.
   */
  workRequestMs?: number;
  /** Simulated runs: each stage takes stepMs (default 100) of `now`; stages named in failSteps fail. */
  runs?: { stepMs?: number; failSteps?: readonly string[] };
}

export type WorkRequestStatus = "ACCEPTED" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED";

export interface WorkRequest {
  id: string;
  operationType: string;
  status: WorkRequestStatus;
  compartmentId: string;
  resourceId: string;
  kind: OciKind;
  action: "CREATED" | "UPDATED" | "DELETED";
  /** It ends FAILED (failWhen matched when it was accepted). */
  fails?: boolean;
  polls: number;
  timeAccepted: string;
  /** `now` when accepted, in ms (absent in states saved before it existed: counts as long ago). */
  acceptedAt?: number;
  timeStarted?: string;
  timeFinished?: string;
}

export interface Stored {
  kind: OciKind;
  body: JsonObject;
  etag: string;
  /** Pending work request id, while the resource is CREATING/UPDATING/DELETING. */
  pending?: string;
}

export interface OciResourceSnapshot {
  kind: OciKind;
  etag: string;
  resource: JsonObject;
}

/** What a test's failWorkRequests predicate sees of a work request. */
export interface WorkRequestInfo {
  operationType: string;
  resourceId: string;
  /** The resource's displayName when it was accepted. */
  resourceName: string;
}

export class OciStore {
  readonly resources = new Map<string, Stored>();
  readonly workRequests = new Map<string, WorkRequest>();
  /** Work requests that end FAILED (see OciEmulator.failWorkRequests). */
  failWhen?: (w: WorkRequestInfo) => boolean;
  readonly retryTokens = new Map<string, EmulatorResponse>();
  /** Build runs and deployments, by id, in creation order. */
  readonly runs = new Map<string, RunRecord>();
  private readonly ids: Prng;
  private readonly requestIds: Prng;
  readonly compartmentId: string;

  constructor(readonly opts: OciEmulatorOptions) {
    this.ids = new Prng(opts.seed);
    this.requestIds = new Prng(opts.seed ^ 0x5bd1e995);
    this.compartmentId = opts.compartmentId ?? "ocid1.compartment.oc1..pipeglotemulator";
  }

  now(): string {
    return this.opts.now().toISOString();
  }

  ocid(prefix: string): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    let s = "";
    for (let i = 0; i < 24; i++) s += alphabet[Math.floor(this.ids.next() * alphabet.length)];
    return `ocid1.${prefix}.oc1.${this.opts.region}.amaaaaaa${s}`;
  }

  etag(): string {
    let s = "";
    for (let i = 0; i < 8; i++)
      s += Math.floor(this.ids.next() * 0x10000)
        .toString(16)
        .padStart(4, "0");
    return s;
  }

  private requestId(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.requestIds.next() * 16).toString(16))
      .join("")
      .toUpperCase();
    return `${hex.slice(0, 16)}/${hex.slice(16)}`;
  }

  reply(status: number, body?: Json, headers: Record<string, string> = {}): EmulatorResponse {
    const h: Record<string, string> = { "opc-request-id": this.requestId(), ...headers };
    if (body !== undefined) h["content-type"] = "application/json";
    return { status, headers: h, ...(body !== undefined ? { body } : {}) };
  }

  error(e: OciError): EmulatorResponse {
    return this.reply(STATUS[e.code] ?? 500, { code: e.code, message: e.message });
  }

  find(kind: OciKind, id: string): Stored {
    const s = this.resources.get(id);
    if (!s || s.kind !== kind) throw new OciError("NotAuthorizedOrNotFound", `Authorization failed or requested resource not found: ${KINDS[kind].op} ${id}`);
    return s;
  }

  requireActive(s: Stored, what: string): void {
    const state = s.body.lifecycleState;
    if (state !== "ACTIVE") throw new OciError("IncorrectState", `${what} ${String(s.body.id)} is in state ${String(state)}; the operation needs ACTIVE`);
  }

  mustExist(id: unknown, kind: OciKind, field: string): void {
    if (typeof id !== "string") throw new OciError("MissingParameter", `${field} is required`);
    const s = this.resources.get(id);
    if (!s || s.kind !== kind) throw new OciError("InvalidParameter", `${field} ${id} does not name an existing ${KINDS[kind].op}`);
  }

  reset(): void {
    this.resources.clear();
    this.workRequests.clear();
    this.retryTokens.clear();
    this.runs.clear();
  }

  snapshot(): OciResourceSnapshot[] {
    return [...this.resources.values()].map((s) => ({ kind: s.kind, etag: s.etag, resource: clone(s.body) }));
  }

  saveState(): Json {
    const { resources, workRequests, retryTokens, runs, ids, requestIds } = this;
    return encodeState({ resources, workRequests, retryTokens, runs, ids, requestIds });
  }

  loadState(state: Json): void {
    const s = decodeState(state) as Record<"resources" | "workRequests" | "retryTokens" | "runs" | "ids" | "requestIds", unknown>;
    refill(this.resources, s.resources);
    refill(this.workRequests, s.workRequests);
    refill(this.retryTokens, s.retryTokens);
    refill(this.runs, s.runs);
    resume(this.ids, s.ids);
    resume(this.requestIds, s.requestIds);
  }
}
