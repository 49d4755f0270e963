/**
 * The Azure DevOps calls `operate` makes, all through the connected client (its one retry layer
 * and redaction): the Pipelines runs API (`PipelinesApi.runPipeline`), the Build API
 * (`getBuild`, `getBuilds`, `getBuildTimeline`), the pipeline approvals (`_apis/pipelines/approvals`,
 * which azure-devops-node-api has no typed client for: the WebApi's own REST client with the
 * connection's credentials), the checks API and `connectionData` (who is calling).
 */
import { isObject, PipeglotError, type Obj } from "@pipeglot/core";
import type { Build, Timeline } from "azure-devops-node-api/interfaces/BuildInterfaces.js";
import type { Run, RunPipelineParameters } from "azure-devops-node-api/interfaces/PipelinesInterfaces.js";
import type { PipelinesApi } from "azure-devops-node-api/PipelinesApi.js";
import type { AzureLiveClient } from "../live/client.js";
import { CHECKS_API_VERSION } from "../live/client.js";
import { definitionsNamed, isManagedDefinition } from "../live/definition.js";

/** The api-version of `_apis/pipelines/approvals` (7.1 is released). */
export const APPROVALS_API_VERSION = "7.1";

const pipelinesApis = new WeakMap<AzureLiveClient, Promise<PipelinesApi>>();

function pipelines(az: AzureLiveClient): Promise<PipelinesApi> {
  let p = pipelinesApis.get(az);
  if (!p) {
    p = az.call("resolve the Pipelines area", () => az.apis.web.getPipelinesApi());
    p.catch(() => pipelinesApis.delete(az));
    pipelinesApis.set(az, p);
  }
  return p;
}

/** The live definition of the pipeline (pipeglot's, in its folder, first), or a not-found error. */
export async function definitionOf(az: AzureLiveClient, pipeline: string): Promise<{ id: number; name: string; body: Obj }> {
  const rows = (await definitionsNamed(az, pipeline)).filter((d) => String(d.name).toLowerCase() === pipeline.toLowerCase());
  const d = rows.find((x) => isManagedDefinition(az, x)) ?? rows[0];
  if (!d || typeof d.id !== "number")
    throw new PipeglotError(`pipeline ${pipeline} does not exist in Azure DevOps project ${az.project}: apply it first (pipeglot apply)`, "not-found");
  return { id: d.id, name: String(d.name), body: d };
}

export async function runPipeline(az: AzureLiveClient, definitionId: number, params: RunPipelineParameters): Promise<Run> {
  const api = await pipelines(az);
  return az.call(`run pipeline ${definitionId}`, () => api.runPipeline(params, az.project, definitionId));
}

export async function getBuild(az: AzureLiveClient, buildId: number): Promise<Build | undefined> {
  const api = await az.apis.build();
  const b = await az.call(`get build ${buildId}`, () => api.getBuild(az.project, buildId));
  return b ?? undefined;
}

/** The definition's runs, newest first (at most `top`). */
export async function latestBuilds(az: AzureLiveClient, definitionId: number, top: number): Promise<Build[]> {
  const api = await az.apis.build();
  const u = undefined;
  // getBuilds(project, definitions, queues, buildNumber, minTime, maxTime, requestedFor, reasonFilter,
  //   statusFilter, resultFilter, tagFilters, properties, top, continuationToken, maxBuildsPerDefinition,
  //   deletedFilter, queryOrder (2: queueTimeDescending), branchName, buildIds, repositoryId, repositoryType)
  const list = await az.call(`get builds of pipeline ${definitionId}`, () =>
    api.getBuilds(az.project, [definitionId], u, u, u, u, u, u, u, u, u, u, top, u, u, u, 2),
  );
  return list ?? [];
}

export async function getTimeline(az: AzureLiveClient, buildId: number): Promise<Timeline | undefined> {
  const api = await az.apis.build();
  const t = await az.call(`get the timeline of build ${buildId}`, () => api.getBuildTimeline(az.project, buildId));
  return t ?? undefined;
}

type Rest = Record<"get" | "create" | "update" | "del", (...args: unknown[]) => Promise<unknown>>;

/** A call to a REST API of the project that has no typed client, with the connection's credentials. */
export async function projectRest<T>(
  az: AzureLiveClient,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  apiVersion: string,
  body?: unknown,
): Promise<T | null> {
  const rest = az.apis.web.rest as unknown as Rest;
  const url = `${az.config.orgUrl}/${encodeURIComponent(az.project)}/_apis/${path}`;
  const options = { acceptHeader: `application/json;api-version=${apiVersion}` };
  const res = await az.call(`${method} ${path.split("?")[0]}`, () =>
    method === "GET"
      ? rest.get(url, options)
      : method === "POST"
        ? rest.create(url, body, options)
        : method === "PATCH"
          ? rest.update(url, body, options)
          : rest.del(url, options),
  );
  return ((res as { result?: T | null })?.result ?? null) as T | null;
}

/** Pipeline approvals by id, with their steps (approvers). */
export async function approvalsById(az: AzureLiveClient, ids: readonly string[]): Promise<Obj[]> {
  if (!ids.length) return [];
  const res = await projectRest<{ value?: Obj[] }>(az, "GET", `pipelines/approvals?approvalIds=${ids.join(",")}&$expand=steps`, APPROVALS_API_VERSION);
  return (res?.value ?? []).filter(isObject);
}

export async function updateApprovals(
  az: AzureLiveClient,
  updates: { approvalId: string; status: "approved" | "rejected"; comment?: string }[],
): Promise<void> {
  await projectRest(az, "PATCH", "pipelines/approvals", APPROVALS_API_VERSION, updates);
}

/** Check configurations of an environment (with settings). */
export async function environmentChecks(az: AzureLiveClient, environmentId: number): Promise<Obj[]> {
  const res = await projectRest<{ value?: Obj[] }>(
    az,
    "GET",
    `pipelines/checks/configurations?resourceType=environment&resourceId=${environmentId}&$expand=settings`,
    CHECKS_API_VERSION,
  );
  return (res?.value ?? []).filter(isObject);
}

export async function addCheck(az: AzureLiveClient, body: Obj): Promise<void> {
  await projectRest(az, "POST", "pipelines/checks/configurations", CHECKS_API_VERSION, body);
}

/** PATCH a check configuration (its `version` guards it; `isDisabled` turns it off). */
export async function updateCheck(az: AzureLiveClient, id: number, body: Obj): Promise<void> {
  await projectRest(az, "PATCH", `pipelines/checks/configurations/${id}`, CHECKS_API_VERSION, body);
}

export async function deleteCheck(az: AzureLiveClient, id: number): Promise<void> {
  await projectRest(az, "DELETE", `pipelines/checks/configurations/${id}`, CHECKS_API_VERSION);
}

/** Who the connection authenticates as (connectionData): the approver of a hold check. */
export async function me(az: AzureLiveClient): Promise<{ id: string; displayName: string }> {
  const data = await az.call("read the connection data", () => az.apis.web.connect());
  const u = data?.authenticatedUser;
  if (!u?.id) throw new PipeglotError("Azure DevOps did not say who the token belongs to (connectionData has no authenticated user)", "auth");
  return { id: u.id, displayName: u.providerDisplayName ?? u.id };
}
