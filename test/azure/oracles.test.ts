/**
 * Conformance: every compiled azure-pipelines.yml of a golden case (the examples and the
 * per-feature pairs, test/runner/golden.ts) passes Microsoft's Azure Pipelines schema
 * (service-schema.json), and every definition.json matches the BuildDefinition of the Azure DevOps
 * REST spec (build-7.1.json, swagger 2). A deliberately broken input must fail each validator.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { validateFile } from "@pipeglot/schema";
import { compile } from "@pipeglot/azure";
import { examples, ORACLES, sharedOrSkip } from "../helpers/paths.js";
import { goldenCases } from "../runner/golden.js";

const run = sharedOrSkip("Azure oracle conformance");

function pipelineValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(ORACLES, "azure-pipelines/service-schema.json"), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: true, unicodeRegExp: false, validateFormats: false });
  ajv.addVocabulary(["ignoreCase", "aliases", "doNotSuggest", "firstProperty", "deprecationMessage"]);
  return ajv.compile(schema);
}

/** Swagger 2 → a JSON schema for one definition: `#/definitions/X` refs stay valid under `definitions`. */
function definitionValidator(name: string): ValidateFunction {
  const swagger = JSON.parse(readFileSync(join(ORACLES, "azure-devops-rest/build-7.1.json"), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile({ $ref: `#/definitions/${name}`, definitions: swagger.definitions });
}

const deepest = (errs: ValidateFunction["errors"]) =>
  [...(errs ?? [])]
    .sort((a, b) => b.instancePath.length - a.instancePath.length)
    .slice(0, 5)
    .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

describe.runIf(run)("azure-pipelines.yml against service-schema.json", () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = pipelineValidator();
  });
  for (const ex of goldenCases("azure")) {
    for (const mode of ["job", "environment"] as const) {
      it(`${ex.name} (approvalMode ${mode})`, async () => {
        const ir = (await validateFile(ex.file)).ir!;
        ir.targets.azure = { ...(ir.targets.azure ?? {}), approvalMode: mode };
        const out = compile(ir);
        const yaml = out.files.find((f) => f.kind === "azure.PipelineYaml")!;
        const ok = validate(parse(yaml.content));
        expect(ok, deepest(validate.errors).join("\n")).toBe(true);
      });
    }
  }
  it("rejects a broken pipeline (misspelled key, bad stage trigger)", async () => {
    const ir = (await validateFile(examples()[0]!.file)).ir!;
    const doc = parse(compile(ir).files.find((f) => f.kind === "azure.PipelineYaml")!.content);
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, stagez: doc.stages })).toBe(false);
    const bad = structuredClone(doc);
    bad.stages[0].trigger = "sometimes";
    expect(validate(bad)).toBe(false);
    const badStep = structuredClone(doc);
    badStep.stages[0].jobs[0].steps[0] = { bash: "x", retryCountOnTaskFailure: { many: true } };
    expect(validate(badStep)).toBe(false);
  });
});

describe.runIf(run)("definition.json against build-7.1.json BuildDefinition", () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = definitionValidator("BuildDefinition");
  });
  for (const ex of goldenCases("azure")) {
    it(ex.name, async () => {
      const out = compile((await validateFile(ex.file)).ir!);
      const def = JSON.parse(out.files.find((f) => f.kind === "azure.BuildDefinition")!.content);
      expect(validate(def), deepest(validate.errors).join("\n")).toBe(true);
      expect(def.process).toMatchObject({ type: 2 });
      expect(def.path).toBe("\\pipeglot");
      expect(def.tags).toContain("managed-by-pipeglot");
    });
  }
  it("rejects a broken definition", async () => {
    const def = JSON.parse(compile((await validateFile(examples()[0]!.file)).ir!).files.find((f) => f.kind === "azure.BuildDefinition")!.content);
    expect(validate(def)).toBe(true);
    expect(validate({ ...def, process: { type: "yaml" } })).toBe(false);
    expect(validate({ ...def, tags: "managed" })).toBe(false);
    expect(validate({ ...def, queue: { id: "first" } })).toBe(false);
  });
});
