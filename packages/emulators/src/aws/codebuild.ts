/**
 * AWS CodeBuild (API 2016-10-06): projects only (no builds are run).
 * Reference: https://docs.aws.amazon.com/codebuild/latest/APIReference/ and the botocore model.
 */
import { clone, isObject, type Json, type JsonObject } from "../core/json.js";
import { decodeState, encodeState, refill } from "../core/state.js";
import { AwsError, epochSeconds, obj, objects, page, requireString, str, type AwsContext } from "./common.js";

interface ProjectRecord {
  project: JsonObject;
  created: Date;
  lastModified: Date;
}

/** Members of CreateProjectInput/UpdateProjectInput copied into the stored `Project`. */
const INPUT_MEMBERS = [
  "description",
  "source",
  "secondarySources",
  "sourceVersion",
  "secondarySourceVersions",
  "artifacts",
  "secondaryArtifacts",
  "cache",
  "environment",
  "serviceRole",
  "timeoutInMinutes",
  "queuedTimeoutInMinutes",
  "encryptionKey",
  "tags",
  "vpcConfig",
  "logsConfig",
  "fileSystemLocations",
  "buildBatchConfig",
  "concurrentBuildLimit",
  "autoRetryLimit",
] as const;

export class CodeBuildService {
  private readonly projects = new Map<string, ProjectRecord>();

  constructor(private readonly ctx: AwsContext) {}

  readonly operations: Record<string, (input: JsonObject) => JsonObject> = {
    CreateProject: (i) => this.createProject(i),
    UpdateProject: (i) => this.updateProject(i),
    DeleteProject: (i) => this.deleteProject(i),
    BatchGetProjects: (i) => this.batchGetProjects(i),
    ListProjects: (i) => this.listProjects(i),
  };

  private arnOf(name: string): string {
    return `arn:aws:codebuild:${this.ctx.region}:${this.ctx.accountId}:project/${name}`;
  }

  /** A project by name or ARN. */
  private lookup(nameOrArn: string): ProjectRecord | undefined {
    const m = /^arn:aws[\w-]*:codebuild:[^:]*:[0-9]{12}:project\/(.+)$/.exec(nameOrArn);
    return this.projects.get(m ? m[1] : nameOrArn);
  }

  private checkSemantics(p: JsonObject): void {
    const source = obj(p, "source");
    const artifacts = obj(p, "artifacts");
    const sourceType = source ? str(source, "type") : undefined;
    const artifactsType = artifacts ? str(artifacts, "type") : undefined;
    if (sourceType === "NO_SOURCE" && !(source && str(source, "buildspec"))) {
      throw new AwsError("InvalidInputException", "Project source buildspec cannot be empty when source type is NO_SOURCE");
    }
    if ((sourceType === "CODEPIPELINE") !== (artifactsType === "CODEPIPELINE") && sourceType !== undefined && artifactsType !== undefined) {
      throw new AwsError(
        "InvalidInputException",
        `Invalid project: source type ${sourceType} and artifacts type ${artifactsType}: CODEPIPELINE must be used for both or neither`,
      );
    }
    if (objects(p, "tags").length > 50) throw new AwsError("InvalidInputException", "A project can have at most 50 tags");
  }

  /** Server-filled fields, as CodeBuild returns them. */
  private withDefaults(p: JsonObject): JsonObject {
    p.timeoutInMinutes ??= 60;
    p.queuedTimeoutInMinutes ??= 480;
    p.encryptionKey ??= `arn:aws:kms:${this.ctx.region}:${this.ctx.accountId}:alias/aws/s3`;
    p.projectVisibility ??= "PRIVATE";
    const env = obj(p, "environment");
    if (env) env.imagePullCredentialsType ??= "CODEBUILD";
    p.tags ??= [];
    return p;
  }

  private view(r: ProjectRecord): JsonObject {
    return { ...clone(r.project), created: epochSeconds(r.created), lastModified: epochSeconds(r.lastModified) };
  }

