/**
 * The provider contract: what every @pipeglot/<provider> package exports, and the shapes that
 * flow between the compiler, the importer, the CLI and (later) the sync engine.
 */
import type { CodeInfo, Diagnostic, PipelineIR, ProviderId, SourceMap } from "@pipeglot/schema";
import type { RepositoryFile } from "./sync/repo-files.js";
import type { DesiredResource, LiveClient, PlanProblem } from "./sync/types.js";

/*
 * Files the pipeline reads from the repository are resources (`repo.File`): the working-tree
 * client, and the sync set that puts them beside a provider's API resources.
 */
export * from "./sync/repo-files.js";
export * from "./sync/sync-set.js";
export { unifiedDiff } from "./sync/text-diff.js";

/** One file of compiled output; `kind` names the exact shape it holds (see ARCHITECTURE.md). */
export interface OutputFile {
  /** Relative to the provider's output folder, with forward slashes. */
  path: string;
  kind: string;
  /** The exact bytes to write (UTF-8). */
  content: string;
}

export interface ProviderOutput {
  provider: ProviderId;
  pipeline: string;
  /** Sorted by path. */
  files: OutputFile[];
  /** Pointers (`path`) point into the neutral document; positions are filled in by the caller's source map. */
  diagnostics: Diagnostic[];
}

/** What `manifest.json` holds. */
export interface Manifest {
  provider: ProviderId;
  pipeline: string;
  files: { path: string; kind: string }[];
  diagnostics: Diagnostic[];
}

export interface NativeFile {
  /** As given by the user (used in diagnostics). */
  path: string;
  content: string;
}

export interface ImportResult {
  /** Absent when nothing usable could be read. */
  pipeline?: PipelineIR;
  /** Positions point into the native files. */
  diagnostics: Diagnostic[];
  /** IR pointers (/stages/0/jobs/1...) → positions in the native file they came from. */
  sourceMap?: SourceMap;
}

export type Support = "native" | "emulated" | "lossy";

/** One row of a provider's capability table: how it expresses one neutral feature. */
export interface Capability {
  /** A feature id from FEATURES (core/features.ts). */
  feature: string;
  support: Support;
  /** How it is expressed or emulated, or what is lost. */
  how: string;
  /** The diagnostic code emitted when a pipeline uses the feature (emulated/lossy). */
  code?: string;
}

export interface CompileOptions {
  /** Also emit alternative forms a provider offers (e.g. CloudFormation for AWS). Default true. */
  extras?: boolean;
}

export interface ImportOptions {
  /** Azure: roots for templates in other repositories, by repository alias. */
  templateRoots?: Record<string, string>;
  /** Read another file (templates, referenced build specs). Paths are relative to the folder of the main input file; absolute paths as they are. Absent: no extra files are read. */
  readFile?: (path: string) => string | undefined;
}

export interface Provider {
  id: ProviderId;
  displayName: string;
  capabilities: readonly Capability[];
  /** Every diagnostic code this provider emits. */
  codes: Readonly<Record<string, CodeInfo>>;
  /** Pure and deterministic. */
  compile(ir: PipelineIR, opts?: CompileOptions): ProviderOutput;
  /** 0 (not this provider's) … 1 (certainly this provider's). Used when --from is not given. */
  detect(file: NativeFile): number;
  /** Pure: native files → IR. Never throws for bad input. */
  import(files: NativeFile[], opts?: ImportOptions): ImportResult;
  /** Live sync: the resources `apply` writes, from what compile produced (same bodies). */
  desired?(output: ProviderOutput, opts?: SyncOptions): DesiredResource[];
  /**
   * Live sync: the files the pipeline reads from the repository at run time (Azure's YAML, OCI's
   * build specs), with paths relative to the repository root. They are resources too (`repo.File`,
   * see syncSet): plan compares them with the working tree, apply writes them there.
   */
  repositoryFiles?(output: ProviderOutput, opts?: SyncOptions): RepositoryFile[];
  /**
   * Live sync: what must be true outside the API before apply can finish (e.g. files that must be
   * committed). Problems block apply; notes are printed with the plan.
   */
  preflight?(client: LiveClient, output: ProviderOutput, opts?: SyncOptions): Promise<{ problems: PlanProblem[]; notes: string[] }>;
  /** Live sync: a client for the provider's API. Loads the SDK with import() — only here. */
  connect?(opts: ConnectOptions): Promise<LiveClient>;
  /** Live sync: read a live pipeline back as native files for import(); files the pipeline reads from the repository come from the working tree at `opts.repositoryRoot`. */
  pull?(client: LiveClient, pipeline: string, opts?: PullOptions): Promise<NativeFile[]>;
}

export interface SyncOptions {
  /** Azure: push the compiled YAML to Azure Repos (a resource) instead of comparing it with the working tree (a repository file). */
  pushYaml?: boolean;
}

export interface PullOptions {
  /** The repository whose working tree holds the files the pipeline reads (build specs, YAML). Read only inside it. */
  repositoryRoot?: string;
}

export interface ConnectOptions {
  target: Record<string, unknown>;
  /** Environment variables (credentials, endpoint overrides). */
  env: Record<string, string | undefined>;
  /** Endpoint override (emulators, private endpoints). */
  endpoint?: string;
  profile?: string;
}
