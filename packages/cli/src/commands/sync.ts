/**
 * plan / apply / pull: the live side. Cloud SDKs load only here, through each provider's connect().
 * plan --detailed-exitcode: 0 in sync, 2 changes, 1 error.
 */
import { createInterface } from "node:readline/promises";
import type { Argv } from "yargs";
import { join } from "node:path";
import {
  apply,
  filesToCommit,
  importPipeline,
  isRepositoryFile,
  locateDiagnostics,
  planHasChanges,
  planSync,
  renderApply,
  renderPlan,
  repositoryRoot,
  syncSet,
  textDiffOf,
  writeFileAtomic,
  type AnyProvider,
  type ApplyResult,
  type ConnectEnv,
  type LiveClient,
  type Plan,
} from "@pipeglot/core";
import { hasErrors, PROVIDER_IDS, validate, type PipelineIR, type ProviderId, type TargetsIR } from "@pipeglot/schema";
import { CliError, EXIT, err, out, printDiagnostics, printJson, type Format } from "../io.js";
import type { Command } from "../main.js";
import { checkTargets, loadProvider, loadProviders, parseTargets, TARGET_CHOICES } from "../registry.js";
import { definitionText, loadIR } from "./shared.js";

interface PlanArgs {
  file: string;
  target: string;
  prune: boolean;
  pushYaml: boolean;
  detailedExitcode: boolean;
  endpoint?: string;
  profile?: string;
  retries?: number;
  format: Format;
}
interface ApplyArgs extends PlanArgs {
  autoApprove: boolean;
  parallelism: number;
  timeout: number;
}

const targetOption = (y: Argv) =>
  y
    .positional("file", { type: "string", demandOption: true })
    .option("target", { alias: "t", type: "string", demandOption: true, describe: `Provider(s): ${TARGET_CHOICES.join(", ")}` })
    .option("prune", { type: "boolean", default: false, describe: "Delete owned resources that left the definition" })
    .option("push-yaml", { type: "boolean", default: false, describe: "Azure: push the compiled YAML to Azure Repos instead of writing it into the working tree" })
    .option("endpoint", { type: "string", describe: "API endpoint override (e.g. an emulator)" })
    .option("profile", { type: "string", describe: "Credentials profile (OCI)" })
    .option("retries", { type: "number", describe: "Retries of one request the service throttles, answers with a 5xx or does not answer (default 4: at most 5 requests each)" })
    .check((a) => {
      if (a.retries !== undefined && (!Number.isInteger(a.retries) || (a.retries as number) < 0 || (a.retries as number) > 20)) throw new Error(`--retries ${JSON.stringify(String(a.retries))}: expected a whole number from 0 to 20`);
      return true;
    })
    .check((a) => checkTargets(String(a.target)));

/**
 * One plan per provider: its API resources and the files its pipeline reads from the repository
 * (compared with the working tree of the definition's repository; the definition is never written).
 */
async function livePlans(args: PlanArgs): Promise<{ ir: PipelineIR; plans: { provider: AnyProvider; plan: Plan; notes: string[]; client: LiveClient }[] }> {
  const { ir, sourceMap, text } = await loadIR(args.file, args.format);
  const root = repositoryRoot(args.file);
  const providers = await loadProviders(parseTargets(args.target));
  const plans = [];
  for (const p of providers) {
    const output = p.compile(ir);
    if (hasErrors(output.diagnostics)) {
      printDiagnostics(locateDiagnostics(output.diagnostics, sourceMap), new Map([[args.file, text]]));
      throw new CliError(`${p.id}: the definition does not compile`, EXIT.problems);
    }
    const live = await p.connectLive(ir.targets, connectEnv(args));
    const sync = { pushYaml: args.pushYaml };
    const pre = await live.preflight(output, sync);
    const set = syncSet(live, output, live.client, { ...sync, root, inputs: [args.file] });
    const planned = await planSync(p.id, ir.name, set, { prune: args.prune, ...(args.retries !== undefined ? { readRetries: args.retries } : {}) });
    plans.push({ provider: p, client: set.client, notes: pre.notes, plan: { ...planned, problems: [...pre.problems, ...planned.problems] } });
  }
  return { ir, plans };
}

/** Credentials from the environment, and the command line's endpoint and profile. */
const connectEnv = (args: { endpoint?: string; profile?: string }): ConnectEnv => ({ env: process.env, ...(args.endpoint ? { endpoint: args.endpoint } : {}), ...(args.profile ? { profile: args.profile } : {}) });

