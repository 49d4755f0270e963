/**
 * plan / apply / pull: the live side. Cloud SDKs load only here, through each provider's connect().
 * plan --detailed-exitcode: 0 in sync, 2 changes, 1 error (usage errors too, see main.ts).
 * plan --out PLANFILE saves the plan; apply PLANFILE applies exactly it, or refuses a stale one.
 */
import { createInterface } from "node:readline/promises";
import type { Argv } from "yargs";
import { join } from "node:path";
import {
  apply,
  filesToCommit,
  importPipeline,
  locateDiagnostics,
  planHasChanges,
  planReport,
  planSync,
  renderApply,
  renderPlan,
  renderPlanMarkdown,
  repositoryRoot,
  syncSet,
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
import { formatOption } from "../options.js";
import { loadPlanFile, readIfPlanFile, refuseStale, writePlanFile } from "./saved-plan.js";
import { progress, type Progress } from "../progress.js";
import { exitWhenDone } from "../linger.js";

interface PlanArgs {
  file: string;
  target?: string;
  prune: boolean;
  pushYaml: boolean;
  detailedExitcode: boolean;
  endpoint?: string;
  profile?: string;
  retries?: number;
  out?: string;
  quiet: boolean;
  format: Format | "markdown";
}
interface ApplyArgs extends Omit<PlanArgs, "format"> {
  format: Format;
  autoApprove: boolean;
  parallelism: number;
  timeout: number;
}

const targetOption = (y: Argv) =>
  y
    .positional("file", { type: "string", demandOption: true })
    .option("target", { alias: "t", type: "string", describe: `Provider(s): ${TARGET_CHOICES.join(", ")}` })
    .option("prune", { type: "boolean", default: false, describe: "Delete owned resources that left the definition" })
    .option("push-yaml", {
      type: "boolean",
      default: false,
      describe: "Azure: push the compiled YAML to Azure Repos instead of writing it into the working tree",
    })
    .option("endpoint", { type: "string", describe: "API endpoint override (e.g. an emulator)" })
    .option("profile", { type: "string", describe: "Credentials profile (OCI)" })
    .option("quiet", { alias: "q", type: "boolean", default: false, describe: "No progress on standard error (the plan, results and errors only)" })
    .option("retries", {
      type: "number",
      describe: "Retries of one request the service throttles, answers with a 5xx or does not answer (default 4: at most 5 requests each)",
    })
    .check((a) => {
      if (a.retries !== undefined && (!Number.isInteger(a.retries) || (a.retries as number) < 0 || (a.retries as number) > 20))
        throw new Error(`--retries ${JSON.stringify(String(a.retries))}: expected a whole number from 0 to 20`);
      return true;
    })
    .check((a) => (a.target === undefined ? true : checkTargets(String(a.target))));

/** --target is required, except by apply PLANFILE (the plan names its providers). */
const requireTarget = (a: { target?: unknown }): true => {
  if (a.target === undefined) throw new Error("Missing required argument: target");
  return true;
};

/**
 * One plan per provider: its API resources and the files its pipeline reads from the repository
 * (compared with the working tree of the definition's repository; the definition is never written).
 */
interface LivePlan {
  provider: AnyProvider;
  plan: Plan;
  notes: string[];
  client: LiveClient;
}
async function livePlans(
  args: Omit<PlanArgs, "target" | "detailedExitcode"> & { target: string },
  shown: Progress,
): Promise<{ ir: PipelineIR; text: string; plans: LivePlan[] }> {
  exitWhenDone();
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
    const planned = await planSync(p.id, ir.name, set, {
      prune: args.prune,
      ...(args.retries !== undefined ? { readRetries: args.retries } : {}),
      onProgress: shown.watch(p.id, "plan"),
    });
    shown.finish(p.id);
    plans.push({ provider: p, client: set.client, notes: pre.notes, plan: { ...planned, problems: [...pre.problems, ...planned.problems] } });
  }
  return { ir, text, plans };
}

/** Credentials from the environment, and the command line's endpoint and profile. */
const connectEnv = (args: { endpoint?: string; profile?: string }): ConnectEnv => ({
  env: process.env,
  ...(args.endpoint ? { endpoint: args.endpoint } : {}),
  ...(args.profile ? { profile: args.profile } : {}),
});

