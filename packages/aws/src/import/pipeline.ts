/**
 * A PipelineDeclaration (+ its CodeBuild projects and transitions) → Pipeline IR.
 * Stage 1 (source actions) gives `source` and the triggers; every other action becomes a job
 * (CodeBuild actions through their projects, others as job-level native.aws.action blocks).
 */
import type { Concurrency, FilterIR, JobIR, PipelineIR, PullRequestEvent, SecretIR, SourceMap, StageIR, TriggersIR, VariableIR } from "@pipeglot/schema";
import type { ActionDeclaration, FilterCriteria, PipelineDeclaration, Tag, Transition } from "../native/codepipeline.js";
import type { CreateProjectInput } from "../native/codebuild.js";
import { TAG } from "../encoding.js";
import { ACTION_NAME, envName, neutralName, registry } from "../names.js";
import { PLACEHOLDER } from "../compile/context.js";
import { importJob, type ImportedJob } from "./job.js";
import { artifactName, keepActionSettings, keepProjectName, nativeJob } from "./native-action.js";
import type { ImportMap, ImportReport } from "./parse.js";
import { isObject } from "@pipeglot/core";

const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

export interface ProjectRef {
  project: CreateProjectInput;
  map: SourceMap;
  ptr: string;
}

export interface DeclarationInput {
  decl: PipelineDeclaration;
  tags: Tag[];
  transitions: Transition[];
  map: SourceMap;
  /** Native pointer of the declaration (e.g. /pipeline or /Resources/Pipeline/Properties). */
  base: string;
  /** camelCase (API JSON) or PascalCase (CloudFormation) keys in the native file. */
  pascal: boolean;
  projects: Map<string, ProjectRef>;
}

const EVENTS: Record<string, PullRequestEvent[]> = { OPEN: ["opened", "reopened"], UPDATED: ["updated"], CLOSED: ["closed"] };

