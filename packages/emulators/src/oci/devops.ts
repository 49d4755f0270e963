/**
 * OCI DevOps API 20210630, the part pipeglot syncs: build pipelines, build pipeline stages,
 * deploy pipelines, deploy stages, deploy artifacts, triggers, work requests.
 * Reference: https://docs.oracle.com/en-us/iaas/api/#/en/devops/20210630/
 *
 *   POST   /20210630/{collection}           create  → 200 body, etag, opc-work-request-id (lifecycleState CREATING)
 *   GET    /20210630/{collection}?...       list    → {items: [...]}, opc-next-page (limit, page)
 *   GET    /20210630/{collection}/{id}      get     → body, etag
 *   PUT    /20210630/{collection}/{id}      update  → 200 body, etag, opc-work-request-id (UPDATING); if-match honoured
 *   DELETE /20210630/{collection}/{id}      delete  → 202, opc-work-request-id (DELETING); if-match honoured
 *   GET    /20210630/workRequests/{id}      work request: ACCEPTED → IN_PROGRESS → SUCCEEDED, one step per poll
 *
 * Every request must carry an OCI HTTP signature made with a trusted key (when keys are
 * configured). Errors use OCI's shape `{"code": "...", "message": "..."}` with an opc-request-id.
 */
import { Prng } from "../core/prng.js";
import { clone, isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse, ProtocolHandler } from "../core/server.js";
import { SignatureVerifier } from "./signature.js";

export const OCI_API_VERSION = "20210630";

export interface OciEmulatorOptions {
  now: () => Date;
  seed: number;
  region: string;
  /** The compartment of every project (default ocid1.compartment.oc1..pipeglotemulator). */
  compartmentId?: string;
  /** keyId → public key PEM. Absent or empty: signatures are not checked. */
  trustedKeys?: Record<string, string>;
  /** Polls of a work request before it succeeds (default 2: IN_PROGRESS, then SUCCEEDED). */
  workRequestPolls?: number;
}

export type OciKind = "buildPipeline" | "buildPipelineStage" | "deployPipeline" | "deployStage" | "deployArtifact" | "trigger";

interface KindInfo {
  collection: string;
  /** Operation suffix: CreateBuildPipeline... */
  op: string;
  ocid: string;
  /** The parent id field (list filter) besides projectId/compartmentId. */
  parent?: "projectId" | "buildPipelineId" | "deployPipelineId";
  typeField?: string;
  /** Work request entity type. */
  entity: string;
  wrOp: string;
}

const KINDS: Record<OciKind, KindInfo> = {
  buildPipeline: { collection: "buildPipelines", op: "BuildPipeline", ocid: "devopsbuildpipeline", parent: "projectId", entity: "buildPipeline", wrOp: "BUILD_PIPELINE" },
  buildPipelineStage: { collection: "buildPipelineStages", op: "BuildPipelineStage", ocid: "devopsbuildpipelinestage", parent: "buildPipelineId", typeField: "buildPipelineStageType", entity: "buildPipelineStage", wrOp: "BUILD_PIPELINE_STAGE" },
  deployPipeline: { collection: "deployPipelines", op: "DeployPipeline", ocid: "devopsdeploypipeline", parent: "projectId", entity: "deployPipeline", wrOp: "DEPLOY_PIPELINE" },
  deployStage: { collection: "deployStages", op: "DeployStage", ocid: "devopsdeploystage", parent: "deployPipelineId", typeField: "deployStageType", entity: "deployStage", wrOp: "DEPLOY_STAGE" },
  deployArtifact: { collection: "deployArtifacts", op: "DeployArtifact", ocid: "devopsdeployartifact", parent: "projectId", typeField: "deployArtifactType", entity: "deployArtifact", wrOp: "DEPLOY_ARTIFACT" },
  trigger: { collection: "triggers", op: "Trigger", ocid: "devopstrigger", parent: "projectId", typeField: "triggerSource", entity: "trigger", wrOp: "TRIGGER" },
};
const BY_COLLECTION = new Map(Object.entries(KINDS).map(([k, v]) => [v.collection, k as OciKind]));

