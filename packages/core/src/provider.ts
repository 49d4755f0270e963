/**
 * The provider contract: what every @pipeglot/<provider> package exports, and the shapes that
 * flow between the compiler, the importer, the CLI and the sync engine.
 */
import type { CodeInfo, Diagnostic, PipelineIR, ProviderId, SourceMap, TargetsIR } from "@pipeglot/schema";
import type { z } from "zod";
import type { Prices, ProviderCost, Workload } from "./cost.js";
import type { FileRole } from "./file-roles.js";
import type { DecideOptions, HoldOptions, PipelineRun, ProviderOperate, RunRef, StartRunOptions } from "./operate/run-model.js";
import type { RunGraph } from "./run-graph.js";
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

/**
 * Keys that tie the files of one pipeline together (an id, a name): a file that `uses` a key holds
 * the file that `is` it (a pipeline and the build projects it names); a file `partOf` a key is
 * held by the file that `is` it (a stage list and its build pipeline).
 */
export interface PipelineLinks {
  is: string[];
  uses: string[];
  partOf: string[];
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
  /** Also emit alternative forms a provider offers (e.g. an infrastructure-as-code template of the same resources). Default true. */
  extras?: boolean;
}

export interface ImportOptions {
  /** Roots for templates in other repositories, by repository alias (for a format whose templates may live elsewhere). */
  templateRoots?: Record<string, string>;
  /** Read another file (templates, referenced build specs). Paths are relative to the folder of the main input file; absolute paths as they are. Absent: no extra files are read. */
  readFile?: (path: string) => string | undefined;
}

/** What a provider does without a network: tables, compile, detect, import (all pure). */
export interface ProviderBase {
  id: ProviderId;
  displayName: string;
  capabilities: readonly Capability[];
  /** Every diagnostic code this provider emits. */
  codes: Readonly<Record<string, CodeInfo>>;
  /** Pure and deterministic. */
  compile(ir: PipelineIR, opts?: CompileOptions): ProviderOutput;
  /** 0 (not this provider's) … 1 (certainly this provider's). Used when --from is not given. */
  detect(file: NativeFile): number;
  /** The tool's default names for its files (matched against a file's base name): such a file is this provider's whatever its content. */
  fileNames?: RegExp;
  /** Pure: native files → IR. Never throws for bad input. */
  import(files: NativeFile[], opts?: ImportOptions): ImportResult;
  /** How this format's files of one pipeline name each other other than by path (audit groups them); absent: by path only. Never throws. */
  links?(file: NativeFile): PipelineLinks;
  /**
   * The graph of a compiled output as this provider will run it, read back from its files with
   * the provider's native models. Tolerant: a missing or unreadable file gives a graph whose
   * `none` says why, never a throw.
   */
  runGraph(files: readonly OutputFile[]): RunGraph;
  /** What a team does with each compiled file (same order as `files`); most providers use fileRolesBy with their kinds. */
  fileRoles(files: readonly OutputFile[]): FileRole[];
  /** This provider's section of a price file (`<id>:`); the file is validated with every provider's section. */
  priceSchema: z.ZodType;
  /**
   * The monthly cost of running `ir` under `workload`, priced with this provider's section of
   * `prices` (a price file validated with priceSchema); `facts` are those its runGraph read.
   */
  cost(ir: PipelineIR, workload: Workload, prices: Prices, facts?: Readonly<Record<string, string>>): ProviderCost;
}

/** What preflight finds: problems block apply; notes are printed with the plan. */
export interface Preflight {
  problems: PlanProblem[];
  notes: string[];
}

/**
 * Live sync, typed by the provider's target (the type of `targets.<provider>` in @pipeglot/schema)
 * and by its client: what connect returns is what preflight and pull take. Members are function
 * properties, so that a provider's live types cannot be widened away (see
 * anyProvider for the form a registry holds).
 */
