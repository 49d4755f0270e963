/**
 * The Azure DevOps emulator's state: every project (created on first use) with its definitions,
 * environments, checks, repositories and service connections; the id counters and generator.
 */
import { Prng } from "../core/prng.js";
import { clone, type Json } from "../core/json.js";
import { decodeState, encodeState, refill, resume } from "../core/state.js";
import { blobId } from "./git.js";
import { DEFAULT_QUEUES, type AzureEmulatorOptions, type AzureProjectSnapshot, type Endpoint, type Project } from "./model.js";

export class AzureStore {
  readonly projects = new Map<string, Project>();
  readonly ids: Prng;
  nextDefinitionId = 1;
  nextEnvironmentId = 1;
  nextCheckId = 1;
  nextBuildId = 1;
  private commitCounter = 0;

  constructor(readonly opts: AzureEmulatorOptions) {
    this.ids = new Prng(opts.seed);
  }

  /** The project by id or name (case-insensitive), created on first use with the seeded service connections. */
  project(nameOrId: string): Project {
    const key = nameOrId.toLowerCase();
    for (const p of this.projects.values()) if (p.id === key) return p;
    let p = this.projects.get(key);
    if (!p) {
      p = {
        id: this.ids.uuid(),
        name: nameOrId,
        definitions: new Map(),
        environments: new Map(),
        checks: new Map(),
        repos: new Map(),
        endpoints: new Map(),
        queues: new Map(),
      };
      DEFAULT_QUEUES.forEach((q, i) => p!.queues.set(q.toLowerCase(), i + 1));
      this.projects.set(key, p);
      for (const sc of this.opts.serviceConnections ?? []) this.addServiceEndpoint(p.name, sc.name, sc.type);
    }
    return p;
  }

  commitId(): string {
    this.commitCounter++;
    return blobId(`commit ${this.commitCounter} ${this.ids.next()}`);
  }

  addServiceEndpoint(project: string, name: string, type = "github"): { id: string; name: string } {
    const p = this.project(project);
    const e: Endpoint = { id: this.ids.uuid(), name, type };
    p.endpoints.set(e.id, e);
    return { id: e.id, name };
  }

  reset(): void {
    this.projects.clear();
    this.nextDefinitionId = 1;
    this.nextEnvironmentId = 1;
    this.nextCheckId = 1;
    this.nextBuildId = 1;
  }

  snapshot(): AzureProjectSnapshot[] {
    return [...this.projects.values()].map((p) => ({
      name: p.name,
      id: p.id,
      definitions: [...p.definitions.values()].map((d) => ({
        ...clone(d.body),
        properties: Object.fromEntries([...d.properties].map(([k, v]) => [k, clone(v)])),
      })),
      environments: [...p.environments.values()].map((e) => ({ id: e.id, name: e.name, description: e.description, lastModifiedOn: e.lastModifiedOn })),
      checks: [...p.checks.values()].map((c) => ({ ...clone(c.body), id: c.id, version: c.version })),
      repositories: [...p.repos.values()].map((r) => {
        const head = r.refs.get(r.defaultBranch);
        const files = head ? Object.fromEntries(r.commits.get(head)!.files) : {};
        return { id: r.id, name: r.name, defaultBranch: r.defaultBranch, refs: Object.fromEntries(r.refs), files };
      }),
      serviceEndpoints: [...p.endpoints.values()].map((e) => ({ ...e })),
    }));
  }

  saveState(): Json {
    const { projects, ids, nextDefinitionId, nextEnvironmentId, nextCheckId, nextBuildId, commitCounter } = this;
    return encodeState({ projects, ids, nextDefinitionId, nextEnvironmentId, nextCheckId, nextBuildId, commitCounter });
  }

  loadState(state: Json): void {
    const s = decodeState(state) as Partial<Record<"nextDefinitionId" | "nextEnvironmentId" | "nextCheckId" | "nextBuildId" | "commitCounter", number>> & {
      projects?: unknown;
      ids?: unknown;
    };
    refill(this.projects, s.projects);
    resume(this.ids, s.ids);
    this.nextDefinitionId = s.nextDefinitionId ?? 1;
    this.nextEnvironmentId = s.nextEnvironmentId ?? 1;
    this.nextCheckId = s.nextCheckId ?? 1;
    this.nextBuildId = s.nextBuildId ?? 1;
    this.commitCounter = s.commitCounter ?? 0;
  }
}
