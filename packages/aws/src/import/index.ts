/**
 * Native AWS files → Pipeline IR. Accepts, in any combination:
 *   - `aws codepipeline get-pipeline` output ({pipeline, metadata}) or a CreatePipelineInput / bare declaration
 *   - `aws codebuild batch-get-projects` output ({projects}) or single CreateProjectInput files (images, buildspecs)
 *   - CloudFormation / SAM templates (YAML with short-form intrinsics, or JSON)
 *   - transitions.json (codepipeline.Transitions) or `get-pipeline-state` output (disabled transitions)
 *   - a standalone buildspec.yml (one job)
 * Pure; never throws for bad input. The declaration is read by concept (pipeline.ts and the
 * modules it puts together); this module reads the files and orchestrates.
 */
import { isObject, splitManifest } from "@pipeglot/core";
import type { ImportOptions, ImportResult, NativeFile } from "@pipeglot/core";
import { sortDiagnostics, type Diagnostic, type PipelineIR, type SecretIR } from "@pipeglot/schema";
import type { PipelineDeclaration, Tag, Transition } from "../native/codepipeline.js";
import type { CreateProjectInput } from "../native/codebuild.js";
import type { Template } from "../native/cloudformation.js";
import { neutralName } from "../names.js";
import { readTemplate } from "./cloudformation.js";
import { importJob } from "./job.js";
import { DUPLICATE_KEY, ImportMap, classify, diagnosticAt, importReporter, parseNative, type ImportReport, type Parsed } from "./parse.js";
import { importDeclaration, type DeclarationInput, type ProjectRef } from "./pipeline.js";

export function detect(file: NativeFile): number {
  try {
    const p = parseNative(file);
    if (p.error) return 0;
    return classify(p.data).score;
  } catch {
    return 0;
  }
}

/** Each file parsed and classified; the ones that do not parse, or hold a key twice, are left out (with their errors). */
function parseAll(files: NativeFile[], diagnostics: Diagnostic[]): Classified[] {
  const parsed: Classified[] = [];
  for (const f of files) {
    const p = parseNative(f);
    if (p.error) {
      diagnostics.push(p.error);
      continue;
    }
    // A key given twice: a reviewer and the import could read different values, so the file is not read on.
    if (p.duplicates.length) {
      diagnostics.push(...p.duplicates);
      continue;
    }
    if (p.warning) diagnostics.push(p.warning);
    parsed.push({ ...p, kind: classify(p.data).kind });
  }
  return parsed;
}

type Classified = Parsed & { kind: ReturnType<typeof classify>["kind"] };

/** What the files hold: CodeBuild projects (by name and logical id), disabled transitions, pipeline declarations. */
interface Inputs {
  projects: Map<string, ProjectRef>;
  transitions: Transition[];
  decls: DeclarationInput[];
}

export function importFiles(given: NativeFile[], _opts: ImportOptions = {}): ImportResult {
  // A pipeglot compile output folder: read the API resources it lists, not its manifest or the
  // CloudFormation template that says the same thing again.
  const files = splitManifest(given, [
    "codepipeline.CreatePipelineInput",
    "codebuild.CreateProjectInput",
    "codebuild.Buildspec",
    "codepipeline.Transitions",
  ]).files;
  const diagnostics: Diagnostic[] = [];
  const report = importReporter(diagnostics);
  const parsed = parseAll(files, diagnostics);
  const inputs: Inputs = { projects: new Map(), transitions: [], decls: [] };
  for (const p of parsed) collect(p, inputs, report);
  const { decls } = inputs;
  // Buildspec files given beside a pipeline: read by the projects that name them by path.
  const buildspecFiles = parsed.filter((p) => p.kind === "buildspec").map((p) => ({ path: p.file.path, text: p.file.content, map: p.map }));
  for (const d of decls) d.buildspecFiles = buildspecFiles;
  const main = decls[0];
  const sourceMap = new ImportMap(files[0]?.path ?? "<input>");
  let pipeline: PipelineIR | undefined;
  if (main) {
    if (decls.length > 1)
      report("PG-AWS-IMPORT-LOSSY", decls[1]!.map, decls[1]!.base, `${decls.length} pipelines given; only the first (${String(main.decl.name)}) is imported`);
    main.transitions = inputs.transitions;
    pipeline = importDeclaration(main, report, sourceMap);
  } else {
    pipeline = importBuildspecs(parsed, inputs.projects, report, sourceMap);
    if (!pipeline) {
      if (!diagnostics.some((d) => d.severity === "error"))
        diagnostics.push(
          diagnosticAt("PG-AWS-IMPORT-FORMAT", "no CodePipeline declaration, CloudFormation pipeline, CodeBuild project or buildspec found", {
            file: files[0]?.path ?? "<input>",
            line: 1,
            column: 1,
          }),
        );
      return { diagnostics: sortDiagnostics(diagnostics) };
    }
  }
  // A key given twice anywhere (a file, an inline buildspec): what a reviewer read may not be what
  // would be imported, so nothing is.
  if (diagnostics.some((d) => d.code === DUPLICATE_KEY)) return { diagnostics: sortDiagnostics(diagnostics) };
  return { pipeline, diagnostics: sortDiagnostics(diagnostics), sourceMap };
}