const BUILD_STAGE_TYPES = new Set(["BUILD", "DELIVER_ARTIFACT", "TRIGGER_DEPLOYMENT_PIPELINE", "WAIT"]);
const DEPLOY_STAGE_TYPES = new Set([
  "WAIT", "MANUAL_APPROVAL", "SHELL", "INVOKE_FUNCTION", "DEPLOY_FUNCTION", "OKE_DEPLOYMENT", "OKE_HELM_CHART_DEPLOYMENT",
  "OKE_BLUE_GREEN_DEPLOYMENT", "OKE_BLUE_GREEN_TRAFFIC_SHIFT", "OKE_CANARY_DEPLOYMENT", "OKE_CANARY_TRAFFIC_SHIFT",
  "OKE_CANARY_APPROVAL", "COMPUTE_INSTANCE_GROUP_ROLLING_DEPLOYMENT", "COMPUTE_INSTANCE_GROUP_BLUE_GREEN_DEPLOYMENT",
  "COMPUTE_INSTANCE_GROUP_BLUE_GREEN_TRAFFIC_SHIFT", "COMPUTE_INSTANCE_GROUP_CANARY_DEPLOYMENT",
  "COMPUTE_INSTANCE_GROUP_CANARY_TRAFFIC_SHIFT", "COMPUTE_INSTANCE_GROUP_CANARY_APPROVAL", "LOAD_BALANCER_TRAFFIC_SHIFT",
]);
const TRIGGER_SOURCES = new Set(["GITHUB", "GITLAB", "GITLAB_SERVER", "BITBUCKET_CLOUD", "BITBUCKET_SERVER", "DEVOPS_CODE_REPOSITORY", "VBS"]);
const ARTIFACT_TYPES = new Set(["DEPLOYMENT_SPEC", "JOB_SPEC", "KUBERNETES_MANIFEST", "GENERIC_FILE", "DOCKER_IMAGE", "COMMAND_SPEC", "HELM_CHART", "HELM_COMMAND_SPEC"]);
const RUNNER_IMAGES = new Set(["OL7_X86_64_STANDARD_10", "OL8_X86_64_STANDARD_10"]);
/** Fields the server owns: ignored in create and update bodies. */
const SERVER_FIELDS = ["id", "compartmentId", "timeCreated", "timeUpdated", "lifecycleState", "lifecycleDetails", "systemTags", "triggerUrl", "secret"];

const STATUS: Record<string, number> = {
  InvalidParameter: 400,
  MissingParameter: 400,
  NotAuthenticated: 401,
  NotAuthorizedOrNotFound: 404,
  NotFound: 404,
  Conflict: 409,
  IncorrectState: 409,
  PreconditionFailed: 412,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
};

export class OciError extends Error {
  constructor(
    readonly code: keyof typeof STATUS & string,
    message: string,
  ) {
    super(message);
  }
}

export type WorkRequestStatus = "ACCEPTED" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED";

interface WorkRequest {
  id: string;
  operationType: string;
  status: WorkRequestStatus;
  compartmentId: string;
  resourceId: string;
  kind: OciKind;
  action: "CREATED" | "UPDATED" | "DELETED";
  polls: number;
  timeAccepted: string;
  timeStarted?: string;
  timeFinished?: string;
}

interface Stored {
  kind: OciKind;
  body: JsonObject;
  etag: string;
  /** Pending work request id, while the resource is CREATING/UPDATING/DELETING. */
  pending?: string;
}

export interface OciResourceSnapshot {
  kind: OciKind;
  etag: string;
  resource: JsonObject;
}

type Route =
  | { op: "Create" | "List"; kind: OciKind }
  | { op: "Get" | "Update" | "Delete"; kind: OciKind; id: string }
  | { op: "GetWorkRequest"; id: string }
  | { op: "ListWorkRequests" };

export class OciDevopsProtocol implements ProtocolHandler {
  private readonly resources = new Map<string, Stored>();
  private readonly workRequests = new Map<string, WorkRequest>();
  private readonly retryTokens = new Map<string, EmulatorResponse>();
  private ids: Prng;
  private readonly requestIds: Prng;
  readonly verifier: SignatureVerifier;
  private readonly compartmentId: string;

  constructor(private readonly opts: OciEmulatorOptions) {
    this.ids = new Prng(opts.seed);
    this.requestIds = new Prng(opts.seed ^ 0x5bd1e995);
    this.verifier = new SignatureVerifier(opts.trustedKeys ?? {});
    this.compartmentId = opts.compartmentId ?? "ocid1.compartment.oc1..pipeglotemulator";
  }

