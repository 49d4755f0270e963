/**
 * The DevOps calls the operate commands make (build runs, deployments, approvals), over the real
 * `oci-devops` DevopsClient. Bodies are plain JSON: the SDK's models are typed here and nowhere else.
 */
import type { DevopsClient, models, requests } from "oci-devops";
import type { Obj } from "@pipeglot/core";

export interface RunsApi {
  createBuildRun(details: Obj, retryToken: string): Promise<Obj>;
  getBuildRun(id: string): Promise<Obj>;
  /** One page, newest first. */
  listBuildRuns(query: Obj): Promise<{ items: Obj[]; next?: string }>;
  cancelBuildRun(id: string, reason: string): Promise<Obj>;
  getDeployment(id: string): Promise<Obj>;
  /** One page, newest first. */
  listDeployments(query: Obj): Promise<{ items: Obj[]; next?: string }>;
  approveDeployment(id: string, decision: { deployStageId: string; action: "APPROVE" | "REJECT"; reason?: string }): Promise<Obj>;
  cancelDeployment(id: string, reason: string): Promise<Obj>;
}

const asModel = <M>(o: Obj): M => o as M;
const asBody = (m: object | undefined): Obj => ({ ...(m ?? {}) }) as Obj;
const page = (items: readonly object[] | undefined, next: string | undefined): { items: Obj[]; next?: string } => ({
  items: (items ?? []).map(asBody),
  ...(next ? { next } : {}),
});
const newestFirst = { sortBy: "timeCreated", sortOrder: "DESC" };

export function runsApi(c: DevopsClient): RunsApi {
  return {
    createBuildRun: async (d, opcRetryToken) => asBody((await c.createBuildRun({ createBuildRunDetails: asModel(d), opcRetryToken })).buildRun),
    getBuildRun: async (buildRunId) => asBody((await c.getBuildRun({ buildRunId })).buildRun),
    listBuildRuns: async (q) => {
      const r = await c.listBuildRuns(asModel<requests.ListBuildRunsRequest>({ ...newestFirst, ...q }));
      return page(r.buildRunSummaryCollection?.items, r.opcNextPage);
    },
    cancelBuildRun: async (buildRunId, reason) => asBody((await c.cancelBuildRun({ buildRunId, cancelBuildRunDetails: { reason } })).buildRun),
    getDeployment: async (deploymentId) => asBody((await c.getDeployment({ deploymentId })).deployment),
    listDeployments: async (q) => {
      const r = await c.listDeployments(asModel<requests.ListDeploymentsRequest>({ ...newestFirst, ...q }));
      return page(r.deploymentCollection?.items, r.opcNextPage);
    },
    approveDeployment: async (deploymentId, d) => {
      const approveDeploymentDetails = asModel<models.ApproveDeploymentDetails>({ ...d });
      return asBody((await c.approveDeployment({ deploymentId, approveDeploymentDetails })).deployment);
    },
    cancelDeployment: async (deploymentId, reason) => asBody((await c.cancelDeployment({ deploymentId, cancelDeploymentDetails: { reason } })).deployment),
  };
}
