/**
 * The routes the Azure DevOps emulator serves under `/{organization}`: method, path pattern, the
 * operation name (counter key) and the handler, per area.
 */
import type { EmulatorRequest, EmulatorResponse } from "../core/server.js";
import type { JsonObject } from "../core/json.js";
import { getApproval, queryApprovals, updateApprovals } from "./approvals.js";
import { addCheck, checkJson, findCheck, listChecks, updateCheck } from "./checks.js";
import { changeTags, definitionProperties, definitionTags, patchProperties } from "./definition-extras.js";
import { createDefinition, definitionById, deleteDefinition, getDefinition, listDefinitions, updateDefinition } from "./definitions.js";
import { endpointJson, listEndpoints } from "./endpoints.js";
import { addEnvironment, deleteEnvironment, envJson, findEnvironment, listEnvironments, updateEnvironment } from "./environments.js";
import { badRequest } from "./errors.js";
import { applyPush } from "./git.js";
import { identityDirectory, readIdentities } from "./identities.js";
import { resourceAreas } from "./locations.js";
import { EMULATOR_USER, isoNow, jsonArray, jsonBody, P, raw, type Ctx, type Handler, type Route } from "./model.js";
import { addRepo, findRepo, getItem, listRefs, repoJson } from "./repositories.js";
import { buildJson, findRun, getRun, listBuilds, listRuns, runPipeline, updateBuild } from "./runs.js";
import { timelineJson } from "./timeline.js";
import type { AzureStore } from "./store.js";

const r = (method: string, pattern: string, op: string, run: Handler): Route => ({ method, re: new RegExp(`^${pattern}$`, "i"), op, run });

function definitionRoutes(store: AzureStore): Route[] {
  return [
    r("POST", `${P}/build/definitions`, "Build.CreateDefinition", (q, m, ctx) => createDefinition(store, store.project(m[1]), jsonBody(q), ctx)),
    r("GET", `${P}/build/definitions`, "Build.GetDefinitions", (q, m, ctx) => listDefinitions(store.project(m[1]), q, ctx)),
    r("GET", `${P}/build/definitions/(\\d+)`, "Build.GetDefinition", (q, m, ctx) => getDefinition(store.project(m[1]), Number(m[2]), q, ctx)),
    r("PUT", `${P}/build/definitions/(\\d+)`, "Build.UpdateDefinition", (q, m, ctx) =>
      updateDefinition(store, store.project(m[1]), Number(m[2]), jsonBody(q), ctx),
    ),
    r("DELETE", `${P}/build/definitions/(\\d+)`, "Build.DeleteDefinition", (_q, m) => deleteDefinition(store.project(m[1]), Number(m[2]))),
    r("GET", `${P}/build/definitions/(\\d+)/tags`, "Build.GetDefinitionTags", (_q, m) => definitionTags(store.project(m[1]), Number(m[2]))),
    r("POST", `${P}/build/definitions/(\\d+)/tags`, "Build.AddDefinitionTags", (q, m) => changeTags(store.project(m[1]), Number(m[2]), jsonArray(q), [])),
    r("PATCH", `${P}/build/definitions/(\\d+)/tags`, "Build.UpdateDefinitionTags", (q, m) => {
      const b = jsonBody(q);
      return changeTags(store.project(m[1]), Number(m[2]), Array.isArray(b.addTags) ? b.addTags : [], Array.isArray(b.removeTags) ? b.removeTags : []);
    }),
    r("PUT", `${P}/build/definitions/(\\d+)/tags/([^/]+)`, "Build.AddDefinitionTag", (_q, m) => changeTags(store.project(m[1]), Number(m[2]), [m[3]], [])),
    r("DELETE", `${P}/build/definitions/(\\d+)/tags/([^/]+)`, "Build.DeleteDefinitionTag", (_q, m) =>
      changeTags(store.project(m[1]), Number(m[2]), [], [m[3]]),
    ),
    r("GET", `${P}/build/definitions/(\\d+)/properties`, "Build.GetDefinitionProperties", (q, m) =>
      definitionProperties(definitionById(store.project(m[1]), Number(m[2])), q.query.get("filter")),
    ),
    r("PATCH", `${P}/build/definitions/(\\d+)/properties`, "Build.UpdateDefinitionProperties", (q, m) =>
      patchProperties(definitionById(store.project(m[1]), Number(m[2])), q),
    ),
  ];
}