  get checksSignatures(): boolean {
    return this.verifier.size > 0;
  }

  // ---- routing ----

  private route(req: EmulatorRequest): Route | undefined {
    const prefix = `/${OCI_API_VERSION}/`;
    if (!req.path.startsWith(prefix)) return undefined;
    const parts = req.path.slice(prefix.length).split("/").filter(Boolean);
    if (parts[0] === "workRequests") {
      if (req.method !== "GET") return undefined;
      return parts.length === 2 ? { op: "GetWorkRequest", id: parts[1] } : parts.length === 1 ? { op: "ListWorkRequests" } : undefined;
    }
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

  operation(req: EmulatorRequest): string {
    const r = this.route(req);
    if (!r) return "Devops.(unknown route)";
    if (r.op === "GetWorkRequest" || r.op === "ListWorkRequests") return `Devops.${r.op}`;
    const name = KINDS[r.kind].op;
    return `Devops.${r.op}${name}${r.op === "List" ? "s" : ""}`;
  }

  private requestId(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.requestIds.next() * 16).toString(16)).join("").toUpperCase();
    return `${hex.slice(0, 16)}/${hex.slice(16)}`;
  }

  private reply(status: number, body?: Json, headers: Record<string, string> = {}): EmulatorResponse {
    const h: Record<string, string> = { "opc-request-id": this.requestId(), ...headers };
    if (body !== undefined) h["content-type"] = "application/json";
    return { status, headers: h, ...(body !== undefined ? { body } : {}) };
  }

  private error(e: OciError): EmulatorResponse {
    return this.reply(STATUS[e.code] ?? 500, { code: e.code, message: e.message });
  }

  faultResponse(kind: "throttle" | "error" | "internal"): EmulatorResponse {
    if (kind === "throttle") return this.error(new OciError("TooManyRequests", "Too many requests for the tenancy"));
    if (kind === "error") return this.error(new OciError("ServiceUnavailable", "The service is currently unavailable"));
    return this.error(new OciError("InternalServerError", "Internal error"));
  }

  handle(req: EmulatorRequest): EmulatorResponse {
    try {
      if (this.checksSignatures) {
        const problem = this.verifier.check(req);
        if (problem) throw new OciError("NotAuthenticated", `The required information to complete authentication was not provided or was incorrect (${problem}).`);
      }
      const route = this.route(req);
      if (!route) throw new OciError("NotFound", `No DevOps operation at ${req.method} ${req.path}`);
      return this.dispatch(route, req);
    } catch (e) {
      if (e instanceof OciError) return this.error(e);
      throw e;
    }
  }

  private dispatch(route: Route, req: EmulatorRequest): EmulatorResponse {
    switch (route.op) {
      case "GetWorkRequest":
        return this.reply(200, this.pollWorkRequest(route.id));
      case "ListWorkRequests": {
        const items = [...this.workRequests.values()].map((w) => this.workRequestBody(w));
        return this.reply(200, { items });
      }
      case "Create": {
        const token = header(req, "opc-retry-token");
        const cacheKey = token ? `${route.kind}\u0000${token}` : undefined;
        if (cacheKey && this.retryTokens.has(cacheKey)) return structuredClone(this.retryTokens.get(cacheKey)!);
        const answer = this.create(route.kind, this.body(req));
        if (cacheKey) this.retryTokens.set(cacheKey, structuredClone(answer));
        return answer;
      }
      case "List":
        return this.list(route.kind, req.query);
      case "Get": {
        const s = this.find(route.kind, route.id);
        return this.reply(200, clone(s.body), { etag: s.etag });
      }
      case "Update":
        return this.update(route.kind, route.id, this.body(req), header(req, "if-match"));
      case "Delete":
        return this.remove(route.kind, route.id, header(req, "if-match"));
    }
  }

  private body(req: EmulatorRequest): JsonObject {
    let parsed: Json;
    try {
      parsed = req.body.length === 0 ? {} : (JSON.parse(req.body.toString("utf8")) as Json);
    } catch {
      throw new OciError("InvalidParameter", "The request body is not valid JSON");
    }
    if (!isObject(parsed)) throw new OciError("InvalidParameter", "The request body must be a JSON object");
    return parsed;
  }

  // ---- ids, etags, work requests ----

  private ocid(prefix: string): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    let s = "";
    for (let i = 0; i < 24; i++) s += alphabet[Math.floor(this.ids.next() * alphabet.length)];
    return `ocid1.${prefix}.oc1.${this.opts.region}.amaaaaaa${s}`;
  }

  private etag(): string {
    let s = "";
    for (let i = 0; i < 8; i++) s += Math.floor(this.ids.next() * 0x10000).toString(16).padStart(4, "0");
    return s;
  }

  private startWork(kind: OciKind, action: WorkRequest["action"], resourceId: string): WorkRequest {
    const verb = action === "CREATED" ? "CREATE" : action === "UPDATED" ? "UPDATE" : "DELETE";
    const w: WorkRequest = {
      id: this.ocid("devopsworkrequest"),
      operationType: `${verb}_${KINDS[kind].wrOp}`,
      status: "ACCEPTED",
      compartmentId: this.compartmentId,
      resourceId,
      kind,
      action,
      polls: 0,
      timeAccepted: this.opts.now().toISOString(),
    };
    this.workRequests.set(w.id, w);
    return w;
  }

  private workRequestBody(w: WorkRequest): JsonObject {
    const done = w.status === "SUCCEEDED";
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

  private pollWorkRequest(id: string): JsonObject {
    const w = this.workRequests.get(id);
    if (!w) throw new OciError("NotAuthorizedOrNotFound", `Work request ${id} not found`);
    if (w.status !== "SUCCEEDED" && w.status !== "FAILED") {
      w.polls++;
      const needed = Math.max(1, this.opts.workRequestPolls ?? 2);
      if (w.polls >= needed) this.finish(w);
      else {
        w.status = "IN_PROGRESS";
        w.timeStarted ??= this.opts.now().toISOString();
      }
    }
    return this.workRequestBody(w);
  }

  private finish(w: WorkRequest): void {
    w.status = "SUCCEEDED";
    w.timeStarted ??= this.opts.now().toISOString();
    w.timeFinished = this.opts.now().toISOString();
    const s = this.resources.get(w.resourceId);
    if (!s || s.pending !== w.id) return;
    s.pending = undefined;
    if (w.action === "DELETED") {
      this.resources.delete(w.resourceId);
      return;
    }
    s.body.lifecycleState = "ACTIVE";
  }

  /** Finish every pending work request now (as if time passed). */
  completeWorkRequests(): void {
    for (const w of this.workRequests.values()) if (w.status !== "SUCCEEDED" && w.status !== "FAILED") this.finish(w);
  }

  // ---- lookups and checks ----

  private find(kind: OciKind, id: string): Stored {
    const s = this.resources.get(id);
    if (!s || s.kind !== kind) throw new OciError("NotAuthorizedOrNotFound", `Authorization failed or requested resource not found: ${KINDS[kind].op} ${id}`);
    return s;
  }

  private requireActive(s: Stored, what: string): void {
    const state = s.body.lifecycleState;
    if (state !== "ACTIVE") throw new OciError("IncorrectState", `${what} ${String(s.body.id)} is in state ${String(state)}; the operation needs ACTIVE`);
  }

  private parentOf(kind: OciKind, body: JsonObject): { parent?: Stored; projectId: string } {
    if (kind === "buildPipelineStage" || kind === "deployStage") {
      const field = kind === "buildPipelineStage" ? "buildPipelineId" : "deployPipelineId";
      const pid = body[field];
      if (typeof pid !== "string" || pid === "") throw new OciError("MissingParameter", `${field} is required`);
      const parentKind: OciKind = kind === "buildPipelineStage" ? "buildPipeline" : "deployPipeline";
      const parent = this.resources.get(pid);
      if (!parent || parent.kind !== parentKind) throw new OciError("NotAuthorizedOrNotFound", `${field} ${pid} not found`);
      return { parent, projectId: String(parent.body.projectId) };
    }
    const projectId = body.projectId;
    if (typeof projectId !== "string" || projectId === "") throw new OciError("MissingParameter", "projectId is required");
    if (!projectId.startsWith("ocid1.devopsproject.")) throw new OciError("InvalidParameter", `projectId ${projectId} is not a DevOps project OCID`);
    return { projectId };
  }

  private mustExist(id: unknown, kind: OciKind, field: string): void {
    if (typeof id !== "string") throw new OciError("MissingParameter", `${field} is required`);
    const s = this.resources.get(id);
    if (!s || s.kind !== kind) throw new OciError("InvalidParameter", `${field} ${id} does not name an existing ${KINDS[kind].op}`);
  }

  private checkPredecessors(kind: OciKind, body: JsonObject, pipelineId: string, selfId?: string): void {
    const field = kind === "buildPipelineStage" ? "buildPipelineStagePredecessorCollection" : "deployStagePredecessorCollection";
    const coll = body[field];
    if (!isObject(coll) || !Array.isArray(coll.items) || coll.items.length === 0) throw new OciError("InvalidParameter", `${field} must list at least one predecessor (the pipeline's own id for a first stage)`);
    for (const it of coll.items) {
      const id = isObject(it) ? it.id : undefined;
      if (typeof id !== "string") throw new OciError("InvalidParameter", `${field}.items[].id is required`);
      if (id === pipelineId) continue;
      const s = this.resources.get(id);
      if (!s || s.kind !== kind || s.body[kind === "buildPipelineStage" ? "buildPipelineId" : "deployPipelineId"] !== pipelineId) {
        throw new OciError("InvalidParameter", `predecessor ${id} is neither the pipeline nor one of its stages`);
      }
      if (id === selfId) throw new OciError("InvalidParameter", "a stage cannot be its own predecessor");
    }
    if (selfId) {
      // No cycle: walking predecessors from the new ones must not reach the stage itself.
      const seen = new Set<string>();
      const stack = coll.items.map((x) => String((x as JsonObject).id));
      while (stack.length) {
        const id = stack.pop()!;
        if (id === selfId) throw new OciError("InvalidParameter", "the predecessors would make a cycle");
        if (seen.has(id)) continue;
        seen.add(id);
        const s = this.resources.get(id);
        if (!s || s.kind !== kind) continue;
        const c = s.body[field];
        if (isObject(c) && Array.isArray(c.items)) for (const x of c.items) if (isObject(x) && typeof x.id === "string") stack.push(x.id);
      }
    }
  }

  private validate(kind: OciKind, body: JsonObject, pipelineId: string | undefined, selfId?: string): void {
    const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : undefined);
    switch (kind) {
      case "buildPipeline":
      case "deployPipeline": {
        const field = kind === "buildPipeline" ? "buildPipelineParameters" : "deployPipelineParameters";
        const params = body[field];
        if (params !== undefined) {
          if (!isObject(params) || !Array.isArray(params.items)) throw new OciError("InvalidParameter", `${field} must be {items: [...]}`);
          for (const p of params.items) {
            const name = isObject(p) ? p.name : undefined;
            if (typeof name !== "string" || !/^[a-zA-Z][a-zA-Z_0-9]*$/.test(name)) throw new OciError("InvalidParameter", `parameter name ${JSON.stringify(name)} must match ^[a-zA-Z][a-zA-Z_0-9]*$`);
          }
        }
        return;
      }
      case "buildPipelineStage": {
        const type = str("buildPipelineStageType");
        if (!type || !BUILD_STAGE_TYPES.has(type)) throw new OciError("InvalidParameter", `buildPipelineStageType ${JSON.stringify(type)} is not one of ${[...BUILD_STAGE_TYPES].join(", ")}`);
        this.checkPredecessors(kind, body, pipelineId!, selfId);
        if (type === "BUILD") {
          if (!RUNNER_IMAGES.has(str("image") ?? "")) throw new OciError("InvalidParameter", `image must be one of ${[...RUNNER_IMAGES].join(", ")}`);
          const src = body.buildSourceCollection;
          if (!isObject(src) || !Array.isArray(src.items)) throw new OciError("MissingParameter", "buildSourceCollection is required for a BUILD stage");
        } else if (type === "DELIVER_ARTIFACT") {
          const c = body.deliverArtifactCollection;
          if (!isObject(c) || !Array.isArray(c.items) || c.items.length === 0) throw new OciError("MissingParameter", "deliverArtifactCollection is required");
          for (const it of c.items) this.mustExist(isObject(it) ? it.artifactId : undefined, "deployArtifact", "deliverArtifactCollection.items[].artifactId");
        } else if (type === "TRIGGER_DEPLOYMENT_PIPELINE") {
          this.mustExist(body.deployPipelineId, "deployPipeline", "deployPipelineId");
          if (typeof body.isPassAllParametersEnabled !== "boolean") throw new OciError("MissingParameter", "isPassAllParametersEnabled is required");
        } else if (type === "WAIT" && !isObject(body.waitCriteria)) throw new OciError("MissingParameter", "waitCriteria is required");
        return;
      }
      case "deployStage": {
        const type = str("deployStageType");
        if (!type || !DEPLOY_STAGE_TYPES.has(type)) throw new OciError("InvalidParameter", `deployStageType ${JSON.stringify(type)} is not a deploy stage type`);
        this.checkPredecessors(kind, body, pipelineId!, selfId);
        if (type === "SHELL") {
          this.mustExist(body.commandSpecDeployArtifactId, "deployArtifact", "commandSpecDeployArtifactId");
          if (!isObject(body.containerConfig)) throw new OciError("MissingParameter", "containerConfig is required for a SHELL stage");
        } else if (type === "MANUAL_APPROVAL" && !isObject(body.approvalPolicy)) throw new OciError("MissingParameter", "approvalPolicy is required");
        return;
      }
      case "deployArtifact": {
        const type = str("deployArtifactType");
        if (!type || !ARTIFACT_TYPES.has(type)) throw new OciError("InvalidParameter", `deployArtifactType ${JSON.stringify(type)} is not valid`);
        if (!isObject(body.deployArtifactSource)) throw new OciError("MissingParameter", "deployArtifactSource is required");
        if (body.argumentSubstitutionMode !== "NONE" && body.argumentSubstitutionMode !== "SUBSTITUTE_PLACEHOLDERS") throw new OciError("InvalidParameter", "argumentSubstitutionMode must be NONE or SUBSTITUTE_PLACEHOLDERS");
        return;
      }
      case "trigger": {
        const source = str("triggerSource");
        if (!source || !TRIGGER_SOURCES.has(source)) throw new OciError("InvalidParameter", `triggerSource ${JSON.stringify(source)} is not valid`);
        if (!Array.isArray(body.actions) || body.actions.length === 0) throw new OciError("MissingParameter", "actions is required");
        for (const a of body.actions) {
          if (!isObject(a) || a.type !== "TRIGGER_BUILD_PIPELINE") throw new OciError("InvalidParameter", "actions[].type must be TRIGGER_BUILD_PIPELINE");
          this.mustExist(a.buildPipelineId, "buildPipeline", "actions[].buildPipelineId");
        }
      }
    }
  }

  /** Values the real service fills in when they are not given. */
  private applyDefaults(kind: OciKind, b: JsonObject): void {
    if (b.freeformTags === undefined) b.freeformTags = {};
    if (b.definedTags === undefined) b.definedTags = { "Oracle-Tags": { CreatedBy: "pipeglot-emulator", CreatedOn: this.opts.now().toISOString() } };
    b.systemTags = {};
    if (kind === "buildPipeline" && b.buildPipelineParameters === undefined) b.buildPipelineParameters = { items: [] };
    if (kind === "deployPipeline" && b.deployPipelineParameters === undefined) b.deployPipelineParameters = { items: [] };
    if (kind === "buildPipelineStage" && b.buildPipelineStageType === "BUILD") {
      if (b.stageExecutionTimeoutInSeconds === undefined) b.stageExecutionTimeoutInSeconds = 36000;
      if (b.buildRunnerShapeConfig === undefined) b.buildRunnerShapeConfig = { buildRunnerType: "DEFAULT" };
      const items = isObject(b.buildSourceCollection) && Array.isArray(b.buildSourceCollection.items) ? b.buildSourceCollection.items : [];
      if (b.primaryBuildSource === undefined && isObject(items[0]) && typeof items[0].name === "string") b.primaryBuildSource = items[0].name;
    }
    if (kind === "deployStage" && b.deployStageType === "SHELL" && b.timeoutInSeconds === undefined) b.timeoutInSeconds = 36000;
  }

  /** The deploy pipeline's computed collections (artifacts its stages use). */
  private refreshDeployPipeline(pipelineId: string): void {
    const p = this.resources.get(pipelineId);
    if (!p || p.kind !== "deployPipeline") return;
    const artifacts = new Set<string>();
    for (const s of this.resources.values()) {
      if (s.kind !== "deployStage" || s.body.deployPipelineId !== pipelineId || s.body.lifecycleState === "DELETING") continue;
      if (typeof s.body.commandSpecDeployArtifactId === "string") artifacts.add(s.body.commandSpecDeployArtifactId);
    }
    p.body.deployPipelineArtifacts = { items: [...artifacts].sort().map((id) => ({ deployArtifactId: id, displayName: String(this.resources.get(id)?.body.displayName ?? "") })) };
    p.body.deployPipelineEnvironments = { items: [] };
  }

  // ---- operations ----

  private create(kind: OciKind, input: JsonObject): EmulatorResponse {
    const body = clone(input);
    for (const k of SERVER_FIELDS) delete body[k];
    delete body.definedTagsDefaults;
    const { parent, projectId } = this.parentOf(kind, body);
    if (parent) this.requireActive(parent, KINDS[parent.kind].op);
    this.validate(kind, body, parent ? String(parent.body.id) : undefined);
    const id = this.ocid(KINDS[kind].ocid);
    const now = this.opts.now().toISOString();
    const stored: JsonObject = { id, ...body, projectId, compartmentId: this.compartmentId, timeCreated: now, timeUpdated: now, lifecycleState: "CREATING" };
    this.applyDefaults(kind, stored);
    let secret: string | undefined;
    if (kind === "trigger") {
      stored.triggerUrl = `https://devops.${this.opts.region}.oci.oraclecloud.com/${OCI_API_VERSION}/triggers/${id}/${String(body.triggerSource).toLowerCase()}`;
      if (body.triggerSource === "GITHUB" || body.triggerSource === "GITLAB") secret = `whsec-${this.etag()}`;
    }
    const w = this.startWork(kind, "CREATED", id);
    const s: Stored = { kind, body: stored, etag: this.etag(), pending: w.id };
    this.resources.set(id, s);
    if (kind === "deployStage") this.refreshDeployPipeline(String(stored.deployPipelineId));
    // A webhook trigger's create result carries the shared secret once; GET never shows it.
    const answer = secret ? { ...clone(stored), secret } : clone(stored);
    return this.reply(200, answer, { etag: s.etag, "opc-work-request-id": w.id });
  }

  private list(kind: OciKind, q: URLSearchParams): EmulatorResponse {
    const info = KINDS[kind];
    const parentField = info.parent!;
    const filters: [string, string][] = [];
    for (const f of [parentField, "projectId", "compartmentId", "id", "displayName", "lifecycleState", "deployPipelineId", "buildPipelineId"]) {
      const v = q.get(f);
      if (v) filters.push([f, v]);
    }
    if (!filters.some(([f]) => f === parentField || f === "compartmentId" || f === "id" || f === "projectId")) {
      throw new OciError("MissingParameter", `one of ${parentField}, compartmentId or id is required`);
    }
    const all = [...this.resources.values()].filter((s) => s.kind === kind && filters.every(([f, v]) => s.body[f] === v)).map((s) => s.body);
    const order = q.get("sortOrder") === "DESC" ? -1 : 1;
    const by = q.get("sortBy") === "displayName" ? "displayName" : "timeCreated";
    // Stable: equal keys keep creation order.
    all.sort((a, b) => order * (String(a[by]) < String(b[by]) ? -1 : String(a[by]) > String(b[by]) ? 1 : 0));
    const limit = Math.max(1, Math.min(Number(q.get("limit") ?? "0") || 100, 1000));
    let start = 0;
    const page = q.get("page");
    if (page) {
      start = Number.parseInt(Buffer.from(page, "base64url").toString("utf8"), 10);
      if (!Number.isInteger(start) || start < 0 || start > all.length) throw new OciError("InvalidParameter", "invalid page token");
    }
    const items = all.slice(start, start + limit).map((b) => clone(b));
    const headers: Record<string, string> = {};
    if (start + items.length < all.length) headers["opc-next-page"] = Buffer.from(String(start + items.length)).toString("base64url");
    return this.reply(200, { items }, headers);
  }

  private checkIfMatch(s: Stored, ifMatch: string | undefined): void {
    if (ifMatch !== undefined && ifMatch !== "*" && ifMatch !== s.etag) {
      throw new OciError("PreconditionFailed", `The resource's etag does not match the if-match header (${KINDS[s.kind].op} ${String(s.body.id)})`);
    }
  }

  private update(kind: OciKind, id: string, input: JsonObject, ifMatch: string | undefined): EmulatorResponse {
    const s = this.find(kind, id);
    this.checkIfMatch(s, ifMatch);
    this.requireActive(s, KINDS[kind].op);
    const patch = clone(input);
    for (const k of [...SERVER_FIELDS, "projectId", "buildPipelineId", "deployPipelineId"]) delete patch[k];
    const typeField = KINDS[kind].typeField;
    if (typeField && patch[typeField] !== undefined && patch[typeField] !== s.body[typeField]) {
      throw new OciError("InvalidParameter", `${typeField} cannot be changed (${String(s.body[typeField])} → ${String(patch[typeField])})`);
    }
    const next: JsonObject = { ...clone(s.body) };
    for (const [k, v] of Object.entries(patch)) if (v !== null) next[k] = v;
    const pipelineId = kind === "buildPipelineStage" ? String(next.buildPipelineId) : kind === "deployStage" ? String(next.deployPipelineId) : undefined;
    this.validate(kind, next, pipelineId, id);
    next.timeUpdated = this.opts.now().toISOString();
    next.lifecycleState = "UPDATING";
    const w = this.startWork(kind, "UPDATED", id);
    s.body = next;
    s.etag = this.etag();
    s.pending = w.id;
    if (kind === "deployStage") this.refreshDeployPipeline(String(next.deployPipelineId));
    return this.reply(200, clone(next), { etag: s.etag, "opc-work-request-id": w.id });
  }

  /** What still points at a resource (a delete is refused while anything does). */
  private referencesTo(id: string): string[] {
    const out: string[] = [];
    const mentions = (v: Json): boolean => (typeof v === "string" ? v === id : Array.isArray(v) ? v.some(mentions) : isObject(v) ? Object.values(v).some(mentions) : false);
    for (const [otherId, o] of this.resources) {
      if (otherId === id || o.body.lifecycleState === "DELETING") continue;
      const { id: _self, deployPipelineArtifacts: _a, deployPipelineEnvironments: _e, ...rest } = o.body;
      void _self, _a, _e;
      if (mentions(rest)) out.push(`${KINDS[o.kind].op} ${otherId}`);
    }
    return out;
  }

  private remove(kind: OciKind, id: string, ifMatch: string | undefined): EmulatorResponse {
    const s = this.find(kind, id);
    this.checkIfMatch(s, ifMatch);
    this.requireActive(s, KINDS[kind].op);
    const refs = this.referencesTo(id);
    if (refs.length) throw new OciError("Conflict", `${KINDS[kind].op} ${id} is still referenced by ${refs.slice(0, 3).join(", ")}${refs.length > 3 ? ` and ${refs.length - 3} more` : ""}`);
    const w = this.startWork(kind, "DELETED", id);
    s.body.lifecycleState = "DELETING";
    s.body.timeUpdated = this.opts.now().toISOString();
    s.pending = w.id;
    if (kind === "deployStage") this.refreshDeployPipeline(String(s.body.deployPipelineId));
    return this.reply(202, undefined, { "opc-work-request-id": w.id });
  }

  // ---- out-of-band access ----

  /** Edit a resource (by OCID, or by kind + displayName) as someone else would: its etag and timeUpdated change. */
  mutate(idOrName: string, fn: (resource: JsonObject) => JsonObject | void, kind?: OciKind): JsonObject {
    for (const [id, s] of this.resources) {
      if (id !== idOrName && !(kind === s.kind && s.body.displayName === idOrName)) continue;
      const draft = clone(s.body);
      const next = fn(draft) ?? draft;
      next.id = id;
      next.timeUpdated = this.opts.now().toISOString();
      s.body = next;
      s.etag = this.etag();
      return clone(next);
    }
    throw new Error(`no OCI DevOps resource with id or name ${idOrName}${kind ? ` of kind ${kind}` : ""}`);
  }

  snapshot(): OciResourceSnapshot[] {
    return [...this.resources.values()].map((s) => ({ kind: s.kind, etag: s.etag, resource: clone(s.body) }));
  }

  /** Trust one more signing key. */
  trustKey(keyId: string, publicKeyPem: string): void {
    this.verifier.trust(keyId, publicKeyPem);
  }

  reset(): void {
    this.resources.clear();
    this.workRequests.clear();
    this.retryTokens.clear();
  }
}

function header(req: EmulatorRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
