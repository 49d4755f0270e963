/**
 * The azure-pipelines.yml shapes pipeglot writes and reads.
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/pipeline
 * Shorthand (string-or-list filters, `trigger: none`, map-or-list variables) is resolved by the
 * helpers at the end of this file, so the importer never sees it.
 */

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/include-exclude-filters */
export interface AzFilter {
  include?: string[];
  exclude?: string[];
}

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/trigger */
export interface AzTrigger {
  batch?: boolean;
  branches?: AzFilter;
  tags?: AzFilter;
  paths?: AzFilter;
}

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/pr */
export interface AzPr {
  autoCancel?: boolean;
  drafts?: boolean;
  branches?: AzFilter;
  paths?: AzFilter;
}

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/schedules-cron */
export interface AzSchedule {
  cron: string;
  displayName?: string;
  branches?: AzFilter;
  always?: boolean;
  batch?: boolean;
}

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/variables */
export type AzVariable = { name: string; value: string; readonly?: boolean } | { group: string } | { template: string; parameters?: Record<string, unknown> };

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/parameters-parameter */
export interface AzParameter {
  name: string;
  displayName?: string;
  type?: string;
  default?: unknown;
  values?: unknown[];
}

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps */
export type AzStep = Record<string, unknown>;

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-job and jobs-deployment-job */
export type AzJob = Record<string, unknown>;

/** https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/stages-stage */
export type AzStage = Record<string, unknown>;

export interface AzPipeline {
  parameters?: AzParameter[];
  trigger?: AzTrigger | "none";
  pr?: AzPr | "none";
  schedules?: AzSchedule[];
  lockBehavior?: "sequential" | "runLatest";
  variables?: AzVariable[];
  pool?: unknown;
  stages: AzStage[];
  [key: string]: unknown;
}

/** A filter as written: a list (include only), `none`, or {include, exclude}. */
export function readFilter(v: unknown): { include: string[]; exclude: string[] } {
  if (v === undefined || v === null || v === "none") return { include: [], exclude: [] };
  if (typeof v === "string") return { include: [v], exclude: [] };
  if (Array.isArray(v)) return { include: v.map(String), exclude: [] };
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    const list = (x: unknown) => (Array.isArray(x) ? x.map(String) : typeof x === "string" ? [x] : []);
    return { include: list(o.include), exclude: list(o.exclude) };
  }
  return { include: [], exclude: [] };
}

/** Variables as written (a map or a list) → list form. */
export function readVariables(v: unknown): AzVariable[] {
  if (!v) return [];
  if (Array.isArray(v)) return v.filter((x) => x && typeof x === "object") as AzVariable[];
  if (typeof v === "object")
    return Object.entries(v as Record<string, unknown>).map(([name, value]) => ({ name, value: value === null || value === undefined ? "" : String(value) }));
  return [];
}

/** dependsOn as written: a string or a list. undefined when absent. */
export function readDependsOn(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v ? [v] : [];
  if (Array.isArray(v)) return v.map(String);
  return undefined;
}