function gitRoutes(store: AzureStore): Route[] {
  return [
    r("GET", `${P}/git/repositories`, "Git.GetRepositories", (_q, m, ctx) => {
      const p = store.project(m[1]);
      const value = [...p.repos.values()].map((x) => repoJson(p, x, ctx));
      return { count: value.length, value };
    }),
    r("POST", `${P}/git/repositories`, "Git.CreateRepository", (q, m, ctx) => {
      const p = store.project(m[1]);
      const b = jsonBody(q);
      if (typeof b.name !== "string" || !b.name) throw badRequest("name is required", "ArgumentNullException", "Git");
      return repoJson(p, addRepo(store, p, b.name), ctx);
    }),
    r("GET", `${P}/git/repositories/([^/]+)`, "Git.GetRepository", (_q, m, ctx) => {
      const p = store.project(m[1]);
      return repoJson(p, findRepo(p, m[2]), ctx);
    }),
    r("GET", `${P}/git/repositories/([^/]+)/refs(?:/(.*))?`, "Git.GetRefs", (q, m) =>
      listRefs(findRepo(store.project(m[1]), m[2]), q.query.get("filter") ?? m[3] ?? ""),
    ),
    r("POST", `${P}/git/repositories/([^/]+)/pushes`, "Git.CreatePush", (q, m) => {
      const repo = findRepo(store.project(m[1]), m[2]);
      const out = applyPush(repo, jsonBody(q), isoNow(store.opts.now), EMULATOR_USER, () => store.commitId());
      return raw({ status: 201, headers: { "content-type": "application/json; charset=utf-8" }, body: out });
    }),
    r("GET", `${P}/git/repositories/([^/]+)/items(?:/(.*))?`, "Git.GetItem", (q, m) => getItem(findRepo(store.project(m[1]), m[2]), q, m[3])),
  ];
}

function pipelineRoutes(store: AzureStore): Route[] {
  const E = `${P}/(?:distributedtask|pipelines)/environments`;
  const C = `${P}/pipelines/checks/configurations`;
  return [
    r("POST", E, "TaskAgent.AddEnvironment", (q, m) => addEnvironment(store, store.project(m[1]), jsonBody(q))),
    r("GET", E, "TaskAgent.GetEnvironments", (q, m) => listEnvironments(store.project(m[1]), q)),
    r("GET", `${E}/(\\d+)`, "TaskAgent.GetEnvironmentById", (_q, m) => {
      const p = store.project(m[1]);
      return envJson(p, findEnvironment(p, Number(m[2])));
    }),
    r("PATCH", `${E}/(\\d+)`, "TaskAgent.UpdateEnvironment", (q, m) => updateEnvironment(store, store.project(m[1]), Number(m[2]), jsonBody(q))),
    r("DELETE", `${E}/(\\d+)`, "TaskAgent.DeleteEnvironment", (_q, m) => deleteEnvironment(store.project(m[1]), Number(m[2]))),
    r("POST", C, "Checks.AddCheckConfiguration", (q, m, ctx) => addCheck(store, store.project(m[1]), jsonBody(q), ctx)),
    r("GET", C, "Checks.GetCheckConfigurations", (q, m, ctx) => listChecks(store.project(m[1]), q, ctx)),
    r("GET", `${C}/(\\d+)`, "Checks.GetCheckConfiguration", (q, m, ctx) => {
      const p = store.project(m[1]);
      return checkJson(p, findCheck(p, Number(m[2])), ctx, /settings/i.test(q.query.get("$expand") ?? ""));
    }),
    r("PATCH", `${C}/(\\d+)`, "Checks.UpdateCheckConfiguration", (q, m, ctx) => updateCheck(store, store.project(m[1]), Number(m[2]), jsonBody(q), ctx)),
    r("DELETE", `${C}/(\\d+)`, "Checks.DeleteCheckConfiguration", (_q, m) => {
      const p = store.project(m[1]);
      findCheck(p, Number(m[2]));
      p.checks.delete(Number(m[2]));
      return raw({ status: 204 });
    }),
  ];
}