const planJson = (p: Plan) => ({
  provider: p.provider,
  pipeline: p.pipeline,
  problems: p.problems,
  changes: p.changes.map((c) => {
    const textDiff = textDiffOf(c);
    return { action: c.action, key: c.key, reason: c.reason, diff: c.diff, ...(textDiff ? { textDiff } : {}), ...(c.versionToken ? { versionToken: c.versionToken } : {}) };
  }),
  /** The files the pipeline reads from the repository that the working tree lacks or holds in another version. */
  repositoryFiles: p.changes.filter((c) => isRepositoryFile(c.key) && c.action !== "noop").map((c) => ({ path: c.key.name, action: c.action })),
});

export const planCommand: Command<PlanArgs> = {
  command: "plan <file>",
  describe: "Show what apply would change in the live pipelines",
  builder: (y: Argv) =>
    targetOption(y)
      .option("detailed-exitcode", { type: "boolean", default: false, describe: "Exit 0 in sync, 2 with changes, 1 on error (for CI drift checks)" })
      .example("$0 plan pipeglot.yaml --target gcp --detailed-exitcode", "Fail a CI job on drift") as unknown as Argv<PlanArgs>,
  async handler(args) {
    const { plans } = await livePlans(args);
    if (args.format === "json") printJson({ plans: plans.map((x) => ({ ...planJson(x.plan), notes: x.notes })) });
    else for (const x of plans) out(renderPlan(x.plan) + x.notes.map((n) => `  note: ${n}\n`).join(""));
    const problems = plans.some((x) => x.plan.problems.length > 0);
    if (problems) return EXIT.problems;
    if (args.detailedExitcode && plans.some((x) => planHasChanges(x.plan))) return 2;
    return EXIT.ok;
  },
};

/** The exit code of a process stopped by SIGINT (128 + 2), as shells report it. */
const EXIT_INTERRUPTED = 130;

/**
 * Ctrl-C during apply: the first stops new writes (those in flight finish, and every resource is
 * reported); a second quits at once.
 */
function onInterrupt(): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  const handler = () => {
    if (ac.signal.aborted) process.exit(EXIT_INTERRUPTED);
    ac.abort();
    err("Interrupted: waiting for the writes in flight, starting no new ones (Ctrl-C again to quit at once).");
  };
  process.on("SIGINT", handler);
  return { signal: ac.signal, dispose: () => void process.off("SIGINT", handler) };
}

export const applyCommand: Command<ApplyArgs> = {
  command: "apply <file>",
  describe: "Make the live pipelines equal to the definition",
  builder: (y: Argv) =>
    targetOption(y)
      .option("auto-approve", { type: "boolean", default: false, describe: "Apply without asking (required when not on a terminal)" })
      .option("parallelism", { type: "number", default: 4, describe: "Independent resources written at once (1 or more)" })
      .option("timeout", { type: "number", default: 600, describe: "Seconds the whole apply may take" })
      .check((a) => {
        if (!Number.isInteger(a.parallelism) || (a.parallelism as number) < 1) throw new Error(`--parallelism ${JSON.stringify(String(a.parallelism))}: expected a whole number, 1 or more`);
        if (!Number.isFinite(a.timeout) || (a.timeout as number) <= 0) throw new Error(`--timeout ${JSON.stringify(String(a.timeout))}: expected a number of seconds, more than 0`);
        return true;
      })
      .example("$0 apply pipeglot.yaml --target aws --auto-approve", "In CI") as unknown as Argv<ApplyArgs>,
  async handler(args) {
    const { plans } = await livePlans({ ...args, detailedExitcode: false });
    if (args.format !== "json") for (const x of plans) out(renderPlan(x.plan) + x.notes.map((n) => `  note: ${n}\n`).join(""));
    if (plans.some((x) => x.plan.problems.length > 0)) throw new CliError("some resources cannot be changed (see 'blocked' above); nothing was applied", EXIT.problems);
    if (!plans.some((x) => planHasChanges(x.plan))) {
      if (args.format === "json") printJson({ applied: [] });
      else out("Nothing to do: the live pipelines match the definition.");
      return EXIT.ok;
    }
    if (!args.autoApprove) {
      if (!process.stdin.isTTY) throw new CliError("apply needs --auto-approve when not run from a terminal", EXIT.usage);
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question("Apply these changes? Only 'yes' is accepted: ");
      rl.close();
      if (answer.trim() !== "yes") {
        err("Apply cancelled; nothing was changed.");
        return EXIT.problems;
      }
    }
    const results: { provider: ProviderId; result: ApplyResult }[] = [];
    const interrupt = onInterrupt();
    try {
      for (const x of plans) {
        const result = await apply(x.plan, x.client, {
          ...(args.retries !== undefined ? { retries: args.retries } : {}),
          parallelism: args.parallelism,
          deadlineMs: args.timeout * 1000,
          signal: interrupt.signal,
          onResult: (r) => {
            if (process.stderr.isTTY && args.format !== "json") err(`  ${r.status} ${r.key.kind}/${r.key.name}`);
          },
        });
        results.push({ provider: x.provider.id, result });
      }
    } finally {
      interrupt.dispose();
    }
    if (args.format === "json") printJson({ applied: results.map((r) => ({ provider: r.provider, ok: r.result.ok, results: r.result.results, commit: filesToCommit(r.result) })), ...(interrupt.signal.aborted ? { interrupted: true } : {}) });
    else for (const r of results) out(`${r.provider}:\n${renderApply(r.result)}`);
    if (interrupt.signal.aborted) return EXIT_INTERRUPTED;
    return results.every((r) => r.result.ok) ? EXIT.ok : EXIT.problems;
  },
};

