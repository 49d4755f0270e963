/**
 * Work requests: every create, update and delete answers at once with one, which goes ACCEPTED →
 * IN_PROGRESS → SUCCEEDED, one step per poll (`workRequestPolls`), or as time passes (`workRequestMs`:
 * SUCCEEDED on the first poll that many ms after it was accepted); then the resource is ACTIVE (or gone).
 */
import type { JsonObject } from "../core/json.js";
import { OciError } from "./errors.js";
import { KINDS, OCI_API_VERSION, type OciKind } from "./kinds.js";
import { pageOf } from "./paging.js";
import type { OciStore, WorkRequest } from "./store.js";

/** `name`: the resource's displayName (default: the stored one's; a create passes it, nothing is stored yet). */
export function startWork(
  store: OciStore,
  kind: OciKind,
  action: WorkRequest["action"],
  resourceId: string,
  name = String(store.resources.get(resourceId)?.body.displayName ?? ""),
): WorkRequest {
  const verb = action === "CREATED" ? "CREATE" : action === "UPDATED" ? "UPDATE" : "DELETE";
  const w: WorkRequest = {
    id: store.ocid("devopsworkrequest"),
    operationType: `${verb}_${KINDS[kind].wrOp}`,
    status: "ACCEPTED",
    compartmentId: store.compartmentId,
    resourceId,
    kind,
    action,
    polls: 0,
    timeAccepted: store.now(),
    acceptedAt: store.opts.now().getTime(),
  };
  if (store.failWhen?.({ operationType: w.operationType, resourceId, resourceName: name })) w.fails = true;
  store.workRequests.set(w.id, w);
  return w;
}

export function workRequestBody(w: WorkRequest): JsonObject {
  const done = w.status === "SUCCEEDED" || w.status === "FAILED";
  return {
    id: w.id,
    operationType: w.operationType,
    status: w.status,
    compartmentId: w.compartmentId,
    resources: [
      {
        entityType: KINDS[w.kind].entity,
        actionType: done ? w.action : "IN_PROGRESS",
        identifier: w.resourceId,
        entityUri: `/${OCI_API_VERSION}/${KINDS[w.kind].collection}/${w.resourceId}`,
      },
    ],
    percentComplete: done ? 100 : w.status === "IN_PROGRESS" ? 50 : 0,
    timeAccepted: w.timeAccepted,
    ...(w.timeStarted ? { timeStarted: w.timeStarted } : {}),
    ...(w.timeFinished ? { timeFinished: w.timeFinished } : {}),
  };
}

export function pollWorkRequest(store: OciStore, id: string): JsonObject {
  const w = store.workRequests.get(id);
  if (!w) throw new OciError("NotAuthorizedOrNotFound", `Work request ${id} not found`);
  observe(store, w);
  return workRequestBody(w);
}

/**
 * ListWorkRequests: the compartment's work requests (required, as OCI's API has it), optionally of
 * one status or resource, by timeAccepted (newest first unless sortOrder=ASC), in pages. Each one
 * listed counts as looked at, as a GetWorkRequest would (it moves on by the same rule).
 */
export function listWorkRequests(store: OciStore, q: URLSearchParams): { items: JsonObject[]; headers: Record<string, string> } {
  const compartmentId = q.get("compartmentId");
  if (!compartmentId) throw new OciError("InvalidParameter", "compartmentId is required");
  const status = q.get("status");
  const resourceId = q.get("resourceId");
  const all = [...store.workRequests.values()].filter(
    (w) => w.compartmentId === compartmentId && (!status || w.status === status) && (!resourceId || w.resourceId === resourceId),
  );
  // Insertion order is acceptance order.
  if (q.get("sortOrder") !== "ASC") all.reverse();
  const page = pageOf(all, q);
  for (const w of page.items) observe(store, w);
  return { items: page.items.map(workRequestBody), headers: page.headers };
}

/** One look at a work request: it moves on (see the header) unless it has ended. */
function observe(store: OciStore, w: WorkRequest): void {
  if (w.status !== "SUCCEEDED" && w.status !== "FAILED") {
    w.polls++;
    const ms = store.opts.workRequestMs;
    const needed = Math.max(1, store.opts.workRequestPolls ?? 2);
    const done = ms !== undefined ? store.opts.now().getTime() - (w.acceptedAt ?? 0) >= ms : w.polls >= needed;
    if (done) finish(store, w);
    else {
      w.status = "IN_PROGRESS";
      w.timeStarted ??= store.now();
    }
  }
}

function finish(store: OciStore, w: WorkRequest): void {
  w.status = w.fails ? "FAILED" : "SUCCEEDED";
  w.timeStarted ??= store.now();
  w.timeFinished = store.now();
  const s = store.resources.get(w.resourceId);
  if (!s || s.pending !== w.id) return;
  s.pending = undefined;
  if (w.fails) {
    s.body.lifecycleState = "FAILED";
    return;
  }
  if (w.action === "DELETED") {
    store.resources.delete(w.resourceId);
    return;
  }
  s.body.lifecycleState = "ACTIVE";
}

/** Finish every pending work request now (as if time passed). */
export function completeWorkRequests(store: OciStore): void {
  for (const w of store.workRequests.values()) if (w.status !== "SUCCEEDED" && w.status !== "FAILED") finish(store, w);
}
