/** The BuildDefinition that registers the YAML, and the environments it deploys to. */
import { OWNERSHIP, shortHash } from "@pipeglot/core";
import type { BuildDefinition, EnvironmentCreate } from "../native/definition.js";
import type { Ctx } from "./context.js";

const MANAGED_TAG = OWNERSHIP.label.managedBy;
export const DEFAULT_FOLDER = "\\pipeglot";

const REPO_TYPES = { github: "GitHub", tfsgit: "TfsGit", bitbucket: "Bitbucket" } as const;

export function repositoryType(ctx: Ctx): string {
  const t = ctx.target.repositoryType;
  if (t) return REPO_TYPES[t];
  switch (ctx.ir.source.provider) {
    case "azure-repos":
      return "TfsGit";
    case "bitbucket":
      return "Bitbucket";
    case "gitlab":
    case "codecommit":
      ctx.report(
        "PG-ADO-REPO-UNSUPPORTED",
        "/source/provider",
        `Azure YAML pipelines cannot build from ${ctx.ir.source.provider}; the definition names a GitHub repository instead`,
        "mirror the repository to GitHub or Azure Repos",
      );
      return "GitHub";
    default:
      return "GitHub";
  }
}

export function compileDefinition(ctx: Ctx, yamlPath: string, yaml: string): BuildDefinition {
  const { ir, target } = ctx;
  const type = repositoryType(ctx);
  const repo: BuildDefinition["repository"] = { type, name: ir.source.repository, defaultBranch: `refs/heads/${ir.source.branch}` };
  if (type === "GitHub") repo.url = `https://github.com/${ir.source.repository}.git`;
  else if (type === "Bitbucket") repo.url = `https://bitbucket.org/${ir.source.repository}.git`;
  else if (target.organization && target.project)
    repo.url = `${target.organization.replace(/\/$/, "")}/${target.project}/_git/${ir.source.repository.split("/").pop()}`;
  if (type !== "TfsGit") {
    const sc = target.serviceConnection;
    repo.properties = { connectedServiceId: sc && /^[0-9a-f-]{36}$/i.test(sc) ? sc : `\${serviceConnection.${sc ?? type.toLowerCase()}.id}` };
  }
  const triggers: Record<string, unknown>[] = [];
  if (ir.triggers.push)
    triggers.push({
      triggerType: "continuousIntegration",
      settingsSourceType: 2,
      branchFilters: [],
      pathFilters: [],
      batchChanges: ir.concurrency === "supersede",
      maxConcurrentBuildsPerBranch: 1,
    });
  if (ir.triggers.pullRequest)
    triggers.push({
      triggerType: "pullRequest",
      settingsSourceType: 2,
      branchFilters: [],
      pathFilters: [],
      forks: { enabled: false, allowSecrets: false },
      isCommentRequiredForPullRequest: false,
      requireCommentsForNonTeamMembersOnly: false,
    });
  if (ir.triggers.schedules.length) triggers.push({ triggerType: "schedule", settingsSourceType: 2, schedules: [] });
  const def: BuildDefinition = {
    name: ir.name,
    path: target.folder ?? DEFAULT_FOLDER,
    type: "build",
    quality: "definition",
    ...(ir.description !== undefined ? { description: ir.description } : {}),
    process: { type: 2, yamlFilename: yamlPath },
    repository: repo,
    queue: { name: target.pool ?? "Azure Pipelines" },
    ...(target.project ? { project: { name: target.project } } : {}),
    queueStatus: "enabled",
    tags: [MANAGED_TAG, `${OWNERSHIP.label.hashPrefix}${shortHash(yaml, 12)}`],
    triggers,
  };
  return def;
}

export function compileEnvironment(ctx: Ctx, name: string): EnvironmentCreate {
  return { name, description: `Deploy target of pipeline ${ctx.ir.name} (${OWNERSHIP.phrase})` };
}
