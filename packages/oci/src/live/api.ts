/**
 * The DevOps calls the live client makes, one table per resource kind, over the real
 * `oci-devops` DevopsClient (loaded by connect with import()). Bodies are plain JSON.
 */
import type { DevopsClient, models, requests } from "oci-devops";
import type { OciResourceKind } from "./kinds.js";
import type { Obj } from "@pipeglot/core";
import { runsApi, type RunsApi } from "./runs-api.js";

export interface Written {
  body: Obj;
  etag?: string;
  workRequestId?: string;
}

export interface KindApi {
  create(details: Obj, retryToken: string): Promise<Written>;
  get(id: string): Promise<{ body: Obj; etag?: string }>;
  update(id: string, details: Obj, ifMatch?: string): Promise<Written>;
  remove(id: string, ifMatch?: string): Promise<{ workRequestId?: string }>;
  /** One page. */
  list(query: Obj): Promise<{ items: Obj[]; next?: string }>;
}

export interface DevopsApi {
  kinds: Record<OciResourceKind, KindApi>;
  /** Build runs, deployments, approvals (the operate commands). */
  runs: RunsApi;
  workRequestStatus(id: string): Promise<string>;
  /** One page of a compartment's work requests, newest first. */
  workRequests(compartmentId: string, page?: string): Promise<{ items: { id: string; status: string }[]; next?: string }>;
}

/**
 * Bodies are plain JSON built from the compiled output (desired.ts) and read back as plain JSON
 * (normalize.ts): at the SDK boundary they are the SDK's models, typed here and nowhere else.
 */
const asModel = <M>(o: Obj): M => o as M;
const asBody = (m: object | undefined): Obj => ({ ...(m ?? {}) }) as Obj;

/** What every create/update/get/delete/list response of the SDK carries that the client reads. */
interface Answer {
  etag?: string;
  opcWorkRequestId?: string;
}
const written = (model: object | undefined, r: Answer): Written => ({
  body: asBody(model),
  ...(r.etag ? { etag: r.etag } : {}),
  ...(r.opcWorkRequestId ? { workRequestId: r.opcWorkRequestId } : {}),
});
const read = (model: object | undefined, r: Answer): { body: Obj; etag?: string } => ({ body: asBody(model), ...(r.etag ? { etag: r.etag } : {}) });
const removed = (r: Answer): { workRequestId?: string } => (r.opcWorkRequestId ? { workRequestId: r.opcWorkRequestId } : {});
const page = (items: readonly object[] | undefined, next: string | undefined): { items: Obj[]; next?: string } => ({
  items: (items ?? []).map(asBody),
  ...(next ? { next } : {}),
});
const ifMatchOf = (ifMatch: string | undefined) => (ifMatch ? { ifMatch } : {});

function buildPipelines(c: DevopsClient): KindApi {
  return {
    create: async (d, opcRetryToken) => {
      const r = await c.createBuildPipeline({ createBuildPipelineDetails: asModel(d), opcRetryToken });
      return written(r.buildPipeline, r);
    },
    get: async (buildPipelineId) => {
      const r = await c.getBuildPipeline({ buildPipelineId });
      return read(r.buildPipeline, r);
    },
    update: async (buildPipelineId, d, m) => {
      const r = await c.updateBuildPipeline({ buildPipelineId, updateBuildPipelineDetails: asModel(d), ...ifMatchOf(m) });
      return written(r.buildPipeline, r);
    },
    remove: async (buildPipelineId, m) => removed(await c.deleteBuildPipeline({ buildPipelineId, ...ifMatchOf(m) })),
    list: async (q) => {
      const r = await c.listBuildPipelines(asModel<requests.ListBuildPipelinesRequest>(q));
      return page(r.buildPipelineCollection?.items, r.opcNextPage);
    },
  };
}

function buildStages(c: DevopsClient): KindApi {
  return {
    create: async (d, opcRetryToken) => {
      const r = await c.createBuildPipelineStage({ createBuildPipelineStageDetails: asModel(d), opcRetryToken });
      return written(r.buildPipelineStage, r);
    },
    get: async (buildPipelineStageId) => {
      const r = await c.getBuildPipelineStage({ buildPipelineStageId });
      return read(r.buildPipelineStage, r);
    },
    update: async (buildPipelineStageId, d, m) => {
      const r = await c.updateBuildPipelineStage({ buildPipelineStageId, updateBuildPipelineStageDetails: asModel(d), ...ifMatchOf(m) });
      return written(r.buildPipelineStage, r);
    },
    remove: async (buildPipelineStageId, m) => removed(await c.deleteBuildPipelineStage({ buildPipelineStageId, ...ifMatchOf(m) })),
    list: async (q) => {
      const r = await c.listBuildPipelineStages(asModel<requests.ListBuildPipelineStagesRequest>(q));
      return page(r.buildPipelineStageCollection?.items, r.opcNextPage);
    },
  };
}

