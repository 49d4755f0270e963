/**
 * The live client for Azure DevOps (LiveClient of @pipeglot/core's sync engine), on
 * azure-devops-node-api 17.x. One handler file per resource kind:
 *   azure.BuildDefinition/<name>     definition.ts   revision = version token; the server refuses a stale one
 *   azure.Environment/<name>         environment.ts  lastModifiedOn = version token (compared before each write)
 *   azure.CheckConfiguration/<env>   check.ts        the Approval check on that environment; version = token
 *   azure.PipelineYaml/<repo>@<branch>:<path>   repo-yaml.ts   only with pushYaml: the file in Azure Repos; blob id = token
 * This file holds what they share: the caches, the dispatch, and {@link AzureLiveClient.call}, on
 * the client's LiveEdge (core's one retry layer): 429 (waits `Retry-After` / `X-RateLimit-Delay`),
 * 5xx and dropped connections are retried with backoff, within the apply's deadline; nothing it
 * throws carries the token.
 */
import {
  ConflictError,
  isObject,
  LiveEdge,
  parseRetryAfter,
  type Change,
  type LiveClient,
  type LiveResource,
  type ReadContext,
  type ResourceKey,
  type RetryPolicy,
  type WriteContext,
  type Obj,
} from "@pipeglot/core";
import type { BuildApi } from "azure-devops-node-api/BuildApi.js";
import type { GitApi } from "azure-devops-node-api/GitApi.js";
import type { ITaskAgentApi } from "azure-devops-node-api/TaskAgentApi.js";
import type { IServiceEndpointApi } from "azure-devops-node-api/ServiceEndpointApi.js";
import type { WebApi } from "azure-devops-node-api/WebApi.js";
import { readCheck, writeCheck } from "./check.js";
import { Redactor, type ResolvedConfig } from "./config.js";
import { definitionsNamed, isManagedDefinition, readDefinition, serviceConnectionId, writeDefinition } from "./definition.js";
import { ownedEnvironments, readEnvironment, writeEnvironment, type EnvRow } from "./environment.js";
import { AzureApiError, errorShape, header } from "./errors.js";
import type { ApproverLookup } from "./identity.js";
import { pushYamlFile, readYaml, repositoryId, yamlItem } from "./repo-yaml.js";

export { APPROVAL_TYPE_ID, CHECKS_API_VERSION } from "./check.js";
export { PROPERTY_PREFIX } from "./definition.js";
export { AzureApiError, errorShape, isRetryable } from "./errors.js";
export { parseYamlKey, yamlKeyName, yamlOwner } from "./repo-yaml.js";

export const KIND = {
  definition: "azure.BuildDefinition",
  environment: "azure.Environment",
  check: "azure.CheckConfiguration",
  yaml: "azure.PipelineYaml",
} as const;

/** The retry policy of every call (core's RetryPolicy; default DEFAULT_RETRY): attempts, backoff, longest Retry-After honoured. */
export type RetryOptions = Partial<RetryPolicy>;

export interface Apis {
  web: WebApi;
  build(): Promise<BuildApi>;
  git(): Promise<GitApi>;
  taskAgent(): Promise<ITaskAgentApi>;
  serviceEndpoint(): Promise<IServiceEndpointApi>;
}

export interface AzureClientOptions {
  retry?: RetryOptions;
  /** Push the compiled YAML through the Git API (azure.PipelineYaml resources). */
  pushYaml?: boolean;
}

export class AzureLiveClient implements LiveClient {
  readonly redact: Redactor;
  /** Environments by lower-cased name (filled by reads and creates; the handlers share it). */
  readonly envCache = new Map<string, EnvRow>();
  /** Service connection name (lower case) → id. */
  readonly scCache = new Map<string, string>();
  /** Repository name (lower case) → id. */
  readonly repoIds = new Map<string, string>();
  /** Written approver (lower case) → its identity look-up (identity.ts): one request per distinct name per client. */
  readonly approverCache = new Map<string, Promise<ApproverLookup>>();
  /**
   * Per environment (lower case): identity id (lower case) → the approver as the definition writes
   * it, filled by preflight, so that a read check names its approvers as compile does (compared by id).
   */
  readonly approverNames = new Map<string, Map<string, string>>();
  /** Every request goes through it: one retry layer, one concurrency limit. */
  readonly edge: LiveEdge;
  /** The repository (TfsGit) the YAML lives in: name from the definition output. */
  yamlRepo?: { name: string; branch: string };

  constructor(
    readonly apis: Apis,
    readonly config: ResolvedConfig,
    readonly options: AzureClientOptions = {},
  ) {
    this.redact = new Redactor(config.token.value, config.token.variable);
    this.edge = new LiveEdge({
      service: "Azure DevOps",
      shape: errorShape,
      retry: options.retry ?? {},
      endpoint: config.orgUrl,
      endpointHint: "check --endpoint, AZURE_DEVOPS_ORG_URL or targets.azure.organization, and the network",
    });
  }

  /** Calls made by this client (each attempt counts), for reports and tests. */
  get calls(): number {
    return this.edge.requests;
  }

  get project(): string {
    return this.config.project;
  }

  // ------------------------------------------------------------------ calls, retries, errors

  /** Turn anything the SDK throws into a token-free AzureApiError. */
  wrap(e: unknown, what: string): AzureApiError | ConflictError {
    if (e instanceof AzureApiError || e instanceof ConflictError) return e;
    const err = e as { statusCode?: number; result?: unknown; responseHeaders?: unknown; code?: string; message?: string };
    const status = typeof err?.statusCode === "number" ? err.statusCode : undefined;
    const typeKey = isObject(err?.result) && typeof err.result.typeKey === "string" ? err.result.typeKey : undefined;
    const retryAfterMs = parseRetryAfter(header(err?.responseHeaders, "retry-after")) ?? parseRetryAfter(header(err?.responseHeaders, "x-ratelimit-delay"));
    const msg = this.redact.text(`${what}: ${status !== undefined ? `HTTP ${status}${typeKey ? ` ${typeKey}` : ""}: ` : ""}${String(err?.message ?? e)}`);
    return new AzureApiError(msg, status, typeKey, retryAfterMs, typeof err?.code === "string" ? err.code : undefined);
  }

