/**
 * Plans are data (see STYLE.md §4): the engine computes Changes from desired and live resources,
 * renderers print them, and `apply` accepts only a Plan.
 */
import type { ProviderId } from "@pipeglot/schema";
import { PipeglotError } from "../errors.js";
import type { RetryNotice, RetryPolicy } from "./kit/retry.js";

/** Names one live resource, e.g. { kind: "<service>.Pipeline", name: "shop-web" }. */
export interface ResourceKey {
  kind: string;
  name: string;
}

export const keyString = (k: ResourceKey): string => `${k.kind}/${k.name}`;

export interface DesiredResource {
  key: ResourceKey;
  /** The exact request body `apply` sends (what compile wrote). */
  body: unknown;
  /** Keys (keyString) of resources that must exist before this one is written. */
  dependsOn: string[];
  /**
   * How this pipeline may use the resource when another pipeline owns it (a resource named by
   * something several pipelines share, e.g. a deployment environment): "as-is", used as it is and never
   * written; "if-equal", used only while its live body equals this one (else a plan problem).
   * Absent: a resource owned by another pipeline is a plan problem.
   */
  shared?: "as-is" | "if-equal";
  /**
   * Key (keyString) of the resource whose owner owns this one too, also while this one does not
   * exist (an approval check belongs to its environment's owner): another pipeline may not
   * create it.
   */
  ownedWith?: string;
}

export interface LiveResource {
  key: ResourceKey;
  /** The live body, already normalized by the client to the desired shape (server defaults dropped). */
  body: unknown;
  /** What the API says changes with every write: a `version`, `revision`, `etag`, `lastModified`... */
  versionToken?: string;
  /** Carries pipeglot's ownership tag. */
  managed: boolean;
  /**
   * The pipeline the resource belongs to: its pipeline identity (a tag, label, property or
   * description naming the pipeline). For a resource written before resources carried one, the
   * pipeline the client can attribute it to without ambiguity (see each provider's README).
   * Undefined on a managed resource: it cannot be attributed, and the plan reports a problem.
   */
  owner?: string;
}

/**
 * The closed set of actions:
 *   create  before is undefined; after is the body to create.
 *   update  before is the live body; after is the desired body; guarded by versionToken.
 *   delete  before is the live body; after is undefined (only with --prune, only owned resources).
 *   noop    before and after are equal once normalized.
 */
export type Action = "create" | "update" | "delete" | "noop";

export interface DiffEntry {
  /** JSON path segments inside the resource body. */
  path: (string | number)[];
  type: "add" | "remove" | "change";
  before?: unknown;
  after?: unknown;
  /**
   * pipeglot's ownership bookkeeping (managed-by, pipeline and source-hash markers): written by
   * apply and kept in JSON, left out of the human views. Absent: a difference people review.
   */
  bookkeeping?: true;
}

export interface Change {
  action: Action;
  key: ResourceKey;
  before?: unknown;
  after?: unknown;
  /** Why this change is planned: for people reading the plan; apply never decides on it. */
  reason: string;
  versionToken?: string;
  dependsOn: string[];
  diff: DiffEntry[];
}

export interface PlanProblem {
  key: ResourceKey;
  message: string;
}

export interface Plan {
  provider: ProviderId;
  pipeline: string;
  changes: Change[];
  /** Resources the plan cannot touch (e.g. the name is taken by a resource pipeglot does not own). */
  problems: PlanProblem[];
}

/** The engine's bounds for a client's reads: its requests are retried by the kit's one layer with these settings. */
export interface ReadContext {
  /** Overrides of the client's retry policy (attempts, backoff). */
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Called each time a request of this operation is sent again (a retry): how apply counts a write's attempts. */
  onRetry?: () => void;
  /** Called before the wait that precedes a retry, with its reason (progress displays). */
  onBackoff?: (notice: RetryNotice) => void;
}

export interface WriteContext extends ReadContext {
  /** Milliseconds left before the apply's deadline: no retry starts after it. */
  deadline: number;
}

export interface LiveClient {
  /**
   * One read per key; undefined for a key that does not exist. `pipeline` is the pipeline being
   * planned: a client may use it to attribute resources that carry no pipeline identity yet.
   */
  read(keys: ResourceKey[], pipeline?: string, ctx?: ReadContext): Promise<(LiveResource | undefined)[]>;
  /**
   * Keys of every resource owned by this pipeline (its identity, not just the managed-by tag).
   * `wanted` are the keys the definition still has (a client may list a resource only while a
   * related one is still wanted, e.g. an approval check only while its environment is).
   */
  listManaged(pipeline: string, wanted?: readonly ResourceKey[], ctx?: ReadContext): Promise<ResourceKey[]>;
  /**
   * Perform one change; must refuse (throw ConflictError, see the kit's guardVersion) when the live
   * version is no longer change.versionToken. Each request is retried by the kit's one retry layer
   * (LiveEdge) within ctx's bounds; the engine does not retry on top of it.
   */
  write(change: Change, ctx: WriteContext): Promise<void>;
  /**
   * The kit's verdict on an error (LiveEdge.retryable: throttling, 5xx, dropped connections). The
   * engine does not retry on it (each request is retried once, in the client's edge); wrappers
   * and pollers may ask.
   */
  retryable(error: unknown): boolean;
}

/** The live resource changed since the plan read it: nothing is written for it (kind "conflict"). */
export class ConflictError extends PipeglotError {
  override readonly name: string = "ConflictError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, "conflict", options);
  }
}

export type ResultStatus = "done" | "unchanged" | "conflict" | "failed" | "skipped";

export interface ChangeResult {
  key: ResourceKey;
  action: Action;
  status: ResultStatus;
  attempts: number;
  message?: string;
}

/**
 * What plan and apply report while they work, for progress displays: resources and reasons, never a
 * body or a secret. A plan reads its resources together (clients batch them), so its retries name
 * no resource; an apply's name the resource being written.
 */
export type ProgressEvent =
  | { type: "reading"; count: number }
  | { type: "listing" }
  | { type: "read"; key: ResourceKey; outcome: Action | "blocked" }
  | { type: "writing"; key: ResourceKey; action: Action }
  | { type: "written"; result: ChangeResult }
  | { type: "retrying"; key?: ResourceKey; notice: RetryNotice };

export interface ApplyResult {
  results: ChangeResult[];
  ok: boolean;
}
