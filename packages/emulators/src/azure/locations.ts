/**
 * The location service: what `azure-devops-node-api` asks before its first call to an area.
 * `OPTIONS {org}/_apis/{area}` answers the area's ApiResourceLocations (id, routeTemplate, versions);
 * the client builds every URL from `routeTemplate` and negotiates the api-version down to
 * `maxVersion`/`resourceVersion` (VsoClient.autoNegotiateApiVersion). `WebApi.get<X>Api()` first
 * reads `GET {org}/_apis/ResourceAreas` (through `OPTIONS {org}/_apis/Location`) and uses the
 * `locationUrl` of the area it needs. Location ids are those hard-coded in the 17.x client.
 */
import type { JsonObject } from "../core/json.js";

interface ApiLocation {
  id: string;
  area: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
}

/** Every location the emulator serves, by lower-case area name. */
const LOCATIONS: Record<string, ApiLocation[]> = {
  location: [
    {
      id: "e81700f7-3be2-46de-8624-2eb35882fcaa",
      area: "Location",
      resourceName: "ResourceAreas",
      routeTemplate: "_apis/{resource}/{areaId}",
      resourceVersion: 1,
    },
  ],
  build: [
    {
      id: "dbeaf647-6167-421a-bda9-c9327b25e2e6",
      area: "build",
      resourceName: "definitions",
      routeTemplate: "{project}/_apis/{area}/{resource}/{definitionId}",
      resourceVersion: 7,
    },
    {
      id: "cb894432-134a-4d31-a839-83beceaace4b",
      area: "build",
      resourceName: "tags",
      routeTemplate: "{project}/_apis/{area}/definitions/{definitionId}/{resource}/{tag}",
      resourceVersion: 3,
    },
    {
      id: "d9826ad7-2a68-46a9-a6e9-677698777895",
      area: "build",
      resourceName: "properties",
      routeTemplate: "{project}/_apis/{area}/definitions/{definitionId}/{resource}",
      resourceVersion: 1,
    },
    {
      id: "0cd358e1-9217-4d94-8269-1c1ee6f93dcf",
      area: "build",
      resourceName: "builds",
      routeTemplate: "{project}/_apis/{area}/{resource}/{buildId}",
      resourceVersion: 7,
    },
    {
      id: "8baac422-4c6e-4de5-8532-db96d92acffa",
      area: "build",
      resourceName: "Timeline",
      routeTemplate: "{project}/_apis/{area}/builds/{buildId}/{resource}/{timelineId}",
      resourceVersion: 2,
    },
  ],
  pipelines: [
    {
      id: "7859261e-d2e9-4a68-b820-a5d84cc5bb3d",
      area: "pipelines",
      resourceName: "runs",
      routeTemplate: "{project}/_apis/{area}/{pipelineId}/{resource}/{runId}",
      resourceVersion: 1,
    },
  ],
  git: [
    {
      id: "225f7195-f9c7-4d14-ab28-a83f7ff77e1f",
      area: "git",
      resourceName: "repositories",
      routeTemplate: "{project}/_apis/{area}/{resource}/{repositoryId}",
      resourceVersion: 2,
    },
    {
      id: "2d874a60-a811-4f62-9c9f-963a6ea0a55b",
      area: "git",
      resourceName: "refs",
      routeTemplate: "{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{*filter}",
      resourceVersion: 2,
    },
    {
      id: "ea98d07b-3c87-4971-8ede-a613694ffb55",
      area: "git",
      resourceName: "pushes",
      routeTemplate: "{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{pushId}",
      resourceVersion: 3,
    },
    {
      id: "fb93c0db-47ed-4a31-8c20-47552878fb44",
      area: "git",
      resourceName: "items",
      routeTemplate: "{project}/_apis/{area}/repositories/{repositoryId}/{resource}/{*path}",
      resourceVersion: 1,
    },
  ],
  distributedtask: [
    {
      id: "8572b1fc-2482-47fa-8f74-7e3ed53ee54b",
      area: "distributedtask",
      resourceName: "environments",
      routeTemplate: "{project}/_apis/{area}/{resource}/{environmentId}",
      resourceVersion: 1,
    },
  ],
  serviceendpoint: [
    {
      id: "e85f1c62-adfc-4b74-b618-11a150fb195e",
      area: "serviceendpoint",
      resourceName: "endpoints",
      routeTemplate: "{project}/_apis/{area}/{resource}/{endpointId}",
      resourceVersion: 4,
    },
  ],
};

/** Resource areas (`GET _apis/ResourceAreas`): id → name; each answered with the emulator's own URL. */
const RESOURCE_AREAS: Record<string, string> = {
  "965220d5-5bb9-42cf-8d67-9b146df2a5a4": "build",
  "4e080c62-fa21-4fbc-8fef-2a10a2b38049": "git",
  "a85b8835-c1a1-4aac-ae97-1c3d0ba72dbd": "distributedtask",
  "1814ab31-2f4f-4a9f-8761-f4d77dc5a5d7": "serviceendpoint",
  "4a933897-0488-45af-bd82-6fd3ad33f46a": "PipelinesChecks",
  "79134c72-4a58-4b42-976c-04e7115f32bf": "core",
  "5264459e-e5e0-4bd8-b118-0985e68a4ec5": "pipelines",
  "8a3d49b8-91f0-46ef-b33d-dda338c25db3": "IMS",
};

export function locationsFor(area: string): JsonObject {
  const list = LOCATIONS[area.toLowerCase()] ?? [];
  return {
    count: list.length,
    value: list.map((l) => ({
      id: l.id,
      area: l.area,
      resourceName: l.resourceName,
      routeTemplate: l.routeTemplate,
      resourceVersion: l.resourceVersion,
      minVersion: "1.0",
      maxVersion: "7.2",
      releasedVersion: "7.1",
    })),
  };
}

export function resourceAreas(orgUrl: string): JsonObject {
  const value = Object.entries(RESOURCE_AREAS).map(([id, name]) => ({ id, name, locationUrl: orgUrl }));
  return { count: value.length, value };
}
