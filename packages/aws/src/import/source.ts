/** Stage 1's source actions → `source` (the first one gives the repository; others are dropped). */
import type { PipelineIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import type { ActionDeclaration, StageDeclaration } from "../native/codepipeline.js";
import { TAG } from "../encoding.js";
import { str, type DeclarationContext } from "./context.js";

interface SourceAction {
  a: ActionDeclaration;
  si: number;
  ai: number;
}

export interface ImportedSource {
  source: PipelineIR["source"];
  /** The source action that gives the repository, if any. */
  first: SourceAction | undefined;
  /** Names of the artifacts the source actions produce. */
  artifacts: Set<string>;
  connectionArn: string | undefined;
  detectChanges: boolean;
}

export function importSource(cx: DeclarationContext, stages: StageDeclaration[]): ImportedSource {
  const { map, report, P } = cx;
  const sources: SourceAction[] = [];
  stages.forEach((s, si) =>
    (Array.isArray(s.actions) ? s.actions : []).forEach((a, ai) => isObject(a) && str(a.actionTypeId?.category) === "Source" && sources.push({ a, si, ai })),
  );
  const out: ImportedSource = {
    source: { repository: "unknown/unknown", branch: "main" },
    first: sources[0],
    artifacts: new Set(sources.flatMap((x) => (x.a.outputArtifacts ?? []).map((o) => str(o?.name)))),
    connectionArn: undefined,
    detectChanges: true,
  };
  const first = sources[0];
  if (!first) {
    report("PG-AWS-IMPORT-SOURCE", map, P("stages"), "the pipeline has no source action; the repository is unknown", "/source");
    return out;
  }
  const at = P("stages", first.si, "actions", first.ai);
  cx.sm.set("/source", map, at);
  readSourceAction(cx, first.a, at, out);
  for (const extra of sources.slice(1))
    report(
      "PG-AWS-IMPORT-SOURCE",
      map,
      P("stages", extra.si, "actions", extra.ai),
      `source action ${str(extra.a.name)} dropped: the neutral format has one source repository`,
      "/source",
    );
  const sp = cx.tag(TAG.sourceProvider);
  if (sp === "github" || sp === "gitlab" || sp === "bitbucket" || sp === "azure-repos") out.source.provider = sp;
  return out;
}

/** The repository, branch and provider of one source action (at native pointer `at`). */
function readSourceAction(cx: DeclarationContext, a: ActionDeclaration, at: string, out: ImportedSource): void {
  const { source } = out;
  const c = (isObject(a.configuration) ? a.configuration : {}) as Record<string, unknown>;
  const provider = str(a.actionTypeId?.provider);
  if (provider === "CodeStarSourceConnection") {
    source.repository = str(c.FullRepositoryId) || source.repository;
    source.branch = str(c.BranchName) || "main";
    out.connectionArn = str(c.ConnectionArn) || undefined;
    out.detectChanges = str(c.DetectChanges) !== "false";
  } else if (provider === "CodeCommit") {
    source.repository = str(c.RepositoryName) || source.repository;
    source.branch = str(c.BranchName) || "main";
    source.provider = "codecommit";
  } else if (provider === "GitHub") {
    source.repository = `${str(c.Owner)}/${str(c.Repo)}`;
    source.branch = str(c.Branch) || "main";
    source.provider = "github";
    out.detectChanges = str(c.PollForSourceChanges) !== "false";
    cx.report(
      "PG-AWS-IMPORT-SOURCE",
      cx.map,
      at,
      "GitHub (version 1, OAuth) source: compiles back as a CodeStar connection source; the OAuth token reference is dropped",
      "/source",
    );
  } else {
    source.repository =
      [c.S3Bucket, c.S3ObjectKey, c.RepositoryName, c.ImageTag]
        .filter((x) => x !== undefined)
        .map(str)
        .join("/") || source.repository;
    cx.report(
      "PG-AWS-IMPORT-SOURCE",
      cx.map,
      at,
      `${provider} source has no neutral equivalent; recorded as repository ${JSON.stringify(source.repository)}`,
      "/source",
    );
  }
}
