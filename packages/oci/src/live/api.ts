/**
 * The DevOps calls the live client makes, one table per resource kind, over the real
 * `oci-devops` DevopsClient (loaded by connect with import()). Bodies are plain JSON.
 */
import type { OciResourceKind } from "./kinds.js";

type Obj = Record<string, unknown>;

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
  workRequestStatus(id: string): Promise<string>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Names {
  op: string;
  id: string;
  create: string;
  update: string;
  model: string;
  createModel?: string;
  collection: string;
}

const NAMES: Record<OciResourceKind, Names> = {
  "oci.BuildPipeline": { op: "BuildPipeline", id: "buildPipelineId", create: "createBuildPipelineDetails", update: "updateBuildPipelineDetails", model: "buildPipeline", collection: "buildPipelineCollection" },
  "oci.BuildPipelineStage": { op: "BuildPipelineStage", id: "buildPipelineStageId", create: "createBuildPipelineStageDetails", update: "updateBuildPipelineStageDetails", model: "buildPipelineStage", collection: "buildPipelineStageCollection" },
  "oci.DeployPipeline": { op: "DeployPipeline", id: "deployPipelineId", create: "createDeployPipelineDetails", update: "updateDeployPipelineDetails", model: "deployPipeline", collection: "deployPipelineCollection" },
  "oci.DeployStage": { op: "DeployStage", id: "deployStageId", create: "createDeployStageDetails", update: "updateDeployStageDetails", model: "deployStage", collection: "deployStageCollection" },
  "oci.DeployArtifact": { op: "DeployArtifact", id: "deployArtifactId", create: "createDeployArtifactDetails", update: "updateDeployArtifactDetails", model: "deployArtifact", collection: "deployArtifactCollection" },
  "oci.Trigger": { op: "Trigger", id: "triggerId", create: "createTriggerDetails", update: "updateTriggerDetails", model: "trigger", createModel: "triggerCreateResult", collection: "triggerCollection" },
};

/** Wrap a DevopsClient (typed loosely: the tables above name its methods). */
export function sdkApi(client: any): DevopsApi {
  const kinds = {} as Record<OciResourceKind, KindApi>;
  for (const [kind, n] of Object.entries(NAMES) as [OciResourceKind, Names][]) {
    kinds[kind] = {
      async create(details, retryToken) {
        const r = await client[`create${n.op}`]({ [n.create]: details, opcRetryToken: retryToken });
        // A webhook trigger's create result carries its shared secret: never kept.
        const { secret: _secret, ...body } = (r[n.createModel ?? n.model] ?? {}) as Obj;
        void _secret;
        return { body, etag: r.etag, workRequestId: r.opcWorkRequestId };
      },
      async get(id) {
        const r = await client[`get${n.op}`]({ [n.id]: id });
        return { body: r[n.model] as Obj, etag: r.etag };
      },
      async update(id, details, ifMatch) {
        const r = await client[`update${n.op}`]({ [n.id]: id, [n.update]: details, ...(ifMatch ? { ifMatch } : {}) });
        return { body: r[n.model] as Obj, etag: r.etag, workRequestId: r.opcWorkRequestId };
      },
      async remove(id, ifMatch) {
        const r = await client[`delete${n.op}`]({ [n.id]: id, ...(ifMatch ? { ifMatch } : {}) });
        return { workRequestId: r.opcWorkRequestId };
      },
      async list(query) {
        const r = await client[`list${n.op}s`](query);
        return { items: ((r[n.collection]?.items ?? []) as Obj[]), next: r.opcNextPage };
      },
    };
  }
  return {
    kinds,
    async workRequestStatus(id) {
      const r = await client.getWorkRequest({ workRequestId: id });
      return String(r.workRequest?.status ?? "UNKNOWN");
    },
  };
}
