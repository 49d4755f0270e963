/**
 * The whole dev corpus (../shared/corpus: real files written by others), per format: each file is
 * imported through `importPipeline` (the import invariant) and translated to all four providers,
 * and every output is held to the vendor oracles (test/conformance). Prints, per format: files,
 * imported valid, translated to all four with oracle-valid output, failed — and each failure's
 * reason. `npm run corpus` runs just this file.
 *
 * Target: 100% valid imports and 100% oracle-valid translations, except the files listed in
 * `sourceProblem`: a file whose own source fails its vendor's schema is excused on that target only.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importPipeline, toYaml, type NativeFile, type ProviderBase, type ProviderOutput } from "@pipeglot/core";
import { denormalize, validate, type ProviderId } from "@pipeglot/schema";
import { provider as aws } from "@pipeglot/aws";
import { provider as azure } from "@pipeglot/azure";
import { provider as gcp } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import { conformanceCheckers, ociTypeProblems } from "../conformance/index.js";
import { CORPUS, sharedSuite } from "../helpers/paths.js";

const PROVIDERS: ProviderBase[] = [aws, azure, gcp, oci];
/** Corpus folder → the provider whose importer reads it. */
const FORMATS: Record<string, ProviderBase> = { azure, buildspec: aws, cloudbuild: gcp, codepipeline: aws, oci };

/**
 * A source that fails its own vendor's oracle (e.g. an Azure file using a Marketplace task the
 * service schema does not list, or an input the schema does not know) cannot give a round trip that
 * passes it: for such a file, and only on its own provider's target, the oracle's findings are
 * excused and printed as "source invalid" with the source's first finding. Other targets are held
 * to their oracles in full. Azure YAML and Cloud Build configs have oracles for the source as written.
 */
function sourceProblem(format: string, file: NativeFile, checks: ReturnType<typeof conformanceCheckers>): string | undefined {
  const as = (provider: "azure" | "gcp", kind: string) => ({
    provider,
    pipeline: "source",
    files: [{ path: file.path, kind, content: file.content }],
    diagnostics: [],
  });
  if (format === "azure") return checks.azure(as("azure", "azure.PipelineYaml"))[0];
  // A build config alone: the checker's "no trigger" is about compile output, not about the source.
  if (format === "cloudbuild") return checks.gcp(as("gcp", "cloudbuild.BuildConfig")).filter((m) => m !== "no trigger")[0];
  return undefined;
}

interface Row {
  format: string;
  file: string;
  importValid: boolean;
  translatedValid: boolean;
  /** The source's own first finding of its vendor's oracle, when it has one. */
  sourceInvalid?: string;
  /** Targets that refused with a positioned error: not written, which the compile invariant allows. */
  refused: string[];
  reasons: string[];
}

function corpusFiles(): { format: string; file: NativeFile }[] {
  return Object.keys(FORMATS).flatMap((format) =>
    readdirSync(join(CORPUS, format))
      .filter((f) => /\.(ya?ml|json)$/i.test(f))
      .sort()
      .map((f) => ({ format, file: { path: `${format}/${f}`, content: readFileSync(join(CORPUS, format, f), "utf8") } })),
  );
}