  /**
   * One API call through the edge (core's one retry layer): 429 waits Retry-After (or
   * X-RateLimit-Delay, else backoff), 5xx and dropped connections back off exponentially.
   * `deadlineAt` (else the apply's deadline) bounds the waiting.
   */
  call<T>(what: string, fn: () => Promise<T>, deadlineAt?: number): Promise<T> {
    return this.edge.call(
      async () => {
        try {
          return await fn();
        } catch (e) {
          throw this.wrap(e, what);
        }
      },
      deadlineAt !== undefined ? { deadlineAt } : {},
    );
  }

  retryable(error: unknown): boolean {
    return this.edge.retryable(error);
  }

  // ------------------------------------------------------------------ look-ups the other modules use

  isManagedDefinition(d: Obj): boolean {
    return isManagedDefinition(this, d);
  }

  /** Service connection name → id (cached). */
  serviceConnectionId(name: string, deadlineAt?: number): Promise<string | undefined> {
    return serviceConnectionId(this, name, deadlineAt);
  }

  repositoryId(name: string, deadlineAt?: number): Promise<string | undefined> {
    return repositoryId(this, name, deadlineAt);
  }

  /** The YAML file on the default branch: content and blob id, undefined when absent. */
  yamlItem(path: string, deadlineAt?: number, where = this.yamlRepo): Promise<{ content: string; objectId: string; commitId?: string } | undefined> {
    return yamlItem(this, path, deadlineAt, where);
  }

  setYamlRepository(name: string, branch: string): void {
    this.yamlRepo = { name, branch };
  }

  /** Names of the environments whose description names this pipeline as their owner (every page). */
  ownedEnvironments(pipeline: string): Promise<string[]> {
    return ownedEnvironments(this, pipeline);
  }

  // ------------------------------------------------------------------ read

  read(keys: ResourceKey[], pipeline?: string, ctx?: ReadContext): Promise<(LiveResource | undefined)[]> {
    return this.edge.within(ctx, async () => {
      // Environments before checks, so that a check's environment id comes from the same read.
      const order = keys.map((k, i) => ({ k, i })).sort((a, b) => rank(a.k.kind) - rank(b.k.kind));
      const out: (LiveResource | undefined)[] = new Array(keys.length);
      for (const { k, i } of order) out[i] = await this.readOne(k, undefined, pipeline);
      return out;
    });
  }

  /** One resource, by its kind's handler. */
  readOne(key: ResourceKey, deadlineAt?: number, pipeline?: string): Promise<LiveResource | undefined> {
    switch (key.kind) {
      case KIND.definition:
        return readDefinition(this, key, deadlineAt);
      case KIND.environment:
        return readEnvironment(this, key, deadlineAt);
      case KIND.check:
        return readCheck(this, key, deadlineAt);
      case KIND.yaml:
        return readYaml(this, key, deadlineAt, pipeline);
      default:
        throw new Error(`unknown Azure resource kind ${key.kind}`);
    }
  }

  // ------------------------------------------------------------------ list

  /**
   * For --prune: this pipeline's definition, and the Approval checks of the environments it owns
   * and still deploys to (`wanted`: it dropped the approval). Environments are never listed, so
   * never pruned: other pipelines may deploy to them, and Azure would recreate a deleted one on the
   * next deploy without its checks. Nor is the check of an environment it stopped deploying to.
   */
  listManaged(pipeline: string, wanted: readonly ResourceKey[] = [], ctx?: ReadContext): Promise<ResourceKey[]> {
    return this.edge.within(ctx, () => this.listOwned(pipeline, wanted));
  }

  private async listOwned(pipeline: string, wanted: readonly ResourceKey[]): Promise<ResourceKey[]> {
    const keys: ResourceKey[] = [];
    const defs = await definitionsNamed(this, pipeline, this.config.folder);
    for (const d of defs) if (String(d.name) === pipeline && this.isManagedDefinition(d)) keys.push({ kind: KIND.definition, name: String(d.name) });
    const stillUsed = new Set(wanted.filter((k) => k.kind === KIND.environment).map((k) => k.name.toLowerCase()));
    for (const env of await this.ownedEnvironments(pipeline)) if (stillUsed.has(env.toLowerCase())) keys.push({ kind: KIND.check, name: env });
    return keys;
  }

  // ------------------------------------------------------------------ write

  write(change: Change, ctx: WriteContext): Promise<void> {
    return this.edge.within(ctx, () => this.writeOne(change, Date.now() + ctx.deadline));
  }

  private async writeOne(change: Change, deadlineAt: number): Promise<void> {
    switch (change.key.kind) {
      case KIND.definition:
        return writeDefinition(this, change, deadlineAt);
      case KIND.environment:
        return writeEnvironment(this, change, deadlineAt);
      case KIND.check:
        return writeCheck(this, change, deadlineAt);
      case KIND.yaml:
        if (change.action === "delete") throw new Error(`pipeglot does not delete ${change.key.name} from the repository; remove it with a commit`);
        return pushYamlFile(this, change, deadlineAt);
      default:
        throw new Error(`unknown Azure resource kind ${change.key.kind}`);
    }
  }
}

function rank(kind: string): number {
  return kind === KIND.environment ? 0 : kind === KIND.check ? 1 : 2;
}
