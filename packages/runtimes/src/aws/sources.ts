/**
 * The AWS documentation pages the model's rules come from (each rule cites its page beside it).
 */
export const DOCS = {
  pipelineStructure: "https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html",
  actionDeclaration: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-requirements.html",
  codeBuildAction: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html",
  variables: "https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html",
  approvals: "https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals-approve-or-reject.html",
  transitions: "https://docs.aws.amazon.com/codepipeline/latest/userguide/transitions.html",
  disableTransition: "https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_DisableStageTransition.html",
  buildspec: "https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html",
  shells: "https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-cmd.html",
  phases: "https://docs.aws.amazon.com/codebuild/latest/userguide/view-build-details-phases.html",
  envVars: "https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html",
  autoRetry: "https://docs.aws.amazon.com/codebuild/latest/userguide/auto-retry-build.html",
  /** CodeBuild's UPLOAD_ARTIFACTS fails with CLIENT_ERROR "no matching artifact paths found" (build logs quoted there). */
  noMatchingPaths: "https://github.com/aws/copilot-cli/issues/2780",
} as const;

export const SOURCES: readonly string[] = Object.values(DOCS);
