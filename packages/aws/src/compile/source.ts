/** The source stage (first CodePipeline stage) and the V2 triggers on its action. */
import type { FilterIR } from "@pipeglot/schema";
import {
  CODECOMMIT_SOURCE_TYPE,
  CONNECTION_SOURCE_TYPE,
  type FilterCriteria,
  type GitConfiguration,
  type PipelineTriggerDeclaration,
  type StageDeclaration,
} from "../native/codepipeline.js";
import { SOURCE_NAMESPACE } from "../encoding.js";
import type { Ctx } from "./context.js";

const SOURCE_ACTION = "Source";

function criteria(ctx: Ctx, f: FilterIR, path: string): FilterCriteria | undefined {
  const out: FilterCriteria = {};
  for (const [key, list] of [
    ["includes", f.include],
    ["excludes", f.exclude],
  ] as const) {
    if (!list.length) continue;
    if (list.length > 8)
      ctx.report(
        "PG-AWS-FILTER-LIMIT",
        path,
        `${list.length} patterns in one ${key === "includes" ? "include" : "exclude"} list; CodePipeline takes at most 8: dropped ${list
          .slice(8)
          .map((p) => JSON.stringify(p))
          .join(", ")}`,
      );
    // A branch from an imported template may be a CloudFormation reference (`${Branch}`).
    out[key] = list.slice(0, 8).map((pattern, i) => ctx.value(pattern, "text", `${path}/${key === "includes" ? "include" : "exclude"}/${i}`, key));
  }
  return out.includes || out.excludes ? out : undefined;
}

export function sourceStage(ctx: Ctx, stageName: string, artifact: string): { stage: StageDeclaration; triggers: PipelineTriggerDeclaration[] } {
  const { ir, settings } = ctx;
  const t = ir.triggers;
  const codecommit = ir.source.provider === "codecommit";
  const hasEvents = !!(t.push || t.pullRequest);
  // A repository or branch from an imported template may be a CloudFormation reference (`${Repo}`).
  const branch = ctx.value(ir.source.branch, "text", "/source/branch", "BranchName");
  const configuration: Record<string, string> = codecommit
    ? {
        RepositoryName: ctx.value(ir.source.repository.split("/").pop()!, "text", "/source/repository", "RepositoryName"),
        BranchName: branch,
        ...(hasEvents ? {} : { PollForSourceChanges: "false" }),
      }
    : {
        ConnectionArn: settings.connectionArn,
        FullRepositoryId: ctx.value(ir.source.repository, "text", "/source/repository", "FullRepositoryId"),
        BranchName: branch,
        ...(hasEvents ? {} : { DetectChanges: "false" }),
      };
  const stage: StageDeclaration = {
    name: stageName,
    actions: [
      {
        name: SOURCE_ACTION,
        actionTypeId: codecommit ? CODECOMMIT_SOURCE_TYPE : CONNECTION_SOURCE_TYPE,
        runOrder: 1,
        configuration,
        outputArtifacts: [{ name: artifact }],
        namespace: SOURCE_NAMESPACE,
      },
    ],
  };
  const triggers: PipelineTriggerDeclaration[] = [];
  if (t.schedules.length)
    ctx.report(
      "PG-AWS-SCHEDULE",
      "/triggers/schedules",
      `${t.schedules.length} schedule(s) (${t.schedules.map((s) => JSON.stringify(s.cron)).join(", ")}) dropped: CodePipeline starts scheduled runs only through an EventBridge rule outside the pipeline`,
      "create an EventBridge Scheduler rule that calls StartPipelineExecution",
    );
  if (!t.manual)
    ctx.report("PG-AWS-MANUAL", "/triggers/manual", "manual: false is not enforced: anyone allowed to call StartPipelineExecution can start a run");
  if (!hasEvents || codecommit) {
    if (codecommit && hasEvents)
      ctx.report(
        "PG-AWS-FILTER-LIMIT",
        "/triggers",
        "CodeCommit sources start on every push to BranchName; V2 trigger filters need a CodeStar connection source and were not written",
      );
    return { stage, triggers };
  }
  const git: GitConfiguration = { sourceActionName: SOURCE_ACTION };
  if (t.push) {
    const push: NonNullable<GitConfiguration["push"]> = [];
    const paths = criteria(ctx, t.push.paths, "/triggers/push/paths");
    const branches = criteria(ctx, t.push.branches, "/triggers/push/branches");
    const tags = criteria(ctx, t.push.tags, "/triggers/push/tags");
    if (branches || (!tags && paths)) push.push({ ...(branches ? { branches } : {}), ...(paths ? { filePaths: paths } : {}) });
    if (tags) push.push({ tags });
    if (push.length) git.push = push;
  }
  if (t.pullRequest) {
    const pr = t.pullRequest;
    const events: ("OPEN" | "UPDATED" | "CLOSED")[] = [];
    const has = (e: string) => pr.events.includes(e as never);
    if (has("opened") || has("reopened")) events.push("OPEN");
    if (has("updated")) events.push("UPDATED");
    if (has("closed")) events.push("CLOSED");
    if (has("opened") !== has("reopened"))
      ctx.report(
        "PG-AWS-PR-EVENTS",
        "/triggers/pullRequest/events",
        `pull-request events ${JSON.stringify(pr.events)}: CodePipeline's OPEN covers both opened and reopened pull requests`,
      );
    const branches = criteria(ctx, pr.branches, "/triggers/pullRequest/branches");
    const filePaths = criteria(ctx, pr.paths, "/triggers/pullRequest/paths");
    git.pullRequest = [{ ...(events.length ? { events } : {}), ...(branches ? { branches } : {}), ...(filePaths ? { filePaths } : {}) }];
  }
  triggers.push({ providerType: "CodeStarSourceConnection", gitConfiguration: git });
  return { stage, triggers };
}
