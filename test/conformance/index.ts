/**
 * One conformance check per provider, built from the vendor oracles the provider tests use:
 * `problems(output)` lists everything an oracle rejects in a compiled output ([] = conforms).
 * Used by the cross-provider tests (translate, compare) so that every output any command writes
 * is held to the same standard as the examples' goldens.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import type { ProviderOutput } from "@pipeglot/core";
import type { ProviderId } from "@pipeglot/schema";
import { ORACLES } from "../helpers/paths.js";
import { loadModel, validateShape } from "../aws/botocore.js";
import { structureProblems } from "../aws/structure.js";
import { discoveryValidator, protoValidator, schemaStoreValidator } from "../gcp/validators.js";
import { REPO } from "../helpers/paths.js";
import { typecheck, typedSource } from "../oci/typed.js";
import { canonicalInputs, taskRules } from "../azure/ignore-case.js";

type Check = (out: ProviderOutput) => string[];

const errs = (v: ValidateFunction) => (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`);

function aws(): Check {
  const cp = loadModel(join(ORACLES, "aws/botocore/codepipeline-2015-07-09.service-2.json"));
  const cb = loadModel(join(ORACLES, "aws/botocore/codebuild-2016-10-06.service-2.json"));
  return (out) => {
    const problems: string[] = [];
    for (const f of out.files) {
      if (f.kind === "codepipeline.CreatePipelineInput") {
        const input = JSON.parse(f.content);
        problems.push(...validateShape(cp, "CreatePipelineInput", input).map((p) => `${f.path}: ${p}`));
        problems.push(...structureProblems(input.pipeline).map((p) => `${f.path}: ${p}`));
      } else if (f.kind === "codebuild.CreateProjectInput")
        problems.push(...validateShape(cb, "CreateProjectInput", JSON.parse(f.content)).map((p) => `${f.path}: ${p}`));
    }
    if (!out.files.some((f) => f.kind === "codepipeline.CreatePipelineInput")) problems.push("no pipeline.json");
    return problems;
  };
}

function azure(): Check {
  const schema = JSON.parse(readFileSync(join(ORACLES, "azure-pipelines/service-schema.json"), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: true, unicodeRegExp: false, validateFormats: false });
  ajv.addVocabulary(["ignoreCase", "aliases", "doNotSuggest", "firstProperty", "deprecationMessage"]);
  const yamlCheck = ajv.compile(schema);
  const rules = taskRules(schema);
  const swagger = JSON.parse(readFileSync(join(ORACLES, "azure-devops-rest/build-7.1.json"), "utf8"));
  const defCheck = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile({
    $ref: "#/definitions/BuildDefinition",
    definitions: swagger.definitions,
  });
  return (out) => {
    const problems: string[] = [];
    for (const f of out.files) {
      if (f.kind === "azure.PipelineYaml" && !yamlCheck(canonicalInputs(parse(f.content), rules)))
        problems.push(...errs(yamlCheck).map((e) => `${f.path}: ${e}`));
      if (f.kind === "azure.BuildDefinition" && !defCheck(JSON.parse(f.content))) problems.push(...errs(defCheck).map((e) => `${f.path}: ${e}`));
    }
    if (!out.files.some((f) => f.kind === "azure.PipelineYaml")) problems.push("no azure-pipelines.yml");
    return problems;
  };
}

function gcp(): Check {
  const store = schemaStoreValidator();
  const discovery = discoveryValidator();
  const proto = protoValidator();
  return (out) => {
    const problems: string[] = [];
    for (const f of out.files) {
      if (f.kind === "cloudbuild.BuildConfig") {
        const b = parse(f.content);
        problems.push(...[...store(b), ...discovery(b, "Build"), ...proto(b)].map((p) => `${f.path}: ${p}`));
      } else if (f.kind === "cloudbuild.BuildTrigger") problems.push(...discovery(JSON.parse(f.content), "BuildTrigger").map((p) => `${f.path}: ${p}`));
    }
    if (!out.files.some((f) => f.kind === "cloudbuild.BuildTrigger")) problems.push("no trigger");
    return problems;
  };
}

/** OCI per output: build specs against the schema written from Oracle's documentation. (Types: ociTypeProblems, once for many outputs.) */
function oci(): Check {
  const schema = JSON.parse(readFileSync(join(REPO, "test/oci/build-spec.schema.json"), "utf8"));
  const check = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  return (out) => {
    const problems: string[] = [];
    for (const f of out.files) if (f.kind === "oci.BuildSpec" && !check(parse(f.content))) problems.push(...errs(check).map((e) => `${f.path}: ${e}`));
    if (!out.files.some((f) => f.kind === "oci.CreateBuildPipelineDetails")) problems.push("no build pipeline");
    return problems;
  };
}

/** Type-check many OCI outputs against the oci-devops model types in one TypeScript program. */
export function ociTypeProblems(outputs: Record<string, ProviderOutput>): Map<string, string[]> {
  const sources = Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name.replace(/[^A-Za-z0-9_-]/g, "_"), typedSource(o.files)]));
  return typecheck(sources);
}

/** Conformance checkers for every provider. */
export function conformanceCheckers(): Record<ProviderId, Check> {
  return { aws: aws(), azure: azure(), gcp: gcp(), oci: oci() };
}