function deployPipelines(c: DevopsClient): KindApi {
  return {
    create: async (d, opcRetryToken) => {
      const r = await c.createDeployPipeline({ createDeployPipelineDetails: asModel(d), opcRetryToken });
      return written(r.deployPipeline, r);
    },
    get: async (deployPipelineId) => {
      const r = await c.getDeployPipeline({ deployPipelineId });
      return read(r.deployPipeline, r);
    },
    update: async (deployPipelineId, d, m) => {
      const r = await c.updateDeployPipeline({ deployPipelineId, updateDeployPipelineDetails: asModel(d), ...ifMatchOf(m) });
      return written(r.deployPipeline, r);
    },
    remove: async (deployPipelineId, m) => removed(await c.deleteDeployPipeline({ deployPipelineId, ...ifMatchOf(m) })),
    list: async (q) => {
      const r = await c.listDeployPipelines(asModel<requests.ListDeployPipelinesRequest>(q));
      return page(r.deployPipelineCollection?.items, r.opcNextPage);
    },
  };
}

function deployStages(c: DevopsClient): KindApi {
  return {
    create: async (d, opcRetryToken) => {
      const r = await c.createDeployStage({ createDeployStageDetails: asModel(d), opcRetryToken });
      return written(r.deployStage, r);
    },
    get: async (deployStageId) => {
      const r = await c.getDeployStage({ deployStageId });
      return read(r.deployStage, r);
    },
    update: async (deployStageId, d, m) => {
      const r = await c.updateDeployStage({ deployStageId, updateDeployStageDetails: asModel(d), ...ifMatchOf(m) });
      return written(r.deployStage, r);
    },
    remove: async (deployStageId, m) => removed(await c.deleteDeployStage({ deployStageId, ...ifMatchOf(m) })),
    list: async (q) => {
      const r = await c.listDeployStages(asModel<requests.ListDeployStagesRequest>(q));
      return page(r.deployStageCollection?.items, r.opcNextPage);
    },
  };
}

function deployArtifacts(c: DevopsClient): KindApi {
  return {
    create: async (d, opcRetryToken) => {
      const r = await c.createDeployArtifact({ createDeployArtifactDetails: asModel(d), opcRetryToken });
      return written(r.deployArtifact, r);
    },
    get: async (deployArtifactId) => {
      const r = await c.getDeployArtifact({ deployArtifactId });
      return read(r.deployArtifact, r);
    },
    update: async (deployArtifactId, d, m) => {
      const r = await c.updateDeployArtifact({ deployArtifactId, updateDeployArtifactDetails: asModel(d), ...ifMatchOf(m) });
      return written(r.deployArtifact, r);
    },
    remove: async (deployArtifactId, m) => removed(await c.deleteDeployArtifact({ deployArtifactId, ...ifMatchOf(m) })),
    list: async (q) => {
      const r = await c.listDeployArtifacts(asModel<requests.ListDeployArtifactsRequest>(q));
      return page(r.deployArtifactCollection?.items, r.opcNextPage);
    },
  };
}

function triggers(c: DevopsClient): KindApi {
  return {
    create: async (d, opcRetryToken) => {
      const r = await c.createTrigger({ createTriggerDetails: asModel(d), opcRetryToken });
      // A webhook trigger's create result carries its shared secret: never kept.
      const { secret: _secret, ...result } = asBody(r.triggerCreateResult);
      void _secret;
      return written(result, r);
    },
    get: async (triggerId) => {
      const r = await c.getTrigger({ triggerId });
      return read(r.trigger, r);
    },
    update: async (triggerId, d, m) => {
      const r = await c.updateTrigger({ triggerId, updateTriggerDetails: asModel(d), ...ifMatchOf(m) });
      return written(r.trigger, r);
    },
    remove: async (triggerId, m) => removed(await c.deleteTrigger({ triggerId, ...ifMatchOf(m) })),
    list: async (q) => {
      const r = await c.listTriggers(asModel<requests.ListTriggersRequest>(q));
      return page(r.triggerCollection?.items, r.opcNextPage);
    },
  };
}

/** The calls the live client makes, over oci-devops' DevopsClient. */
export function sdkApi(client: DevopsClient): DevopsApi {
  return {
    kinds: {
      "oci.BuildPipeline": buildPipelines(client),
      "oci.BuildPipelineStage": buildStages(client),
      "oci.DeployPipeline": deployPipelines(client),
      "oci.DeployStage": deployStages(client),
      "oci.DeployArtifact": deployArtifacts(client),
      "oci.Trigger": triggers(client),
    },
    runs: runsApi(client),
    async workRequestStatus(workRequestId) {
      const r = await client.getWorkRequest({ workRequestId });
      return String(r.workRequest?.status ?? "UNKNOWN");
    },
    async workRequests(compartmentId, page) {
      const r = await client.listWorkRequests({
        compartmentId,
        sortBy: "timeAccepted" as requests.ListWorkRequestsRequest.SortBy,
        sortOrder: "DESC" as models.SortOrder,
        limit: 100,
        ...(page ? { page } : {}),
      });
      const items = (r.workRequestCollection?.items ?? []).map((w) => ({ id: w.id, status: String(w.status) }));
      return { items, ...(r.opcNextPage ? { next: r.opcNextPage } : {}) };
    },
  };
}
