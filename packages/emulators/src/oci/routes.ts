/**
 * The URL scheme of OCI DevOps 20210630, and the SDK's operation name for each request:
 *
 *   POST   /20210630/{collection}           create  → 200 body, etag, opc-work-request-id (lifecycleState CREATING)
 *   GET    /20210630/{collection}?...       list    → {items: [...]}, opc-next-page (limit, page)
 *   GET    /20210630/{collection}/{id}      get     → body, etag
 *   PUT    /20210630/{collection}/{id}      update  → 200 body, etag, opc-work-request-id (UPDATING); if-match honoured
 *   DELETE /20210630/{collection}/{id}      delete  → 202, opc-work-request-id (DELETING); if-match honoured
 *   GET    /20210630/workRequests/{id}      work request: ACCEPTED → IN_PROGRESS → SUCCEEDED, one step per poll
 *   POST   /20210630/buildRuns | deployments                 CreateBuildRun | CreateDeployment
 *   GET    /20210630/buildRuns[/{id}] | deployments[/{id}]   List… | Get…
 *   POST   /20210630/buildRuns/{id}/actions/cancel           CancelBuildRun
 *   POST   /20210630/deployments/{id}/actions/{approve,cancel}  ApproveDeployment | CancelDeployment
 */
import type { EmulatorRequest } from "../core/server.js";
import { BY_COLLECTION, KINDS, OCI_API_VERSION, type OciKind } from "./kinds.js";

export type Route =
  | { op: "Create" | "List"; kind: OciKind }
  | { op: "Get" | "Update" | "Delete"; kind: OciKind; id: string }
  | { op: "GetWorkRequest"; id: string }
  | { op: "ListWorkRequests" }
  | { op: "Run"; name: RunOperation; id?: string };

/** The run operations (runs/), by their SDK names. */
export type RunOperation =
  | "CreateBuildRun"
  | "GetBuildRun"
  | "ListBuildRuns"
  | "CancelBuildRun"
  | "CreateDeployment"
  | "GetDeployment"
  | "ListDeployments"
  | "ApproveDeployment"
  | "CancelDeployment";

const RUN_COLLECTIONS: Record<string, "BuildRun" | "Deployment"> = { buildRuns: "BuildRun", deployments: "Deployment" };

function runRoute(method: string, parts: string[]): Route | undefined {
  const what = RUN_COLLECTIONS[parts[0] ?? ""];
  if (!what) return undefined;
  if (parts.length === 1) return method === "POST" ? { op: "Run", name: `Create${what}` } : method === "GET" ? { op: "Run", name: `List${what}s` } : undefined;
  const id = parts[1];
  if (parts.length === 2) return method === "GET" ? { op: "Run", name: `Get${what}`, id } : undefined;
  if (parts.length !== 4 || parts[2] !== "actions" || method !== "POST") return undefined;
  if (parts[3] === "cancel") return { op: "Run", name: `Cancel${what}`, id };
  if (parts[3] === "approve" && what === "Deployment") return { op: "Run", name: "ApproveDeployment", id };
  return undefined;
}

export function route(req: EmulatorRequest): Route | undefined {
  const prefix = `/${OCI_API_VERSION}/`;
  if (!req.path.startsWith(prefix)) return undefined;
  const parts = req.path.slice(prefix.length).split("/").filter(Boolean);
  if (parts[0] === "workRequests") {
    if (req.method !== "GET") return undefined;
    return parts.length === 2 ? { op: "GetWorkRequest", id: parts[1] } : parts.length === 1 ? { op: "ListWorkRequests" } : undefined;
  }
  if (RUN_COLLECTIONS[parts[0] ?? ""]) return runRoute(req.method, parts);
  const kind = BY_COLLECTION.get(parts[0] ?? "");
  if (!kind) return undefined;
  if (parts.length === 1) {
    if (req.method === "POST") return { op: "Create", kind };
    if (req.method === "GET") return { op: "List", kind };
    return undefined;
  }
  if (parts.length !== 2) return undefined;
  const id = parts[1];
  if (req.method === "GET") return { op: "Get", kind, id };
  if (req.method === "PUT") return { op: "Update", kind, id };
  if (req.method === "DELETE") return { op: "Delete", kind, id };
  return undefined;
}

/** The counter key: `Devops.<SDK operation>`, e.g. Devops.CreateBuildPipeline, Devops.ListDeployStages. */
export function operationName(req: EmulatorRequest): string {
  const r = route(req);
  if (!r) return "Devops.(unknown route)";
  if (r.op === "GetWorkRequest" || r.op === "ListWorkRequests") return `Devops.${r.op}`;
  if (r.op === "Run") return `Devops.${r.name}`;
  const name = KINDS[r.kind].op;
  return `Devops.${r.op}${name}${r.op === "List" ? "s" : ""}`;
}

export function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
