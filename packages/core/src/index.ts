/**
 * @pipeglot/core — the provider contract and everything provider-neutral around it.
 * Never imports a provider package.
 */
export * from "./provider.js";
export * from "./operate/index.js";
export { toJson, toYaml, sortKeys, canonicalJson, deepEqual } from "./emit.js";
export { mergeNative } from "./merge.js";
export { isObject, type Obj } from "./guards.js";
/** Repeated keys in native YAML/JSON, with both positions (defined in @pipeglot/schema, which load() uses too). */
export { duplicateKeys, duplicateKeyDiagnostics, type DuplicateKey, type DuplicateKeyOptions, type KeyPosition } from "@pipeglot/schema";
export { expandMatrix, type MatrixCell } from "./matrix.js";
export { NameRegistry, shortHash, type NameRule, type Rename } from "./names.js";
export { isManifest, manifestOf, splitManifest, writeFileAtomic, writeOutput } from "./output.js";
export { checkFileTarget, checkFolderTarget, type WriteGuard } from "./safe-write.js";
export * from "./shell/index.js";
export { globPattern, globsMatch } from "./glob.js";
export { ERROR_KINDS, EXIT_CODES, kindOfStatus, PipeglotError, UserError, isPipeglotError, isUserError, type ErrorKind } from "./errors.js";
export { importSdk, missingSdkError, type SdkRequirement } from "./optional-sdk.js";
export { within, repositoryRoot } from "./within.js";
export { detectProvider, isNeutralDocument, NAMED_SCORE } from "./detect.js";
export { FEATURES, usedFeatures, type FeatureId, type FeatureUse } from "./features.js";
export { reporter } from "./diagnostics.js";
export { locateDiagnostics } from "./locate.js";
export { renderGraph, type GraphFormat } from "./graph.js";
export * from "./sync/index.js";
export * from "./sync/saved-plan.js";
export * from "./sync/plan-report.js";
export { importPipeline } from "./import.js";
export { translate, translateNeutral, compileWithLosses, type LossRow, type TranslateResult, type TranslateTarget } from "./translate.js";
export {
  auditFiles,
  type AuditFile,
  type AuditReport,
  type AuditStatus,
  type AuditConstruct,
  type AuditFormat,
  type AuditFormatRow,
  type AuditFeatureRow,
  type UnreadFile,
} from "./audit.js";
export { auditMarkdown, auditCsvRows } from "./audit-report.js";
export { fileRolesBy, type FileRole, type FileRoleRules } from "./file-roles.js";
export {
  RunGraphBuilder,
  readOutputFile,
  filesOfKind,
  listOf,
  textOf,
  type ReadBack,
  type RunGraph,
  type RunNode,
  type RunNodeKind,
  type RunEdge,
  type RunCluster,
} from "./run-graph.js";
export {
  FigureSchema,
  runnerMap,
  RUNNER_RANK,
  minutesOf,
  cellsOf,
  allJobs,
  schedule,
  peakConcurrency,
  figureValue,
  costLine,
  providerCost,
  priceSection,
  fmt,
  type Figure,
  type Prices,
  type Workload,
  type CostLine,
  type ProviderCost,
  type Interval,
} from "./cost.js";
