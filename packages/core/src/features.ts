/**
 * The neutral features a pipeline can use. Each provider's capability table has one row per
 * feature; `usedFeatures` says which ones a given pipeline uses, and where.
 */
import type { PipelineIR } from "@pipeglot/schema";

export const FEATURES = {
  "pipeline.description": "Pipeline description",
  "source.repository": "Source repository and branch",
  "stages.sequential": "Stages in sequence",
  "stages.parallel": "Stages in parallel (a stage DAG)",
  "jobs.parallel": "Parallel jobs in a stage",
  "jobs.dag": "Job dependencies inside a stage",
  "job.image": "Job container image",
  "job.runner": "Runner size",
  "job.env": "Job environment variables",
  "job.timeout": "Job timeout",
  "job.retries": "Job retries",
  "job.matrix": "Job matrix",
  "job.environment": "Deployment environment",
  "step.shell": "Step shell other than bash",
  "step.workingDirectory": "Step working directory",
  "step.env": "Step environment variables",
  "step.timeout": "Step timeout",
  "step.continueOnError": "Continue on error",
  "step.retries": "Step retries",
  "step.native": "Provider-native step",
  "triggers.push.branches": "Push trigger on branches",
  "triggers.push.branches.exclude": "Push branch excludes",
  "triggers.push.tags": "Push trigger on tags",
  "triggers.push.paths": "Path filters",
  "triggers.pullRequest": "Pull-request trigger",
  "triggers.pullRequest.events": "Pull-request event filter",
  "triggers.schedule": "Scheduled runs (cron)",
  "triggers.manualOnly": "Manual runs only",
  concurrency: "Run concurrency (queue / supersede / parallel)",
  variables: "Pipeline variables",
  "variables.overridable": "Variables set at run time",
  secrets: "Secret references",
  artifacts: "Artifacts between jobs",
  approval: "Manual approval",
  "approval.approvers": "Named approvers",
  "approval.timeout": "Approval timeout",
  "approval.instructions": "Approval instructions",
  "approval.notify": "Approval notifications",
  "transition.disabled": "Disabled transition with a reason",
  "condition.status": "Run on failure / always",
  "condition.branches": "Branch conditions",
  "condition.variables": "Variable conditions",
  native: "Native fragments (escape hatch)",
} as const;

export type FeatureId = keyof typeof FEATURES;

export interface FeatureUse {
  feature: FeatureId;
  /** Pointer to the first place the pipeline uses it. */
  path: string;
  /** Pointers to every place the pipeline uses it, in document order (`path` first). */
  paths: string[];
}

/** The features `ir` uses, each once, with the first place it is used; in FEATURES order. */
export function usedFeatures(ir: PipelineIR): FeatureUse[] {
  const found = new Map<FeatureId, string[]>();
  const use = (f: FeatureId, path: string) => {
    const at = found.get(f);
    if (!at) found.set(f, [path]);
    else if (!at.includes(path)) at.push(path);
  };
  if (ir.description) use("pipeline.description", "/description");
  use("source.repository", "/source");
  if (ir.stages.length > 1) use("stages.sequential", "/stages");
  const t = ir.triggers;
  if (t.push) {
    if (t.push.branches.include.length) use("triggers.push.branches", "/triggers/push/branches");
    if (t.push.branches.exclude.length) use("triggers.push.branches.exclude", "/triggers/push/branches");
    if (t.push.tags.include.length || t.push.tags.exclude.length) use("triggers.push.tags", "/triggers/push/tags");
    if (t.push.paths.include.length || t.push.paths.exclude.length) use("triggers.push.paths", "/triggers/push/paths");
  }
  if (t.pullRequest) {
    use("triggers.pullRequest", "/triggers/pullRequest");
    if (t.pullRequest.paths.include.length || t.pullRequest.paths.exclude.length) use("triggers.push.paths", "/triggers/pullRequest/paths");
    if (t.pullRequest.events.includes("closed")) use("triggers.pullRequest.events", "/triggers/pullRequest/events");
  }
  if (t.schedules.length) use("triggers.schedule", "/triggers/schedules");
  if (!t.push && !t.pullRequest && !t.schedules.length) use("triggers.manualOnly", "/triggers");
  if (ir.concurrency !== "queue") use("concurrency", "/concurrency");
  if (Object.keys(ir.variables).length) use("variables", "/variables");
  for (const [k, v] of Object.entries(ir.variables)) if (v.overridable) use("variables.overridable", `/variables/${k}`);
  if (Object.keys(ir.secrets).length) use("secrets", "/secrets");
  if (ir.native) use("native", "/native");
  ir.stages.forEach((s, i) => {
    const sp = `/stages/${i}`;
    const implied = i === 0 ? [] : [ir.stages[i - 1]!.name];
    if (s.needs.length !== implied.length || s.needs.some((n, k) => n !== implied[k])) use("stages.parallel", `${sp}/needs`);
    if (s.approval) {
      use("approval", `${sp}/approval`);
      if (s.approval.approvers.length) use("approval.approvers", `${sp}/approval/approvers`);
      if (s.approval.timeoutSeconds !== undefined) use("approval.timeout", `${sp}/approval/timeout`);
      if (s.approval.instructions) use("approval.instructions", `${sp}/approval/instructions`);
      if (s.approval.notify.length) use("approval.notify", `${sp}/approval/notify`);
    }
    if (!s.transition.enabled) use("transition.disabled", `${sp}/transition`);
    const cond = (c: typeof s.condition, p: string) => {
      if (!c) return;
      if (c.status !== "success") use("condition.status", p);
      if (c.branches.length) use("condition.branches", p);
      if (Object.keys(c.variables).length) use("condition.variables", p);
    };
    cond(s.condition, `${sp}/condition`);
    if (s.native) use("native", `${sp}/native`);
    if (s.jobs.length > 1) use("jobs.parallel", `${sp}/jobs`);
    s.jobs.forEach((j, k) => {
      const jp = `${sp}/jobs/${k}`;
      if (j.needs.length) use("jobs.dag", `${jp}/needs`);
      use("job.image", `${jp}`);
      if (j.runner !== "small") use("job.runner", `${jp}/runner`);
      if (Object.keys(j.env).length) use("job.env", `${jp}/env`);
      if (j.timeoutSeconds !== undefined) use("job.timeout", `${jp}`);
      if (j.retries) use("job.retries", `${jp}`);
      if (j.matrix) use("job.matrix", `${jp}/matrix`);
      if (j.environment) use("job.environment", `${jp}/environment`);
      if (j.produces.length || j.consumes.length) use("artifacts", `${jp}/artifacts`);
      cond(j.condition, `${jp}/condition`);
      if (j.native) use("native", `${jp}/native`);
      j.steps.forEach((st, n) => {
        const p = `${jp}/steps/${n}`;
        if (st.shell !== "bash") use("step.shell", `${p}/shell`);
        if (st.workingDirectory) use("step.workingDirectory", `${p}/workingDirectory`);
        if (Object.keys(st.env).length) use("step.env", `${p}/env`);
        if (st.timeoutSeconds !== undefined) use("step.timeout", `${p}/timeout`);
        if (st.continueOnError) use("step.continueOnError", `${p}/continueOnError`);
        if (st.retries) use("step.retries", `${p}/retries`);
        if (st.native) use("step.native", `${p}/native`);
        cond(st.condition, `${p}/condition`);
      });
    });
  });
  const order = Object.keys(FEATURES) as FeatureId[];
  return [...found].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([feature, paths]) => ({ feature, path: paths[0]!, paths }));
}