interface PullArgs {
  name: string;
  target: ProviderId;
  out?: string;
  endpoint?: string;
  profile?: string;
  project?: string;
  region?: string;
  format: Format;
}

/** pull's --project and --region as targets: each provider's target takes those it has (OCI's project is its projectId). */
function pullTargets(args: { project?: string; region?: string }): TargetsIR {
  const project = args.project ? { project: args.project } : {};
  const region = args.region ? { region: args.region } : {};
  return { aws: region, azure: project, gcp: { ...project, ...region }, oci: { ...region, ...(args.project ? { projectId: args.project } : {}) } };
}

export const pullCommand: Command<PullArgs> = {
  command: "pull <name>",
  describe: "Read a live pipeline back into a pipeglot definition",
  builder: (y: Argv) =>
    y
      .positional("name", { type: "string", demandOption: true, describe: "The pipeline's name" })
      .option("target", { alias: "t", choices: PROVIDER_IDS, demandOption: true })
      .option("out", { alias: "o", type: "string", describe: "Write the definition here (default: print it)" })
      .option("endpoint", { type: "string", describe: "API endpoint override (e.g. an emulator)" })
      .option("profile", { type: "string" })
      .option("project", { type: "string", describe: "GCP project / Azure project / OCI DevOps project OCID" })
      .option("region", { type: "string", describe: "Region" })
      .example("$0 pull shop-web --target gcp --project acme-ci --out pipeglot.yaml", "Cloud Build triggers → definition") as unknown as Argv<PullArgs>,
  async handler(args) {
    const p = await loadProvider(args.target);
    const live = await p.connectLive(pullTargets(args), connectEnv(args));
    // Files the pipeline reads from the repository (build specs, YAML) come from the working tree of
    // the current directory's repository, as plan compares them.
    const files = await live.pull(args.name, { repositoryRoot: repositoryRoot(join(process.cwd(), "pipeglot.yaml")) });
    if (files.length === 0) throw new CliError(`no pipeline named ${JSON.stringify(args.name)} managed by pipeglot was found`, EXIT.problems);
    const r = importPipeline(p, files);
    printDiagnostics(r.diagnostics, new Map(files.map((f) => [f.path, f.content])));
    if (!r.pipeline) return EXIT.problems;
    const text = definitionText(r.pipeline, `Pulled by pipeglot from ${p.displayName}: ${args.name}`);
    // What is written or printed is the text validate reads: checked as such (importPipeline checked the IR).
    const check = validate(text, { file: args.out ?? "<pulled definition>" });
    if (hasErrors(check.diagnostics)) {
      printDiagnostics(check.diagnostics, new Map([[args.out ?? "<pulled definition>", text]]));
      throw new CliError(`the pulled definition of ${args.name} does not validate (a bug in pipeglot's importer: please report it); nothing was written`, EXIT.problems);
    }
    if (args.out) {
      await writeFileAtomic(args.out, text);
    }
    if (args.format === "json") printJson({ provider: p.id, pipeline: args.name, diagnostics: r.diagnostics, ...(args.out ? { out: args.out } : { definition: text }) });
    else if (!args.out) out(text);
    else err(`Wrote ${args.out}`);
    return hasErrors(r.diagnostics) ? EXIT.problems : EXIT.ok;
  },
};
