/** Resource kinds of the AWS live client (ResourceKey.kind). */
export const KIND_PROJECT = "codebuild.Project";
export const KIND_PIPELINE = "codepipeline.Pipeline";
/** The disabled inbound transitions of one pipeline (name = the pipeline's name). */
export const KIND_TRANSITIONS = "codepipeline.Transitions";
