/**
 * Real files written by others: every file under corpus/codepipeline and corpus/buildspec
 * imports without a crash. Each gives a pipeline whose neutral document validates, or an
 * explained failure (an error diagnostic with a code and a position). Then native → import →
 * compile to AWS: the output passes the vendor oracles (botocore shapes, CodePipeline's structure
 * rules, the CloudFormation schema with the template's intrinsics resolved) with zero problems,
 * except the files listed in SOURCE_INVALID (whose own source the vendor rejects); and that output
 * imports back to the same output. Prints the counts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { denormalize, validate } from "@pipeglot/schema";
import { toYaml } from "@pipeglot/core";
import { compile, detect, importFiles, CODES } from "@pipeglot/aws";
import { CORPUS, sharedSuite } from "../helpers/paths.js";
import { conformanceCheckers } from "../conformance/index.js";
import { cfnPipelineSchema, cfnTemplateProblems } from "./cloudformation.js";

/** Files whose own source fails the vendor's schema, with the reason (none at present). */
const SOURCE_INVALID: Record<string, string> = {};

sharedSuite("AWS corpus import", () => {
  const dirs = ["codepipeline", "buildspec"];
  const files = dirs.flatMap((d) =>
    readdirSync(join(CORPUS, d))
      .sort()
      .map((f) => ({ dir: d, path: join(CORPUS, d, f) })),
  );
  const counts = { clean: 0, warnings: 0, failed: 0, oracleValid: 0 };
  const check = conformanceCheckers().aws;
  const schema = cfnPipelineSchema();

  for (const f of files) {
    it(`${f.dir}/${f.path.split("/").pop()}`, () => {
      const content = readFileSync(f.path, "utf8");
      expect(detect({ path: f.path, content })).toBeGreaterThan(0.5);
      const res = importFiles([{ path: f.path, content }]);
      for (const d of res.diagnostics) {
        expect(Object.keys(CODES)).toContain(d.code);
        expect(d.file).toBe(f.path);
        expect(d.line).toBeGreaterThan(0);
      }
      const errors = res.diagnostics.filter((d) => d.severity === "error");
      if (!res.pipeline) {
        expect(errors.length, "a failed import must say why").toBeGreaterThan(0);
        counts.failed++;
        return;
      }
      const doc = validate(toYaml(denormalize(res.pipeline)));
      expect(doc.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      if (res.diagnostics.some((d) => d.severity === "warning")) counts.warnings++;
      else counts.clean++;
      // Every stage and job of a pipeline file has a position in the native file.
      for (let i = 0; i < res.pipeline.stages.length; i++) expect(res.sourceMap!.locate(`/stages/${i}`).line).toBeGreaterThan(0);
      // Compiled back to AWS, the vendor oracles accept it.
      const out = compile(res.pipeline);
      const problems = [...check(out), ...cfnTemplateProblems(out.files.find((x) => x.path === "cloudformation.yaml")!.content, schema)];
      const name = f.path.split("/").pop()!;
      if (SOURCE_INVALID[name]) expect(problems.length, `${name} is listed as invalid at the source: ${SOURCE_INVALID[name]}`).toBeGreaterThan(0);
      else expect(problems).toEqual([]);
      if (!problems.length) counts.oracleValid++;
      // A fixed point: what compile wrote imports back to the same output, through the template
      // always, and through the API JSON when no CloudFormation reference had to become a placeholder.
      const again = (kinds: string[]) =>
        compile(importFiles(out.files.filter((x) => kinds.includes(x.kind)).map((x) => ({ path: x.path, content: x.content }))).pipeline!).files;
      expect(again(["cloudformation.Template"])).toEqual(out.files);
      if (!out.diagnostics.some((d) => d.code === "PG-AWS-CFN-REFERENCE" || d.code === "PG-AWS-TARGET-PLACEHOLDER"))
        expect(again(["codepipeline.CreatePipelineInput", "codebuild.CreateProjectInput"])).toEqual(out.files);
    });
  }

  it("prints the corpus summary", () => {
    console.log(
      `AWS corpus: ${files.length} files — ${counts.clean} clean, ${counts.warnings} with warnings, ${counts.failed} failed; ${counts.oracleValid} compile back to AWS output the oracles accept`,
    );
    expect(counts.clean + counts.warnings + counts.failed).toBe(files.length);
  });
});