/** One parsed file's projects, transitions and declarations, by its kind. */
function collect(p: Classified, inputs: Inputs, report: ImportReport): void {
  const { projects, transitions, decls } = inputs;
  const d = p.data as Record<string, unknown>;
  switch (p.kind) {
    case "projects":
      (d.projects as unknown[]).forEach(
        (x, i) => isObject(x) && projects.set(String(x.name), { project: x as unknown as CreateProjectInput, map: p.map, ptr: `/projects/${i}` }),
      );
      break;
    case "project":
      projects.set(String(d.name), { project: d as unknown as CreateProjectInput, map: p.map, ptr: "" });
      break;
    case "transitions":
      for (const t of p.data as Transition[]) if (t.enabled === false) transitions.push(t);
      break;
    case "state":
      for (const s of d.stageStates as unknown[]) {
        if (!isObject(s) || !isObject(s.inboundTransitionState)) continue;
        if (s.inboundTransitionState.enabled === false)
          transitions.push({ stageName: String(s.stageName), enabled: false, reason: String(s.inboundTransitionState.disabledReason ?? "") });
      }
      break;
    case "cloudformation": {
      const r = readTemplate(p.data as Template, p.map, report);
      for (const pr of r.projects) {
        projects.set(pr.project.name, { project: pr.project, map: p.map, ptr: pr.ptr });
        projects.set(pr.logicalId, { project: pr.project, map: p.map, ptr: pr.ptr });
      }
      if (r.pipelines.length > 1)
        report(
          "PG-AWS-IMPORT-LOSSY",
          p.map,
          r.pipelines[1]!.base,
          `the template holds ${r.pipelines.length} pipelines; only ${r.pipelines[0]!.logicalId} is imported`,
        );
      const first = r.pipelines[0];
      if (first) {
        transitions.push(...first.transitions);
        decls.push({ decl: first.declaration, tags: first.tags, transitions: [], map: p.map, base: first.base, pascal: true, projects });
      }
      break;
    }
    case "declaration": {
      const decl = (isObject(d.pipeline) ? d.pipeline : d) as unknown as PipelineDeclaration;
      const tags = (Array.isArray(d.tags) ? d.tags : []).filter(isObject).map((t) => ({ key: String(t.key), value: String(t.value ?? "") })) as Tag[];
      decls.push({ decl, tags, transitions: [], map: p.map, base: isObject(d.pipeline) ? "/pipeline" : "", pascal: false, projects });
      break;
    }
    case "buildspec":
      break;
    default:
      report("PG-AWS-IMPORT-FORMAT", p.map, "", `${p.file.path} is not a CodePipeline declaration, CloudFormation template, CodeBuild project or buildspec`);
  }
}

/** Buildspecs (and projects without a pipeline): one stage, one job per buildspec; undefined when there is none. */
function importBuildspecs(parsed: Classified[], projects: Map<string, ProjectRef>, report: ImportReport, sourceMap: ImportMap): PipelineIR | undefined {
  const specs = parsed.filter((p) => p.kind === "buildspec");
  const jobsFrom: { name: string; project?: CreateProjectInput; text: string; map: Parsed["map"]; ptr: string }[] = specs.map((p) => ({
    name: neutralName(
      p.file.path
        .split("/")
        .pop()!
        .replace(/\.(ya?ml|json)$/, "")
        .replace(/^buildspec$/, "build"),
      "build",
    ),
    text: p.file.content,
    map: p.map,
    ptr: "",
  }));
  for (const [n, pr] of projects)
    if (pr.project.name === n && typeof pr.project.source?.buildspec === "string")
      jobsFrom.push({ name: n, project: pr.project, text: pr.project.source.buildspec, map: pr.map, ptr: pr.ptr });
  if (!jobsFrom.length) return undefined;
  const secrets: Record<string, SecretIR> = {};
  const used = new Set<string>();
  const jobs = jobsFrom.map((j, k) => {
    const { job } = importJob({ report, map: j.map, ptr: j.ptr, irPath: `/stages/0/jobs/${k}`, variables: new Set(), secrets }, j.name, j.project, j.text, []);
    delete (job as { _produced?: unknown })._produced;
    let n = job.name;
    for (let i = 2; used.has(n); i++) n = `${job.name}-${i}`;
    used.add(n);
    job.name = n;
    job.id = `build.${n}`;
    job.needs = [];
    sourceMap.set(`/stages/0/jobs/${k}`, j.map, j.ptr);
    return job;
  });
  if (jobs.some((j) => j.steps.length === 0 && !j.native)) report("PG-AWS-IMPORT-LOSSY", jobsFrom[0]!.map, "", "a buildspec without commands");
  report(
    "PG-AWS-IMPORT-LOSSY",
    jobsFrom[0]!.map,
    "",
    "a buildspec alone names no repository, trigger or pipeline: source is unknown/unknown on branch main, and the pipeline is named after the job",
  );
  return {
    version: 1,
    name: jobs[0]!.name,
    source: { repository: "unknown/unknown", branch: "main" },
    triggers: {
      push: { branches: { include: ["main"], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } },
      schedules: [],
      manual: true,
    },
    concurrency: "queue",
    variables: {},
    secrets,
    defaults: {},
    stages: [{ id: "build", name: "build", needs: [], transition: { enabled: true }, jobs }],
    targets: {},
  };
}