function endpointRoutes(store: AzureStore): Route[] {
  return [
    r("GET", `${P}/serviceendpoint/endpoints`, "ServiceEndpoint.GetServiceEndpoints", (q, m) => listEndpoints(store.project(m[1]), q)),
    r("GET", `${P}/serviceendpoint/endpoints/([^/]+)`, "ServiceEndpoint.GetServiceEndpointDetails", (_q, m): EmulatorResponse | JsonObject => {
      const e = store.project(m[1]).endpoints.get(m[2].toLowerCase());
      if (!e) return raw({ status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: "" });
      return endpointJson(e);
    }),
  ];
}

/** Runs: the Pipelines runs API, the Build API's builds and timelines, and approvals. */
function runRoutes(store: AzureStore): Route[] {
  const A = `${P}/pipelines/approvals`;
  const B = `${P}/build/builds`;
  return [
    r("POST", `${P}/pipelines/(\\d+)/runs`, "Pipelines.RunPipeline", (q, m, ctx) => runPipeline(store, store.project(m[1]), Number(m[2]), jsonBody(q), ctx)),
    r("GET", `${P}/pipelines/(\\d+)/runs`, "Pipelines.ListRuns", (_q, m, ctx) => listRuns(store, store.project(m[1]), Number(m[2]), ctx)),
    r("GET", `${P}/pipelines/(\\d+)/runs/(\\d+)`, "Pipelines.GetRun", (_q, m, ctx) => getRun(store, store.project(m[1]), Number(m[2]), Number(m[3]), ctx)),
    r("GET", B, "Build.GetBuilds", (q, m, ctx) => listBuilds(store, store.project(m[1]), q, ctx)),
    r("GET", `${B}/(\\d+)`, "Build.GetBuild", (_q, m, ctx) => {
      const p = store.project(m[1]);
      return buildJson(p, findRun(store, p, Number(m[2])), ctx);
    }),
    r("PATCH", `${B}/(\\d+)`, "Build.UpdateBuild", (q, m, ctx) => updateBuild(store, store.project(m[1]), Number(m[2]), jsonBody(q), ctx)),
    r("GET", `${B}/(\\d+)/timeline(?:/[^/]*)?`, "Build.GetBuildTimeline", (_q, m, ctx) => timelineJson(store, store.project(m[1]), Number(m[2]), ctx)),
    r("GET", A, "Approvals.Query", (q, m, ctx) => queryApprovals(store, store.project(m[1]), q, ctx)),
    r("GET", `${A}/([0-9a-fA-F-]{36})`, "Approvals.Get", (q, m, ctx) => getApproval(store, store.project(m[1]), m[2], q, ctx)),
    r("PATCH", A, "Approvals.Update", (q, m, ctx) => updateApprovals(store, store.project(m[1]), jsonArray(q), ctx)),
  ];
}

/** Every route, in the order they are tried. */
export function buildRoutes(store: AzureStore): Route[] {
  const identities = identityDirectory(store.opts.identities);
  const areas: Route[] = [
    r("GET", "/_apis/identities", "Identities.ReadIdentities", (q) => readIdentities(identities, q)),
    r("GET", "/_apis/resourceareas", "Location.GetResourceAreas", (_q, _m, ctx: Ctx) => resourceAreas(ctx.orgUrl)),
    r("GET", "/_apis/connectiondata", "Location.GetConnectionData", () => ({
      authenticatedUser: { id: EMULATOR_USER.id, descriptor: `emulator.${String(EMULATOR_USER.id)}`, providerDisplayName: EMULATOR_USER.displayName },
      authorizedUser: { id: EMULATOR_USER.id, descriptor: `emulator.${String(EMULATOR_USER.id)}`, providerDisplayName: EMULATOR_USER.displayName },
      instanceId: "00000000-0000-4000-8000-0000000e0001",
      deploymentType: "hosted",
    })),
  ];
  return [...areas, ...definitionRoutes(store), ...gitRoutes(store), ...pipelineRoutes(store), ...runRoutes(store), ...endpointRoutes(store)];
}

/** Split "/{org}/rest" and find the route. */
export function findRoute(routes: readonly Route[], req: EmulatorRequest): { org: string; route?: Route; m?: RegExpExecArray; rest: string } {
  const seg = /^\/([^/]+)(\/.*)?$/.exec(req.path);
  if (!seg) return { org: "", rest: req.path };
  const org = seg[1];
  const rest = seg[2] ?? "/";
  for (const route of routes) {
    if (route.method !== req.method) continue;
    const m = route.re.exec(rest);
    if (m) return { org, route, m, rest };
  }
  return { org, rest };
}
