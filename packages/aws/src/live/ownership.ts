/**
 * Which pipeline an AWS resource belongs to. Every resource apply writes carries the
 * `pipeglot:pipeline` tag (its pipeline's name) besides `pipeglot:managed-by`; `desired` adds it.
 *
 * Resources written before the tag existed (managed-by only) are attributed without guessing:
 *   - a CodePipeline pipeline to the pipeline whose name it is (the planned pipeline owns it only
 *     when its name compiles to exactly that name, i.e. nothing was folded);
 *   - a CodeBuild project to the pipeline whose live (owned) CodePipeline pipeline names it in a
 *     CodeBuild action, when exactly one such pipeline was read.
 * Anything else has no owner, which the plan reports as a problem.
 */
import { isObject, OWNERSHIP } from "@pipeglot/core";
import { MANAGED_BY_KEY, type Tag } from "./normalize.js";
import { byText } from "@pipeglot/schema";

const PIPELINE_KEY = OWNERSHIP.keyed.pipeline;

/** The `pipeglot:pipeline` tag's value, if any. */
export const pipelineTag = (tags: readonly Tag[]): string | undefined => tags.find((t) => t.key === PIPELINE_KEY)?.value;

/** The pipeline a live CodePipeline pipeline belongs to: its tag, else (written before the tag) its name. */
export const pipelineOwner = (name: string, tags: readonly Tag[]): string | undefined =>
  pipelineTag(tags) ?? (tags.some((t) => t.key === MANAGED_BY_KEY) ? name : undefined);

/** A body's tags with `pipeglot:pipeline` = pipeline (kept sorted by key, like canonicalTags). */
export function withPipelineTag<T extends { tags?: Tag[] }>(body: T, pipeline: string): T {
  const tags = [...(body.tags ?? []).filter((t) => t.key !== PIPELINE_KEY), { key: PIPELINE_KEY, value: pipeline }];
  tags.sort(byText((x) => x.key));
  return { ...body, tags };
}

/** The CodeBuild project names a pipeline declaration's CodeBuild actions use. */
export function projectsOf(decl: unknown): string[] {
  const names = new Set<string>();
  const stages = isObject(decl) && Array.isArray(decl.stages) ? decl.stages : [];
  for (const s of stages)
    for (const a of isObject(s) && Array.isArray(s.actions) ? s.actions : []) {
      if (!isObject(a) || !isObject(a.actionTypeId) || a.actionTypeId.provider !== "CodeBuild" || !isObject(a.configuration)) continue;
      if (typeof a.configuration.ProjectName === "string") names.add(a.configuration.ProjectName);
    }
  return [...names].sort();
}

/**
 * The pipelines whose names a project name could derive from (`<pipeline>-<stage>-<job>`): every
 * prefix that ends before a `-`. `shop-web-build-x` → shop, shop-web, shop-web-build.
 */
export function candidatePipelines(project: string): string[] {
  const out: string[] = [];
  for (let i = project.indexOf("-"); i > 0; i = project.indexOf("-", i + 1)) out.push(project.slice(0, i));
  return out;
}

/**
 * Projects without the pipeline tag, attributed to the owner of the live pipelines that name them.
 * Only pipelines read in the current round count (`round()` starts one: each plan read and each
 * listing), so that nothing read before a write decides; a project named by pipelines of two
 * owners has none.
 */
export class LegacyProjects {
  private pipelines = new Map<string, { owner: string | undefined; projects: Set<string> }>();

  /** Forget every pipeline read so far. */
  round(): void {
    this.pipelines = new Map();
  }

  /** A live pipeline was read (decl undefined: it does not exist). */
  saw(name: string, decl: unknown, owner: string | undefined): void {
    this.pipelines.set(name, { owner, projects: new Set(decl === undefined ? [] : projectsOf(decl)) });
  }

  /** Pipelines read in this round (existing or not). */
  has(name: string): boolean {
    return this.pipelines.has(name);
  }

  /** The one pipeline known to use this project, if exactly one. */
  owner(project: string): string | undefined {
    const owners = new Set<string | undefined>();
    for (const p of this.pipelines.values()) if (p.projects.has(project)) owners.add(p.owner);
    return owners.size === 1 ? [...owners][0] : undefined;
  }
}
