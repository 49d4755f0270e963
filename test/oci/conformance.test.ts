/**
 * Oracle's types are the oracle: every JSON resource the compiler writes is put into a generated
 * TypeScript file as `const x: models.<Type> = {...}` (the subtype picked by its discriminator,
 * nested polymorphic fields too) and type-checked against the `oci-devops` package's own model
 * types, all files in one program. Every build spec (and every inline command spec) must pass the
 * JSON Schema written from Oracle's build spec documentation (build-spec.schema.json cites it).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { validateFile } from "@pipeglot/schema";
import { compile } from "@pipeglot/oci";
import type { OutputFile } from "@pipeglot/core";
import { REPO } from "../helpers/paths.js";
import { goldenCases } from "../runner/golden.js";

/** The golden cases: the examples and the per-feature pairs (test/runner/golden.ts). */
const cases = goldenCases("oci");
import { typecheck, typedSource } from "./typed.js";

describe("OCI conformance: the oci-devops SDK model types", () => {
  it("every JSON resource of every golden case type-checks; a wrong field, a wrong nested field and a missing required field fail", async () => {
    const sources: Record<string, string> = {};
    const all: OutputFile[] = [];
    for (const ex of cases) {
      const r = await validateFile(ex.file);
      const out = compile(r.ir!);
      all.push(...out.files);
      sources[ex.name] = typedSource(out.files);
    }
    // Deliberately wrong copies: each must fail.
    const stage = all.find((f) => f.path.startsWith("build_stages/") && JSON.parse(f.content).buildPipelineStageType === "BUILD")!;
    const bad1 = JSON.parse(stage.content);
    bad1.buildSpecPath = bad1.buildSpecFile; // not a field of CreateBuildStageDetails
    const bad2 = JSON.parse(stage.content);
    bad2.buildSourceCollection.items[0].repoUrl = "x"; // not a field of GithubBuildSource
    const trigger = all.find((f) => f.kind === "oci.CreateTriggerDetails")!;
    const bad3 = JSON.parse(trigger.content);
    delete bad3.actions[0].buildPipelineId; // required by TriggerBuildPipelineAction
    const approval = all.find((f) => f.kind === "oci.CreateDeployStageDetails" && JSON.parse(f.content).deployStageType === "MANUAL_APPROVAL")!;
    const bad4 = JSON.parse(approval.content);
    bad4.approvalPolicy.numberOfApprovalsRequired = "1"; // a string where the SDK wants a number
    const bad5 = JSON.parse(trigger.content);
    bad5.actions[0].filter.events = ["PUSHED"]; // not a GithubFilter.Events value
    const wrong = (f: OutputFile, v: unknown): OutputFile => ({ ...f, content: JSON.stringify(v) });
    sources["bad-field"] = typedSource([wrong(stage, bad1)]);
    sources["bad-nested"] = typedSource([wrong(stage, bad2)]);
    sources["bad-missing"] = typedSource([wrong(trigger, bad3)]);
    sources["bad-type"] = typedSource([wrong(approval, bad4)]);
    sources["bad-enum"] = typedSource([wrong(trigger, bad5)]);
    const errors = typecheck(sources);
    for (const ex of cases) expect(errors.get(ex.name) ?? [], `${ex.name}.ts`).toEqual([]);
    expect(errors.get("bad-field")?.join("\n")).toMatch(/buildSpecPath/);
    expect(errors.get("bad-nested")?.join("\n")).toMatch(/repoUrl/);
    expect(errors.get("bad-missing")?.join("\n")).toMatch(/buildPipelineId/);
    expect(errors.get("bad-type")?.join("\n")).toMatch(/numberOfApprovalsRequired|not assignable/);
    expect(errors.get("bad-enum")?.join("\n")).toMatch(/PUSHED/);
    expect(errors.size).toBe(5);
  }, 120_000);
});

describe("OCI conformance: build specs against the schema written from Oracle's documentation", () => {
  const schema = JSON.parse(readFileSync(join(REPO, "test/oci/build-spec.schema.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  const check = ajv.compile(schema);
  const errs = () => (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join("; ");

  it("every build_spec.yaml and every inline command spec of every golden case passes", async () => {
    let n = 0;
    for (const ex of cases) {
      const out = compile((await validateFile(ex.file)).ir!);
      for (const f of out.files) {
        let spec: unknown;
        if (f.kind === "oci.BuildSpec") spec = parse(f.content);
        else if (f.kind === "oci.CreateDeployArtifactDetails" && JSON.parse(f.content).deployArtifactType === "COMMAND_SPEC")
          spec = parse(Buffer.from(JSON.parse(f.content).deployArtifactSource.base64EncodedContent, "base64").toString("utf8"));
        else continue;
        n++;
        expect(check(spec), `${ex.name}/${f.path}: ${errs()}`).toBe(true);
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  it("rejects what the documentation does not allow", () => {
    const ok = { version: 0.1, component: "build", steps: [{ type: "Command", command: "make" }] };
    expect(check(ok)).toBe(true);
    expect(check({ ...ok, version: "0.2" })).toBe(false);
    expect(check({ ...ok, steps: [{ type: "Script", command: "make" }] })).toBe(false);
    expect(check({ ...ok, steps: [{ type: "Command", cmd: "make" }] })).toBe(false);
    expect(check({ ...ok, env: { vaultVariables: { "BAD-NAME": "ocid1.vaultsecret.x" } } })).toBe(false);
    expect(check({ ...ok, outputArtifacts: [{ name: "a", type: "JAR", location: "a.jar" }] })).toBe(false);
    expect(check({ ...ok, component: "command", outputArtifacts: [{ name: "a", type: "BINARY", location: "a" }] })).toBe(false);
  });
});
