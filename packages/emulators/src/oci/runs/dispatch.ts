/** The run operations' requests → build-runs.ts and deployments.ts. */
import type { JsonObject } from "../../core/json.js";
import type { EmulatorResponse } from "../../core/server.js";
import { OciError } from "../errors.js";
import type { RunOperation } from "../routes.js";
import type { OciStore } from "../store.js";
import { cancelBuildRun, createBuildRun, getBuildRun, listBuildRuns } from "./build-runs.js";
import { approveDeployment, cancelDeployment, createDeployment, getDeployment, listDeployments } from "./deployments.js";

export interface RunCall {
  name: RunOperation;
  id?: string;
  body: () => JsonObject;
  query: URLSearchParams;
  /** The caller's user OCID (from the request's signature keyId), or "unknown". */
  subject: string;
}

export function runOperation(store: OciStore, c: RunCall): EmulatorResponse {
  const id = c.id ?? "";
  switch (c.name) {
    case "CreateBuildRun":
      return createBuildRun(store, c.body());
    case "GetBuildRun":
      return getBuildRun(store, id);
    case "ListBuildRuns":
      return listBuildRuns(store, c.query);
    case "CancelBuildRun":
      return cancelBuildRun(store, id, c.body());
    case "CreateDeployment":
      return createDeployment(store, c.body());
    case "GetDeployment":
      return getDeployment(store, id);
    case "ListDeployments":
      return listDeployments(store, c.query);
    case "ApproveDeployment":
      return approveDeployment(store, id, c.body(), c.subject);
    case "CancelDeployment":
      return cancelDeployment(store, id, c.body());
    default:
      throw new OciError("NotFound", `no run operation ${String(c.name)}`);
  }
}