export const planCommand: Command<PlanArgs> = {
  command: "plan <file>",
  describe: "Show what apply would change in the live pipelines",
  builder: (y: Argv) =>
    formatOption(targetOption(y), ["text", "json", "markdown"] as const, "text", "text, json (docs/json-output.md) or markdown (a pull-request comment)")
      .check(requireTarget)
      .option("detailed-exitcode", {
        type: "boolean",
        default: false,
        describe: "Exit 0 in sync, 2 with changes, 1 on error, usage errors included (for CI drift checks)",
      })
      .option("out", { type: "string", describe: "Save the plan to this file for `apply PLANFILE` (no secret, no resource body: digests only)" })
      .example("$0 plan pipeglot.yaml --target gcp --detailed-exitcode", "Fail a CI job on drift")
      .example("$0 plan pipeglot.yaml --target aws --out aws.plan && $0 apply aws.plan", "Apply exactly what was reviewed") as unknown as Argv<PlanArgs>,
  async handler(args) {
    const { text, plans } = await withProgress(args, (shown) => livePlans({ ...args, target: args.target ?? "" }, shown));
    if (args.out)
      await writePlanFile(
        args.out,
        { path: args.file, text },
        { prune: args.prune, pushYaml: args.pushYaml },
        plans.map((x) => x.plan),
      );
    const report = () => planReport(plans.map((x) => ({ plan: x.plan, notes: x.notes })));
    if (args.format === "json") printJson(report());
    else if (args.format === "markdown") out(renderPlanMarkdown(report()));
    else for (const x of plans) out(renderPlan(x.plan) + x.notes.map((n) => `  note: ${n}\n`).join(""));
    if (args.out && args.format === "text") err(`Saved the plan to ${args.out}: apply it with pipeglot apply ${args.out}`);
    const problems = plans.some((x) => x.plan.problems.length > 0);
    if (problems) return EXIT.problems;
    if (args.detailedExitcode && plans.some((x) => planHasChanges(x.plan))) return 2;
    return EXIT.ok;
  },
};

/** Run fn with the progress display of these options; the display is cleared however fn ends. */
async function withProgress<T>(args: { quiet: boolean; format: string }, fn: (shown: Progress) => Promise<T>): Promise<T> {
  const shown = progress(args);
  try {
    return await fn(shown);
  } finally {
    shown.close();
  }
}

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
  describe: "Make the live pipelines equal to the definition, or apply a plan saved by plan --out",
  builder: (y: Argv) =>
    targetOption(y)
      .option("auto-approve", {
        type: "boolean",
        default: false,
        describe: "Apply without asking (required when not on a terminal; a saved plan needs no approval)",
      })
      .option("parallelism", { type: "number", default: 4, describe: "Independent resources written at once (1 or more)" })
      .option("timeout", { type: "number", default: 600, describe: "Seconds the whole apply may take" })
      .check((a) => {
        if (!Number.isInteger(a.parallelism) || (a.parallelism as number) < 1)
          throw new Error(`--parallelism ${JSON.stringify(String(a.parallelism))}: expected a whole number, 1 or more`);
        if (!Number.isFinite(a.timeout) || (a.timeout as number) <= 0)
          throw new Error(`--timeout ${JSON.stringify(String(a.timeout))}: expected a number of seconds, more than 0`);
        const saved = readIfPlanFile(String(a.file)) !== undefined;
        if (saved && a.target !== undefined) throw new Error("apply PLANFILE applies the providers the plan names: drop --target");
        return saved ? true : requireTarget(a);
      })
      .example("$0 apply pipeglot.yaml --target aws --auto-approve", "In CI")
      .example("$0 apply aws.plan", "Apply a plan saved by plan --out (refused when stale)") as unknown as Argv<ApplyArgs>,
  async handler(args) {
    const savedText = readIfPlanFile(args.file);
    const { plans, saved } = await withProgress(args, async (shown) =>
      savedText !== undefined
        ? await savedPlans(args, savedText, shown)
        : { plans: (await livePlans({ ...args, target: args.target ?? "" }, shown)).plans, saved: false },
    );
    if (args.format !== "json") for (const x of plans) out(renderPlan(x.plan) + x.notes.map((n) => `  note: ${n}\n`).join(""));
    if (plans.some((x) => x.plan.problems.length > 0))
      throw new CliError("some resources cannot be changed (see 'blocked' above); nothing was applied", EXIT.problems);
    if (!plans.some((x) => planHasChanges(x.plan))) {
      if (args.format === "json") printJson({ applied: [] });
      else out("Nothing to do: the live pipelines match the definition.");
      return EXIT.ok;
    }
    if (!args.autoApprove && !saved && !(await approved())) {
      err("Apply cancelled; nothing was changed.");
      return EXIT.problems;
    }
    return applyPlans(plans, args);
  },
};

