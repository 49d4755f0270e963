/**
 * A project's listings, shared by every pipeline one OciLiveClient serves: one listing per
 * resource kind per project (stages: per compartment of the project's pipelines, the API has no
 * stage list by project), kept as a promise, so concurrent plans wait for the same request.
 *
 * They stay valid for a span of activity: the client drops them when no read, listing or write of
 * its own is in progress, and after `maxAgeMs`. The client's own writes patch them (a create or
 * update puts the answered body in, a delete takes it out), so a plan after an apply in the same
 * process never sees a list without what that apply wrote; another writer's change is seen by
 * the next span (e.g. the next CLI run, the next plan of a drift job).
 */
import type { OciResourceKind } from "./kinds.js";
import { KIND } from "./kinds.js";
import type { Obj } from "@pipeglot/core";

type StageKind = typeof KIND.buildStage | typeof KIND.deployStage;

interface Entry {
  at: number;
  items: Promise<Obj[]>;
}

/** Every page of one list call (the client's, through its edge). */
type ListAll = (kind: OciResourceKind, query: Obj) => Promise<Obj[]>;

export class ProjectLists {
  private readonly entries = new Map<OciResourceKind, Entry>();
  /** List calls started (each may take several pages). */
  listings = 0;

  constructor(
    private readonly projectId: string,
    private readonly listAll: ListAll,
    private readonly maxAgeMs: number,
  ) {}

  /** The project's resources of a kind (pipelines, artifacts, triggers) or every stage of its pipelines' compartments. */
  of(kind: OciResourceKind): Promise<Obj[]> {
    const e = this.entries.get(kind);
    if (e && Date.now() - e.at <= this.maxAgeMs) return e.items;
    const items = kind === KIND.buildStage || kind === KIND.deployStage ? this.stages(kind) : this.count(kind, { projectId: this.projectId });
    const entry = { at: Date.now(), items };
    this.entries.set(kind, entry);
    // A failed listing is not kept: the next plan lists again.
    items.catch(() => this.entries.get(kind) === entry && this.entries.delete(kind));
    return items;
  }

  /** Stages of one pipeline (from the kind's project-wide listing). */
  async stagesOf(kind: StageKind, pipelineId: string): Promise<Obj[]> {
    const field = kind === KIND.buildStage ? "buildPipelineId" : "deployPipelineId";
    return (await this.of(kind)).filter((s) => s[field] === pipelineId);
  }

  private count(kind: OciResourceKind, query: Obj): Promise<Obj[]> {
    this.listings++;
    return this.listAll(kind, query);
  }

  /** Stages have no list by project: one list per compartment of the project's pipelines, kept whole (filtered by pipeline on use). */
  private async stages(kind: StageKind): Promise<Obj[]> {
    const pipelines = await this.of(kind === KIND.buildStage ? KIND.buildPipeline : KIND.deployPipeline);
    const compartments = [...new Set(pipelines.map((p) => p.compartmentId).filter((c): c is string => typeof c === "string" && c !== ""))];
    const lists = await Promise.all(compartments.map((compartmentId) => this.count(kind, { compartmentId })));
    return lists.flat();
  }

  /** A body this client's create or update got back: in the kept listing of its kind (replacing the same id). */
  put(kind: OciResourceKind, body: Obj): void {
    this.patch(kind, (items) => [...items.filter((i) => i.id !== body.id), body]);
  }

  /** A resource this client deleted: out of the kept listing. */
  remove(kind: OciResourceKind, id: string): void {
    this.patch(kind, (items) => items.filter((i) => i.id !== id));
  }

  private patch(kind: OciResourceKind, fn: (items: Obj[]) => Obj[]): void {
    const e = this.entries.get(kind);
    if (!e) return;
    const next = e.items.then(fn);
    next.catch(() => undefined); // a failed listing is dropped by of(); nobody may be waiting on this one
    e.items = next;
  }

  clear(): void {
    this.entries.clear();
  }
}
