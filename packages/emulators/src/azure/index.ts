/**
 * Azure DevOps REST, the subset `azure-devops-node-api` 17.x uses for pipeglot's sync: the location
 * service (OPTIONS area locations, ResourceAreas), Build definitions (+ tags, properties),
 * environments, check configurations (approvals), service endpoints (look-up only), enough of
 * Git for pushes and item reads, and simulated runs: the Pipelines runs API, builds and their
 * timelines, and the approvals environment checks create (runs.ts, timeline.ts, approvals.ts,
 * run-*.ts; issue #19). Served under `/{organization}/...`; any organization name works
 * and all share one state. Projects spring into existence on first use.
 *
 * Stale revision: `PUT definitions/{id}` with a `revision` that is not the current one answers
 * 404 `DefinitionNotFoundException` "Build pipeline {id} was not found." — the one behaviour
 * reported from the real service (MicrosoftDocs/vsts-rest-api-specs#356). `staleRevisionStatus: 409`
 * switches to a 409 `DefinitionNotMatchedException` (the other reported form) so clients can test both.
 *
 * One module per area: definitions.ts (+ definition-body.ts, definition-extras.ts), repositories.ts
 * and git.ts, environments.ts, checks.ts, endpoints.ts; routes.ts maps URLs to them, store.ts holds
 * the state, hooks.ts the out-of-band edits.
 */
import type { Json, JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse, ProtocolHandler } from "../core/server.js";
import { AzureError, badRequest, notFound } from "./errors.js";
import { addRepository, commitFiles, mutateCheck, mutateDefinition, mutateEnvironment, setDefinitionProperties } from "./hooks.js";
import { locationsFor } from "./locations.js";
import { apiVersionOf, RAW, reply, type AzureEmulatorOptions, type AzureProjectSnapshot, type Route } from "./model.js";
import { buildRoutes, findRoute } from "./routes.js";
import { AzureStore } from "./store.js";

export { APPROVAL_TYPE_ID, type AzureEmulatorOptions, type AzureProjectSnapshot } from "./model.js";

export class AzureDevOpsProtocol implements ProtocolHandler {
  private readonly store: AzureStore;
  private readonly routes: Route[];

  constructor(private readonly opts: AzureEmulatorOptions) {
    this.store = new AzureStore(opts);
    this.routes = buildRoutes(this.store);
  }

  operation(req: EmulatorRequest): string {
    if (req.method === "OPTIONS") {
      const m = /^\/[^/]+\/_apis\/([^/]+)\/?$/i.exec(req.path);
      return m ? `Location.Options.${m[1].toLowerCase()}` : "Location.Options.(unknown)";
    }
    const { route } = findRoute(this.routes, req);
    return route ? route.op : "AzureDevOps.(unknown route)";
  }

  private error(e: AzureError, extra: Record<string, string> = {}): EmulatorResponse {
    return reply(e.status, e.body(), { "x-tfs-processid": "00000000-0000-4000-8000-000000000000", "x-vss-e2eid": this.store.ids.uuid(), ...extra });
  }

  faultResponse(kind: "throttle" | "error" | "internal"): EmulatorResponse {
    if (kind === "throttle") {
      const after = this.opts.retryAfterSeconds ?? 1;
      const reset = Math.floor(this.opts.now().getTime() / 1000) + Math.max(1, after);
      return this.error(new AzureError(429, "RequestBlockedException", "Request was blocked due to exceeding usage of resource 'Core' in namespace 'User'."), {
        "retry-after": String(after),
        "x-ratelimit-resource": "Core",
        "x-ratelimit-delay": "0.5",
        "x-ratelimit-limit": "200",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(reset),
      });
    }
    if (kind === "error")
      return this.error(new AzureError(503, "ServiceUnavailableException", "TF400856: The service is temporarily unavailable. Please try again later."));
    return this.error(new AzureError(500, "InternalServerErrorException", "TF400898: An Internal Error Occurred."));
  }

  handle(req: EmulatorRequest): EmulatorResponse {
    try {
      if (req.method === "OPTIONS") {
        const m = /^\/[^/]+\/_apis\/([^/]+)\/?$/i.exec(req.path);
        return reply(200, locationsFor(m?.[1] ?? ""));
      }
      if (!req.headers.authorization)
        throw new AzureError(401, "UnauthorizedRequestException", "TF400813: The user '' is not authorized to access this resource.");
      const { org, route, m, rest } = findRoute(this.routes, req);
      if (!route || !m) throw notFound("RouteNotFoundException", `The emulator serves no ${req.method} ${rest} (organization ${org || "?"}).`);
      if (!route.op.startsWith("Location.") && !apiVersionOf(req)) {
        throw badRequest(
          `No api-version was supplied for the ${req.method} request. Please specify an api-version, e.g. 'api-version=7.1'.`,
          "VssVersionNotSpecifiedException",
        );
      }
      const host = String(req.headers.host ?? "127.0.0.1");
      const out = route.run(req, m, { orgUrl: `http://${host}/${org}` });
      if (RAW.has(out)) return out as EmulatorResponse;
      return reply(200, out as JsonObject);
    } catch (e) {
      if (e instanceof AzureError) return this.error(e);
      throw e;
    }
  }

  // ------------------------------------------------------------------ test hooks (see hooks.ts)

  /** Create a Git repository (with files committed on its default branch when given). */
  addRepository(project: string, name: string, opts: { defaultBranch?: string; files?: Record<string, string> } = {}): { id: string; name: string } {
    return addRepository(this.store, project, name, opts);
  }

  /** Commit files (content, or null to delete) on a branch, as someone else would. Returns the commit id. */
  commitFiles(project: string, repoName: string, files: Record<string, string | null>, comment = "out-of-band commit", branch?: string): string {
    return commitFiles(this.store, project, repoName, files, comment, branch);
  }

  /** Make sure a project exists (projects otherwise appear on first use). */
  ensureProject(name: string): void {
    this.store.project(name);
  }

  addServiceEndpoint(project: string, name: string, type = "github"): { id: string; name: string } {
    return this.store.addServiceEndpoint(project, name, type);
  }

  /** Edit a definition out of band: its revision goes up by one. */
  mutateDefinition(project: string, nameOrId: string | number, fn: (d: JsonObject) => JsonObject | void): JsonObject {
    return mutateDefinition(this.store, project, nameOrId, fn);
  }

  /** Set definition properties out of band (no revision change, as with the REST call). */
  setDefinitionProperties(project: string, nameOrId: string | number, props: Record<string, Json>): void {
    setDefinitionProperties(this.store, project, nameOrId, props);
  }

  mutateEnvironment(project: string, name: string, fn: (e: { name: string; description: string }) => void): void {
    mutateEnvironment(this.store, project, name, fn);
  }

  /** Edit a check configuration out of band: its version goes up by one. */
  mutateCheck(project: string, id: number, fn: (c: JsonObject) => JsonObject | void): JsonObject {
    return mutateCheck(this.store, project, id, fn);
  }

  reset(): void {
    this.store.reset();
  }

  snapshot(): AzureProjectSnapshot[] {
    return this.store.snapshot();
  }

  saveState(): Json {
    return this.store.saveState();
  }

  loadState(state: Json): void {
    this.store.loadState(state);
  }
}