/** Plan again from a saved plan's definition and options; refuse (exit 1) unless every change is the one saved. */
async function savedPlans(args: ApplyArgs, text: string, shown: Progress): Promise<{ plans: LivePlan[]; saved: true }> {
  const { plan } = loadPlanFile(args.file, text);
  if ((args.prune && !plan.options.prune) || (args.pushYaml && !plan.options.pushYaml))
    throw new CliError(
      `${args.file} was planned without ${args.prune ? "--prune" : "--push-yaml"}: apply PLANFILE applies the plan's own options; plan again with it`,
      EXIT.usage,
    );
  const fresh = await livePlans(
    {
      ...args,
      file: plan.definition.path,
      target: plan.plans.map((p) => p.provider).join(","),
      prune: plan.options.prune,
      pushYaml: plan.options.pushYaml,
    },
    shown,
  );
  refuseStale(
    args.file,
    plan,
    fresh.plans.map((x) => x.plan),
  );
  return { plans: fresh.plans, saved: true };
}

/** The terminal's yes (only "yes"); off a terminal, a usage error asking for --auto-approve. */
async function approved(): Promise<boolean> {
  if (!process.stdin.isTTY) throw new CliError("apply needs --auto-approve when not run from a terminal (or a plan saved by plan --out)", EXIT.usage);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question("Apply these changes? Only 'yes' is accepted: ");
  rl.close();
  return answer.trim() === "yes";
}

async function applyPlans(plans: readonly LivePlan[], args: ApplyArgs): Promise<number> {
  const results: { provider: ProviderId; result: ApplyResult }[] = [];
  const interrupt = onInterrupt();
  const shown = progress(args);
  try {
    for (const x of plans) {
      const result = await apply(x.plan, x.client, {
        ...(args.retries !== undefined ? { retries: args.retries } : {}),
        parallelism: args.parallelism,
        deadlineMs: args.timeout * 1000,
        signal: interrupt.signal,
        onProgress: shown.watch(x.provider.id, "apply"),
      });
      shown.finish(x.provider.id);
      results.push({ provider: x.provider.id, result });
    }
  } finally {
    shown.close();
    interrupt.dispose();
  }
  if (args.format === "json")
    printJson({
      applied: results.map((r) => ({ provider: r.provider, ok: r.result.ok, results: r.result.results, commit: filesToCommit(r.result) })),
      ...(interrupt.signal.aborted ? { interrupted: true } : {}),
    });
  else for (const r of results) out(`${r.provider}:\n${renderApply(r.result)}`);
  if (interrupt.signal.aborted) return EXIT_INTERRUPTED;
  return results.every((r) => r.result.ok) ? EXIT.ok : EXIT.problems;
}

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
    exitWhenDone();
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
      throw new CliError(
        `the pulled definition of ${args.name} does not validate (a bug in pipeglot's importer: please report it); nothing was written`,
        EXIT.problems,
      );
    }
    if (args.out) {
      await writeFileAtomic(args.out, text);
    }
    if (args.format === "json")
      printJson({ provider: p.id, pipeline: args.name, diagnostics: r.diagnostics, ...(args.out ? { out: args.out } : { definition: text }) });
    else if (!args.out) out(text);
    else err(`Wrote ${args.out}`);
    return hasErrors(r.diagnostics) ? EXIT.problems : EXIT.ok;
  },
};