function translateAll(): { rows: Row[]; ociOutputs: Record<string, ProviderOutput> } {
  const checks = conformanceCheckers();
  const ociOutputs: Record<string, ProviderOutput> = {};
  const rows = corpusFiles().map(({ format, file }): Row => {
    const reasons: string[] = [];
    const r = importPipeline(FORMATS[format]!, [file], { readFile: () => undefined });
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    reasons.push(...errors.map((d) => `import: ${d.code} ${d.message}`));
    if (!r.pipeline)
      return { format, file: file.path, importValid: false, translatedValid: false, refused: [], reasons: reasons.length ? reasons : ["import: no pipeline"] };
    // The invariant, checked independently of importPipeline's own validation: the written definition validates.
    const v = validate(toYaml(denormalize(r.pipeline)), { file: file.path });
    reasons.push(...v.diagnostics.filter((d) => d.severity === "error").map((d) => `validate: ${d.code} ${d.path} ${d.message}`));
    const importValid = reasons.length === 0;
    const refused: string[] = [];
    let sourceInvalid: string | undefined;
    for (const p of PROVIDERS) {
      const out = p.compile(r.pipeline);
      // The compile invariant: a target either passes its oracles, or refuses with a positioned error
      // (what the cloud cannot express at all, e.g. a CodeCommit source on Azure) and is not written.
      const errors = out.diagnostics.filter((d) => d.severity === "error");
      if (errors.length) {
        refused.push(...errors.map((d) => `${p.id} refused: ${d.code} ${d.message}`));
        if (errors.some((d) => !d.path && d.path !== "")) reasons.push(`${p.id}: an error without a position`);
        continue;
      }
      const problems = checks[p.id as ProviderId](out).map((m) => `${p.id} oracle: ${m}`);
      // Excused only when the round trip fails AND the source itself fails the same oracle.
      if (problems.length && FORMATS[format]!.id === p.id) sourceInvalid = sourceProblem(format, file, checks);
      if (!sourceInvalid || FORMATS[format]!.id !== p.id) reasons.push(...problems);
      if (p.id === "oci") ociOutputs[file.path] = out;
    }
    return { format, file: file.path, importValid, translatedValid: reasons.length === 0, refused, reasons, ...(sourceInvalid ? { sourceInvalid } : {}) };
  });
  return { rows, ociOutputs };
}

sharedSuite("the dev corpus: import valid, translations oracle-valid", () => {
  const { rows, ociOutputs } = translateAll();
  const typeProblems = ociTypeProblems(ociOutputs);
  for (const row of rows) {
    const problems = typeProblems.get(row.file.replace(/[^A-Za-z0-9_-]/g, "_")) ?? [];
    if (problems.length) {
      row.reasons.push(...problems.map((m) => `oci types: ${m}`));
      row.translatedValid = false;
    }
  }

  it("prints the figures per format", () => {
    const lines = ["format        files  imported-valid  translated-oracle-valid  (of which a target refused)  failed"];
    for (const format of Object.keys(FORMATS)) {
      const of = rows.filter((r) => r.format === format);
      const failed = of.filter((r) => !r.importValid || !r.translatedValid).length;
      const refused = of.filter((r) => r.translatedValid && r.refused.length).length;
      lines.push(
        `${format.padEnd(13)} ${String(of.length).padStart(5)}  ${String(of.filter((r) => r.importValid).length).padStart(14)}  ${String(of.filter((r) => r.translatedValid).length).padStart(23)}  ${String(refused).padStart(27)}  ${String(failed).padStart(6)}`,
      );
    }
    const failures = rows.filter((r) => r.reasons.length).map((r) => `  ${r.file}\n    ${r.reasons.slice(0, 4).join("\n    ")}`);
    const refusals = rows.filter((r) => r.refused.length).map((r) => `  ${r.file}: ${[...new Set(r.refused)].join("; ")}`);
    const invalid = rows.filter((r) => r.sourceInvalid).map((r) => `  ${r.file}: ${r.sourceInvalid}`);
    console.log(
      `corpus: ${rows.length} files\n${lines.join("\n")}` +
        (invalid.length
          ? `\nround trip excused: the source itself fails its vendor's oracle (only that target excused; the other three held in full):\n${invalid.join("\n")}`
          : "") +
        (refusals.length ? `\ntargets refused (a positioned error, nothing written):\n${refusals.join("\n")}` : "") +
        (failures.length ? `\nfailures:\n${failures.join("\n")}` : ""),
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  describe.each(Object.keys(FORMATS))("%s", (format) => {
    it.each(rows.filter((r) => r.format === format).map((r) => [r.file, r] as const))(
      "%s imports valid and translates to oracle-valid output",
      (_name, row) => {
        expect(row.reasons).toEqual([]);
      },
    );
  });
});