  private createProject(input: JsonObject): JsonObject {
    const name = requireString(input, "name");
    if (this.projects.has(name)) throw new AwsError("ResourceAlreadyExistsException", `Project already exists: ${this.arnOf(name)}`);
    const project: JsonObject = { name, arn: this.arnOf(name) };
    for (const k of INPUT_MEMBERS) if (input[k] !== undefined && input[k] !== null) project[k] = clone(input[k]);
    project.badge = { badgeEnabled: input.badgeEnabled === true };
    this.checkSemantics(project);
    const now = this.ctx.now();
    const rec: ProjectRecord = { project: this.withDefaults(project), created: now, lastModified: now };
    this.projects.set(name, rec);
    return { project: this.view(rec) };
  }

  private updateProject(input: JsonObject): JsonObject {
    const name = requireString(input, "name");
    const rec = this.lookup(name);
    if (!rec) throw new AwsError("ResourceNotFoundException", `Project cannot be found: ${name.startsWith("arn:") ? name : this.arnOf(name)}`);
    const next = clone(rec.project);
    for (const k of INPUT_MEMBERS) if (input[k] !== undefined && input[k] !== null) next[k] = clone(input[k]);
    if (typeof input.badgeEnabled === "boolean") next.badge = { badgeEnabled: input.badgeEnabled };
    this.checkSemantics(next);
    rec.project = this.withDefaults(next);
    rec.lastModified = this.ctx.now();
    return { project: this.view(rec) };
  }

  private deleteProject(input: JsonObject): JsonObject {
    const name = requireString(input, "name");
    const rec = this.lookup(name);
    if (rec) this.projects.delete(str(rec.project, "name")!);
    return {};
  }

  private batchGetProjects(input: JsonObject): JsonObject {
    const names = Array.isArray(input.names) ? input.names.filter((n): n is string => typeof n === "string") : [];
    if (names.length === 0) throw new AwsError("InvalidInputException", "At least one project name is required");
    const projects: JsonObject[] = [];
    const projectsNotFound: string[] = [];
    for (const n of names) {
      const rec = this.lookup(n);
      if (rec) projects.push(this.view(rec));
      else projectsNotFound.push(n);
    }
    return { projects, projectsNotFound };
  }

  private listProjects(input: JsonObject): JsonObject {
    const sortBy = str(input, "sortBy") ?? "NAME";
    const sortOrder = str(input, "sortOrder") ?? "ASCENDING";
    const recs = [...this.projects.values()];
    const key = (r: ProjectRecord): string | number =>
      sortBy === "CREATED_TIME" ? r.created.getTime() : sortBy === "LAST_MODIFIED_TIME" ? r.lastModified.getTime() : (str(r.project, "name") ?? "");
    recs.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : (str(a.project, "name") ?? "") < (str(b.project, "name") ?? "") ? -1 : 1;
      return sortOrder === "DESCENDING" ? -c : c;
    });
    const names = recs.map((r) => str(r.project, "name")!);
    const { items, nextToken } = page(names, input.nextToken, 100, "InvalidInputException");
    return nextToken ? { projects: items, nextToken } : { projects: items };
  }

  // ---- out-of-band access ----

  /** Edit a project as if someone else did (console, another tool); `lastModified` moves. */
  mutateProject(name: string, fn: (project: JsonObject) => JsonObject | void): JsonObject {
    const rec = this.lookup(name);
    if (!rec) throw new Error(`no CodeBuild project named ${name}`);
    const draft = clone(rec.project);
    const next = fn(draft) ?? draft;
    if (!isObject(next)) throw new TypeError("mutateProject: the function must return an object or nothing");
    next.name = rec.project.name;
    next.arn = rec.project.arn;
    rec.project = this.withDefaults(next);
    rec.lastModified = this.ctx.now();
    return this.view(rec);
  }

  snapshot(): JsonObject[] {
    return [...this.projects.keys()].sort().map((n) => {
      const r = this.projects.get(n)!;
      return { ...clone(r.project), created: r.created.toISOString(), lastModified: r.lastModified.toISOString() };
    });
  }

  reset(): void {
    this.projects.clear();
  }

  saveState(): Json {
    return encodeState({ projects: this.projects });
  }

  loadState(state: Json): void {
    refill(this.projects, (decodeState(state) as { projects?: unknown }).projects);
  }
}
