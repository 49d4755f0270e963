/**
 * Pipelines approvals (`_apis/pipelines/approvals`, api 7.1): the approvals that the Approval
 * checks of environments create when a run's stage starts. Query (state, approvalIds,
 * `$expand=steps`), get one, and update (PATCH an array of {approvalId, status, comment}).
 * The emulator has one user, who is every approver; it refuses a decision by the run's requester
 * when the check says `requesterCannotBeApprover` (403), and a decision on an approval that is not
 * pending (400).
 */
import { isObject, type JsonObject } from "../core/json.js";
import type { EmulatorRequest } from "../core/server.js";
import { AzureError, badRequest, notFound } from "./errors.js";
import { EMULATOR_USER, type Ctx, type Project } from "./model.js";
import type { RunApproval } from "./run-model.js";
import { advanceRuns, approvalsOf, runsOf } from "./run-world.js";
import type { AzureStore } from "./store.js";

const iso = (ms: number): string => new Date(ms).toISOString();

function approvalJson(p: Project, a: RunApproval, ctx: Ctx, withSteps: boolean): JsonObject {
  const run = runsOf(p).get(a.buildId);
  const url = `${ctx.orgUrl}/${p.id}/_apis/pipelines/approvals/${a.id}`;
  const steps = a.approvers.map((who, i) => ({
    assignedApprover: { displayName: who.displayName, id: who.id },
    status: a.status === "pending" ? "pending" : a.status,
    ...(a.comment !== undefined && a.status !== "pending" ? { comment: a.comment } : {}),
    ...(a.status === "approved" || a.status === "rejected" ? { actualApprover: EMULATOR_USER } : {}),
    initiatedOn: iso(a.createdOn),
    lastModifiedOn: iso(a.lastModifiedOn),
    order: i + 1,
    permissions: "update",
  }));
  return {
    id: a.id,
    ...(withSteps ? { steps } : {}),
    status: a.status,
    createdOn: iso(a.createdOn),
    lastModifiedOn: iso(a.lastModifiedOn),
    ...(a.instructions !== undefined ? { instructions: a.instructions } : {}),
    minRequiredApprovers: a.minRequiredApprovers,
    blockedApprovers: [],
    executionOrder: "anyOrder",
    permissions: "update",
    pipeline: {
      owner: {
        _links: { web: { href: `${ctx.orgUrl}/${p.id}/_build/results?buildId=${a.buildId}` } },
        id: a.buildId,
        name: run?.buildNumber ?? String(a.buildId),
      },
      id: String(run?.definitionId ?? ""),
      name: run?.definitionName ?? "",
    },
    _links: { self: { href: url } },
  };
}

function findApproval(p: Project, id: string): RunApproval {
  const a = approvalsOf(p).get(id.toLowerCase());
  if (!a) throw notFound("ApprovalNotFoundException", `Approval ${id} was not found.`, "DistributedTask");
  return a;
}

/** GET pipelines/approvals: by state (pending, approved, rejected, all) and ids; oldest first. */
export function queryApprovals(store: AzureStore, p: Project, req: EmulatorRequest, ctx: Ctx): JsonObject {
  advanceRuns(store, p);
  const state = req.query.get("state");
  const ids = req.query.get("approvalIds");
  const wanted = ids ? new Set(ids.toLowerCase().split(",")) : undefined;
  const withSteps = /steps/i.test(req.query.get("$expand") ?? "");
  const value = [...approvalsOf(p).values()]
    .filter((a) => (!state || state === "all" || state.split(",").includes(a.status)) && (!wanted || wanted.has(a.id)))
    .sort((a, b) => a.createdOn - b.createdOn || a.buildId - b.buildId)
    .map((a) => approvalJson(p, a, ctx, withSteps));
  return { count: value.length, value };
}

export function getApproval(store: AzureStore, p: Project, id: string, req: EmulatorRequest, ctx: Ctx): JsonObject {
  advanceRuns(store, p);
  return approvalJson(p, findApproval(p, id), ctx, /steps/i.test(req.query.get("$expand") ?? ""));
}

function decide(store: AzureStore, p: Project, u: JsonObject): RunApproval {
  if (typeof u.approvalId !== "string") throw badRequest("approvalId is required.", "ArgumentNullException", "DistributedTask");
  const a = findApproval(p, u.approvalId);
  const status = u.status;
  if (status !== "approved" && status !== "rejected")
    throw badRequest(`An approval can be updated to approved or rejected, not ${JSON.stringify(status ?? null)}.`, "ArgumentException", "DistributedTask");
  if (a.status !== "pending")
    throw badRequest(`Approval ${a.id} is ${a.status}; only a pending approval can be decided.`, "InvalidApprovalStateException", "DistributedTask");
  if (a.requesterCannotBeApprover)
    throw new AzureError(
      403,
      "ApprovalAccessDeniedException",
      `The requester of run ${a.buildId} cannot approve it: the check says the requester cannot be an approver.`,
      "DistributedTask",
    );
  const now = store.opts.now().getTime();
  Object.assign(a, { status, lastModifiedOn: now, decidedOn: now, ...(typeof u.comment === "string" ? { comment: u.comment } : {}) });
  return a;
}

/** PATCH pipelines/approvals: decide each approval of the array. */
export function updateApprovals(store: AzureStore, p: Project, body: unknown, ctx: Ctx): JsonObject {
  advanceRuns(store, p);
  if (!Array.isArray(body)) throw badRequest("The request body must be an array of approval updates.", "VssRequestContentException", "DistributedTask");
  const decided = body.map((u) => {
    if (!isObject(u)) throw badRequest("Each approval update must be an object.", "ArgumentException", "DistributedTask");
    return decide(store, p, u);
  });
  advanceRuns(store, p);
  const value = decided.map((a) => approvalJson(p, a, ctx, true));
  return { count: value.length, value };
}