export interface ProviderLive<Target, Client extends LiveClient> {
  /** This provider's target in a definition's targets (`targets.<provider>`; absent: `{}`). */
  readonly target: (targets: TargetsIR) => Target;
  /** A client for the provider's API. Loads the SDK with import() — only here. */
  readonly connect: (opts: ConnectOptions<Target>) => Promise<Client>;
  /** The resources `apply` writes, from what compile produced (same bodies). */
  readonly desired: (output: ProviderOutput, opts?: SyncOptions) => DesiredResource[];
  /**
   * The files the pipeline reads from the repository at run time (a pipeline YAML, build specs),
   * with paths relative to the repository root; `[]` for a provider that reads none. They
   * are resources too (`repo.File`, see syncSet): plan compares them with the working tree, apply
   * writes them there.
   */
  readonly repositoryFiles: (output: ProviderOutput, opts?: SyncOptions) => RepositoryFile[];
  /** What must be true outside the API before apply can finish (e.g. files that must be committed). */
  readonly preflight: (client: Client, output: ProviderOutput, opts?: SyncOptions) => Promise<Preflight>;
  /** Read a live pipeline back as native files for import(); files the pipeline reads from the repository come from the working tree at `opts.repositoryRoot`. */
  readonly pull: (client: Client, pipeline: string, opts?: PullOptions) => Promise<NativeFile[]>;
  /** Operate the live pipeline: run, status, approve/reject, hold/release (issue #19). */
  readonly operate: ProviderOperate<Client>;
}

/** What every @pipeglot/<provider> package exports as `provider`: the pure members and live sync. */
export interface Provider<Target, Client extends LiveClient> extends ProviderBase {
  readonly live: ProviderLive<Target, Client>;
}

/** One provider's live sync once connected: the target and client types are bound, hence hidden. */
export interface LiveSync {
  readonly client: LiveClient;
  desired(output: ProviderOutput, opts?: SyncOptions): DesiredResource[];
  repositoryFiles(output: ProviderOutput, opts?: SyncOptions): RepositoryFile[];
  preflight(output: ProviderOutput, opts?: SyncOptions): Promise<Preflight>;
  pull(pipeline: string, opts?: PullOptions): Promise<NativeFile[]>;
  /** Run, status, approve/reject, hold/release, with the client bound. */
  readonly operate: OperateSession;
}

/** ProviderOperate with the client bound. */
export interface OperateSession {
  start(ref: RunRef, opts: StartRunOptions): Promise<PipelineRun>;
  status(ref: RunRef, run?: string): Promise<PipelineRun>;
  decide(ref: RunRef, opts: DecideOptions): Promise<PipelineRun>;
  hold(ref: RunRef, opts: HoldOptions): Promise<void>;
}

/** A provider whose live types are hidden (what a registry holds): live sync starts at connectLive. */
export interface AnyProvider extends ProviderBase {
  /** Connect with this provider's target taken from `targets`. */
  connectLive(targets: TargetsIR, opts: ConnectEnv): Promise<LiveSync>;
}

export interface SyncOptions {
  /** Push the compiled pipeline file to the provider's hosted repository (a resource) instead of comparing it with the working tree (a repository file), for a provider that offers it. */
  pushYaml?: boolean;
}

export interface PullOptions {
  /** The repository whose working tree holds the files the pipeline reads (build specs, YAML). Read only inside it. */
  repositoryRoot?: string;
}

/** Besides the target: credentials and endpoint overrides. */
export interface ConnectEnv {
  /** Environment variables (credentials, endpoint overrides). */
  env: Record<string, string | undefined>;
  /** Endpoint override (emulators, private endpoints). */
  endpoint?: string;
  profile?: string;
}

export interface ConnectOptions<Target = Record<string, unknown>> extends ConnectEnv {
  /** The provider's target: `targets.<provider>` of the definition. */
  target: Target;
}

/** The registry's form of a provider: the same pure members; connectLive binds target and client. */
export function anyProvider<Target, Client extends LiveClient>(provider: Provider<Target, Client>): AnyProvider {
  const { live, ...base } = provider;
  return {
    ...base,
    async connectLive(targets, opts) {
      const client = await live.connect({ ...opts, target: live.target(targets) });
      return {
        client,
        desired: (output, sync) => live.desired(output, sync),
        repositoryFiles: (output, sync) => live.repositoryFiles(output, sync),
        preflight: (output, sync) => live.preflight(client, output, sync),
        pull: (pipeline, pullOpts) => live.pull(client, pipeline, pullOpts),
        operate: bindOperate(live.operate, client),
      };
    },
  };
}

function bindOperate<Client>(op: ProviderOperate<Client>, client: Client): OperateSession {
  return {
    start: (ref, opts) => op.start(client, ref, opts),
    status: (ref, run) => op.status(client, ref, run),
    decide: (ref, opts) => op.decide(client, ref, opts),
    hold: (ref, opts) => op.hold(client, ref, opts),
  };
}
