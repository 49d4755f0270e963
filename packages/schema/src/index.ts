/**
 * @pipeglot/schema — the neutral pipeline format.
 *
 *   validate(text, { file })   text → { document, ir, diagnostics, sourceMap }
 *   validateFile(path)         the same, reading the file
 *   load(text, { file })       parse + schema only
 *   normalize(document)        document → Pipeline IR
 *   denormalize(ir)            Pipeline IR → the shortest equivalent document
 */
export * from "./document.js";
export * from "./ir.js";
export * from "./diagnostics.js";
export * from "./order.js";
export * from "./duration.js";
export * from "./expressions.js";
export * from "./graph.js";
export { load, type LoadOptions, type LoadResult } from "./load.js";
export { normalize, normalizeFilter, normalizeCondition } from "./normalize.js";
export { denormalize } from "./denormalize.js";
export { validate, validateFile, check, type ValidateResult } from "./validate.js";
export { inputTooLarge, MAX_INPUT_BYTES, MAX_RUN_BYTES } from "./encoding.js";
export { flatSourceMap, yamlSourceMap, type Position, type SourceMap } from "./source-map.js";
export { duplicateKeys, duplicateKeyDiagnostics, type DuplicateKey, type DuplicateKeyOptions, type KeyPosition } from "./duplicate-keys.js";
export { jsonSchema, jsonSchemaText, SCHEMA_ID } from "./json-schema.js";
export { CODES as SCHEMA_CODES, type CodeInfo, type SchemaCode } from "./codes.js";
export { CHECKS, cronProblem, foldName, type Check } from "./checks/index.js";
export { closest } from "./suggest.js";
export { repair, failingCommand, legalName, REPAIR_CODES, type RepairCode, type Repaired } from "./repair/index.js";