export function importDeclaration(inp: DeclarationInput, report: ImportReport, sm: ImportMap): PipelineIR {
  const { decl, map } = inp;
  const K = (k: string) => (inp.pascal ? k.charAt(0).toUpperCase() + k.slice(1) : k);
  const P = (...segs: (string | number)[]) => `${inp.base}${segs.map((s) => `/${typeof s === "number" ? s : K(s)}`).join("")}`;
  const tag = (k: string) => inp.tags.find((t) => t.key === k)?.value;
  const stages = Array.isArray(decl.stages) ? decl.stages.filter(isObject) : [];
  sm.set("", map, inp.base);

  // Source.
  const sources: { a: ActionDeclaration; si: number; ai: number }[] = [];
  stages.forEach((s, si) => (Array.isArray(s.actions) ? s.actions : []).forEach((a, ai) => isObject(a) && str(a.actionTypeId?.category) === "Source" && sources.push({ a, si, ai })));
  const sourceArtifacts = new Set(sources.flatMap((x) => (x.a.outputArtifacts ?? []).map((o) => str(o?.name))));
  const source: PipelineIR["source"] = { repository: "unknown/unknown", branch: "main" };
  let connectionArn: string | undefined;
  let detectChanges = true;
  const first = sources[0];
  if (!first) report("PG-AWS-IMPORT-SOURCE", map, P("stages"), "the pipeline has no source action; the repository is unknown", "/source");
  else {
    const c = (isObject(first.a.configuration) ? first.a.configuration : {}) as Record<string, unknown>;
    const provider = str(first.a.actionTypeId?.provider);
    const at = P("stages", first.si, "actions", first.ai);
    sm.set("/source", map, at);
    if (provider === "CodeStarSourceConnection") {
      source.repository = str(c.FullRepositoryId) || source.repository;
      source.branch = str(c.BranchName) || "main";
      connectionArn = str(c.ConnectionArn) || undefined;
      detectChanges = str(c.DetectChanges) !== "false";
    } else if (provider === "CodeCommit") {
      source.repository = str(c.RepositoryName) || source.repository;
      source.branch = str(c.BranchName) || "main";
      source.provider = "codecommit";
    } else if (provider === "GitHub") {
      source.repository = `${str(c.Owner)}/${str(c.Repo)}`;
      source.branch = str(c.Branch) || "main";
      source.provider = "github";
      detectChanges = str(c.PollForSourceChanges) !== "false";
      report("PG-AWS-IMPORT-SOURCE", map, at, "GitHub (version 1, OAuth) source: compiles back as a CodeStar connection source; the OAuth token reference is dropped", "/source");
    } else {
      source.repository = [c.S3Bucket, c.S3ObjectKey, c.RepositoryName, c.ImageTag].filter((x) => x !== undefined).map(str).join("/") || source.repository;
      report("PG-AWS-IMPORT-SOURCE", map, at, `${provider} source has no neutral equivalent; recorded as repository ${JSON.stringify(source.repository)}`, "/source");
    }
    for (const extra of sources.slice(1))
      report("PG-AWS-IMPORT-SOURCE", map, P("stages", extra.si, "actions", extra.ai), `source action ${str(extra.a.name)} dropped: the neutral format has one source repository`, "/source");
    const sp = tag(TAG.sourceProvider);
    if (sp === "github" || sp === "gitlab" || sp === "bitbucket" || sp === "azure-repos") source.provider = sp;
  }

  // Triggers.
  const triggers: TriggersIR = { schedules: [], manual: true };
  const filter = (f0: unknown): FilterIR => {
    const f = (isObject(f0) ? f0 : {}) as FilterCriteria;
    return { include: (Array.isArray(f.includes) ? f.includes : []).map(str), exclude: (Array.isArray(f.excludes) ? f.excludes : []).map(str) };
  };
  const trig = (decl.triggers ?? []).find((t) => isObject(t) && isObject(t.gitConfiguration) && (!first || str(t.gitConfiguration.sourceActionName) === str(first.a.name)));
  if (trig) {
    const g = trig.gitConfiguration;
    sm.set("/triggers", map, P("triggers"));
    const pushes = (g.push ?? []).filter(isObject);
    if (pushes.length) {
      const branches: FilterIR = { include: [], exclude: [] };
      const tags: FilterIR = { include: [], exclude: [] };
      let paths: FilterIR = { include: [], exclude: [] };
      for (const p of pushes) {
        const b = filter(p.branches);
        branches.include.push(...b.include);
        branches.exclude.push(...b.exclude);
        const t = filter(p.tags);
        tags.include.push(...t.include);
        tags.exclude.push(...t.exclude);
        const fp = filter(p.filePaths);
        if ((fp.include.length || fp.exclude.length) && !(paths.include.length || paths.exclude.length)) paths = fp;
      }
      if (pushes.filter((p) => p.branches || p.filePaths).length > 1)
        report("PG-AWS-IMPORT-LOSSY", map, P("triggers"), "several push filters merged into one push trigger (their file paths no longer pair with their branches)", "/triggers/push");
      triggers.push = { branches, tags, paths };
    }
    const prs = (g.pullRequest ?? []).filter(isObject);
    if (prs.length) {
      const pr = prs[0]!;
      const ev = new Set((Array.isArray(pr.events) ? pr.events : ["OPEN", "UPDATED"]).flatMap((e: unknown) => EVENTS[str(e)] ?? []));
      triggers.pullRequest = {
        branches: filter(pr.branches),
        paths: filter(pr.filePaths),
        events: (["opened", "updated", "reopened", "closed"] as const).filter((e) => ev.has(e)),
      };
      if (prs.length > 1) report("PG-AWS-IMPORT-LOSSY", map, P("triggers"), `${prs.length - 1} extra pull-request filter(s) dropped`, "/triggers/pullRequest");
    }
  } else if (detectChanges && first) {
    triggers.push = { branches: { include: [source.branch], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } };
  }

  // Variables.
  const fixed = new Set((tag(TAG.fixedVariables) ?? "").split(" ").filter(Boolean));
  const variables: Record<string, VariableIR> = {};
  (decl.variables ?? []).filter(isObject).forEach((v, i) => {
    const n = envName(str(v.name));
    if (n !== str(v.name)) report("PG-AWS-IMPORT-NAME", map, P("variables", i), `variable ${JSON.stringify(str(v.name))} renamed ${n}`, `/variables/${n}`);
    variables[n] = { default: str(v.defaultValue), overridable: !fixed.has(n) };
    if (v.description !== undefined && v.description !== "") variables[n]!.description = str(v.description);
    sm.set(`/variables/${n}`, map, P("variables", i));
  });
  const varNames = new Set(Object.keys(variables));

  const secrets: Record<string, SecretIR> = {};
  const roleArn = str(decl.roleArn);
  const ir: PipelineIR = {
    version: 1,
    name: neutralName(str(decl.name), "pipeline").slice(0, 64),
    source,
    triggers,
    concurrency: ({ QUEUED: "queue", PARALLEL: "parallel" } as Record<string, Concurrency>)[str(decl.executionMode)] ?? "supersede",
    variables,
    secrets,
    defaults: {},
    stages: [],
    targets: {},
  };
  const description = tag(TAG.description);
  if (description !== undefined) ir.description = description;

  // Stages.
  const stageNames = registry({ ...ACTION_NAME, sanitize: (n) => neutralName(n, "stage") });
  const artifactOwner = new Map<string, string>(); // AWS artifact → neutral name
  let pendingApproval: { a: ActionDeclaration; ptr: string } | undefined;
  let codebuildRole: string | undefined;
  const projectNames = new Set<string>();
  stages.forEach((s, si) => {
    const actions = (Array.isArray(s.actions) ? s.actions : []).map((a, ai) => ({ a, ai })).filter(({ a }) => isObject(a) && str(a.actionTypeId?.category) !== "Source");
    if (!actions.length) return;
    const sp = P("stages", si);
    actions.sort((x, y) => (Number(x.a.runOrder) || 1) - (Number(y.a.runOrder) || 1));
    const isApproval = (a: ActionDeclaration) => str(a.actionTypeId?.category) === "Approval" && str(a.actionTypeId?.provider) === "Manual";
    const stage: StageIR = { id: "", name: stageNames.take(str(s.name)), needs: [], transition: { enabled: true }, jobs: [] };
    stage.id = stage.name;
    const irStage = `/stages/${ir.stages.length}`;
    sm.set(irStage, map, sp);
    const native: Record<string, unknown> = {};
    for (const k of ["onFailure", "onSuccess", "beforeEntry"] as const) if (s[k] !== undefined) native[k] = s[k];
    if (Object.keys(native).length) {
      stage.native = { aws: native };
      report("PG-AWS-IMPORT-STAGE-NATIVE", map, sp, `stage ${stage.name}: ${Object.keys(native).join(", ")} kept as native.aws`, irStage);
    }
    const minOrder = Number(actions[0]!.a.runOrder) || 1;
    const firstIsGate = isApproval(actions[0]!.a) && actions.filter((x) => (Number(x.a.runOrder) || 1) === minOrder).length === 1;
    if (actions.every((x) => isApproval(x.a)) && actions.length === 1 && si < stages.length - 1) {
      pendingApproval = { a: actions[0]!.a, ptr: P("stages", si, "actions", actions[0]!.ai) };
      report("PG-AWS-IMPORT-APPROVAL", map, pendingApproval.ptr, `approval-only stage ${str(s.name)} becomes the approval of the next stage`, irStage);
      return;
    }
    let gate: { a: ActionDeclaration; ptr: string } | undefined = pendingApproval;
    pendingApproval = undefined;
    let rest = actions;
    if (firstIsGate && !gate && actions.length > 1) {
      gate = { a: actions[0]!.a, ptr: P("stages", si, "actions", actions[0]!.ai) };
      rest = actions.slice(1);
    }
    const isFirstStage = ir.stages.length === 0;
    if (gate && isFirstStage) {
      // The neutral format cannot gate its first stage: keep the approval as a native job.
      rest = [{ a: gate.a, ai: -1 }, ...rest];
      if (gate.a !== actions[0]!.a) rest.sort((x, y) => (Number(x.a.runOrder) || 1) - (Number(y.a.runOrder) || 1));
      gate = undefined;
    }
    if (gate) {
      const c = (isObject(gate.a.configuration) ? gate.a.configuration : {}) as Record<string, unknown>;
      stage.approval = { approvers: [], notify: [] };
      if (c.CustomData !== undefined) stage.approval.instructions = str(c.CustomData);
      if (c.NotificationArn !== undefined) stage.approval.notify.push(str(c.NotificationArn));
      if (gate.a.timeoutInMinutes !== undefined) stage.approval.timeoutSeconds = Number(gate.a.timeoutInMinutes) * 60;
      sm.set(`${irStage}/approval`, map, gate.ptr);
      if (c.ExternalEntityLink !== undefined) report("PG-AWS-IMPORT-LOSSY", map, gate.ptr, `approval ExternalEntityLink ${JSON.stringify(str(c.ExternalEntityLink))} dropped`, `${irStage}/approval`);
    }

    // Jobs, grouped by runOrder layer; matrix cells folded back into one job.
    const jobNames = registry({ ...ACTION_NAME, sanitize: (n) => neutralName(n, "job") });
    let prevLayer: string[] = [];
    let currentOrder: number | undefined;
    let currentLayer: string[] = [];
    const folded = new Map<string, { job: JobIR; meta: ImportedJob["meta"] }>();
    for (const { a, ai } of rest) {
      const order = Number(a.runOrder) || 1;
      if (order !== currentOrder) {
        if (currentOrder !== undefined) prevLayer = currentLayer;
        currentOrder = order;
        currentLayer = [];
      }
      const ap = ai >= 0 ? P("stages", si, "actions", ai) : gate?.ptr ?? sp;
      const irJob = `${irStage}/jobs/${stage.jobs.length}`;
      const cfg = (isObject(a.configuration) ? a.configuration : {}) as Record<string, unknown>;
      const provider = str(a.actionTypeId?.provider);
      const inputs = (a.inputArtifacts ?? []).map((x) => str(x?.name));
      const outputs = (a.outputArtifacts ?? []).map((x) => str(x?.name));
      let imported: ImportedJob | undefined;
      if (provider === "CodeBuild") {
        const pname = str(cfg.ProjectName);
        const pr = inp.projects.get(pname);
        const buildspec = pr && typeof pr.project.source?.buildspec === "string" && /\bphases\b|\bversion\b/.test(pr.project.source.buildspec) ? pr.project.source.buildspec : undefined;
        if (pr && buildspec !== undefined) {
          let actionEnv: { name: string; value: string; type?: string }[] = [];
          try {
            const parsed = cfg.EnvironmentVariables !== undefined ? JSON.parse(str(cfg.EnvironmentVariables)) : [];
            if (Array.isArray(parsed)) actionEnv = parsed.filter(isObject).map((e) => ({ name: str(e.name), value: str(e.value), type: str(e.type) }));
          } catch {
            report("PG-AWS-IMPORT-LOSSY", map, ap, "the action's EnvironmentVariables is not JSON; dropped", irJob);
          }
          imported = importJob({ report, map: pr.map, ptr: pr.ptr, irPath: irJob, variables: varNames, secrets }, str(a.name), pr.project, buildspec, actionEnv);
          sm.set(irJob, map, ap);
          sm.set(`${irJob}/steps`, pr.map, `${pr.ptr}/${inp.pascal ? "Source/BuildSpec" : "source/buildspec"}`);
          if (pr.project.serviceRole && str(pr.project.serviceRole) !== roleArn && codebuildRole === undefined) {
            codebuildRole = str(pr.project.serviceRole);
            sm.set("/targets/aws/codebuildRoleArn", pr.map, `${pr.ptr}/${inp.pascal ? "ServiceRole" : "serviceRole"}`);
          }
          keepActionSettings(imported.job, a);
        } else {
          report(
            "PG-AWS-IMPORT-PROJECT-MISSING",
            map,
            ap,
            pr ? `project ${pname} reads its buildspec from the repository; the job keeps the action as native.aws` : `CodeBuild project ${JSON.stringify(pname)} was not given (pass the batch-get-projects output too); the job keeps the action as native.aws`,
            irJob,
          );
        }
      } else if (!(isApproval(a) && ai === -1)) {
        report("PG-AWS-IMPORT-NATIVE-ACTION", map, ap, `${str(a.actionTypeId?.category)} action ${str(a.name)} (${str(a.actionTypeId?.owner)}/${provider}) has no neutral equivalent; kept as native.aws.action`, irJob);
      }
      let job: JobIR;
      if (imported) {
        job = imported.job;
        for (const [awsName, neutral] of imported.artifactNames) artifactOwner.set(awsName, neutral);
        const produced = (job as JobIR & { _produced?: { aws: string; paths: string[] }[] })._produced ?? [];
        delete (job as JobIR & { _produced?: unknown })._produced;
        outputs.forEach((o, i) => {
          const spec = produced.find((p) => p.aws === o) ?? (outputs.length === 1 ? produced.find((p) => p.aws === "") : undefined) ?? produced[i];
          const neutral = imported!.artifactNames.get(o) ?? neutralName(o, "artifact");
          artifactOwner.set(o, neutral);
          job.produces.push({ name: neutral, paths: spec && spec.paths.length ? spec.paths : ["**"] });
        });
        const m = imported.meta;
        if (m?.matrix && m.cell) {
          const key = `${m.job}\u0000${JSON.stringify(m.matrix)}`;
          const prev = folded.get(key);
          if (prev) continue;
          folded.set(key, { job, meta: m });
        }
      } else {
        job = nativeJob(a);
        sm.set(irJob, map, ap);
        // Its outputs are artifacts like any other: later jobs consume them by these names.
        for (const o of new Set(outputs.map(artifactName))) {
          job.produces.push({ name: o, paths: ["**"] });
          artifactOwner.set(artifactName(o), o);
        }
      }
      const taken = jobNames.take(job.name);
      if (taken !== job.name) report("PG-AWS-IMPORT-NAME", map, ap, `job ${JSON.stringify(job.name)} renamed ${JSON.stringify(taken)}`, irJob);
      job.name = taken;
      job.id = `${stage.name}.${job.name}`;
      if (imported && !imported.meta?.matrix) keepProjectName(job, inp.projects.get(str(cfg.ProjectName))?.project.name, `${ir.name}-${stage.name}-${job.name}`, projectNames);
      if (!imported?.meta?.needs) job.needs = [...prevLayer];
      for (const i of inputs) {
        if (sourceArtifacts.has(i)) continue;
        const n = artifactOwner.get(i) ?? artifactOwner.get(artifactName(i));
        if (n) {
          if (!job.consumes.includes(n)) job.consumes.push(n);
        } else if (imported) report("PG-AWS-IMPORT-LOSSY", map, ap, `input artifact ${i} is not produced by any imported job; dropped from consumes`, irJob);
        else report("PG-AWS-IMPORT-LOSSY", map, ap, `input artifact ${i} is not produced by an earlier action: on AWS it will be the source artifact`, irJob);
      }
      currentLayer.push(job.name);
      stage.jobs.push(job);
    }
    if (!stage.jobs.length) return;
    // Needs must name jobs of this stage.
    const here = new Set(stage.jobs.map((j) => j.name));
    for (const j of stage.jobs) j.needs = j.needs.filter((n) => here.has(n) && n !== j.name);
    ir.stages.push(stage);
  });
  if (pendingApproval) report("PG-AWS-IMPORT-LOSSY", map, pendingApproval.ptr, "an approval at the end of the pipeline gates nothing; dropped");

  // Stage order and needs.
  let stageNeeds: Record<string, string[]> = {};
  try {
    const t = tag(TAG.stageNeeds);
    if (t) stageNeeds = JSON.parse(t) as Record<string, string[]>;
  } catch {
    stageNeeds = {};
  }
  const known = new Set(ir.stages.map((s) => s.name));
  ir.stages.forEach((s, i) => {
    const recorded = stageNeeds[s.name];
    s.needs = Array.isArray(recorded) && recorded.every((n) => known.has(n) && ir.stages.findIndex((x) => x.name === n) < i) ? [...recorded] : i === 0 ? [] : [ir.stages[i - 1]!.name];
  });

  // Disabled transitions.
  for (const t of inp.transitions) {
    const i = ir.stages.findIndex((s) => s.name === neutralName(str(t.stageName), "stage"));
    if (i < 0) continue;
    if (i === 0) {
      report("PG-AWS-IMPORT-LOSSY", map, inp.base, `the disabled transition into the first stage ${t.stageName} cannot be written in the neutral format; dropped`);
      continue;
    }
    ir.stages[i]!.transition = { enabled: false, ...(t.reason ? { reason: t.reason } : {}) };
  }

  // Targets.
  const aws: NonNullable<PipelineIR["targets"]["aws"]> = {};
  const real = (v: string | undefined) => (v && !v.includes(PLACEHOLDER) && !v.includes(PLACEHOLDER.toLowerCase()) ? v : undefined);
  const region = connectionArn?.split(":")[3];
  if (real(connectionArn) && region) aws.region = region;
  // Positions of the target values, for diagnostics about them (e.g. a CloudFormation reference).
  sm.set("/targets/aws/roleArn", map, P("roleArn"));
  sm.set("/targets/aws/artifactBucket", map, P("artifactStore", "location"));
  if (first) sm.set("/targets/aws/connectionArn", map, `${P("stages", first.si, "actions", first.ai, "configuration")}/ConnectionArn`);
  if (real(roleArn)) aws.roleArn = roleArn;
  if (codebuildRole && real(codebuildRole)) aws.codebuildRoleArn = codebuildRole;
  const bucket = decl.artifactStore?.location;
  if (real(str(bucket) || undefined)) aws.artifactBucket = str(bucket);
  if (real(connectionArn)) aws.connectionArn = connectionArn!;
  if (Object.keys(aws).length) ir.targets.aws = aws;
  return ir;
}
