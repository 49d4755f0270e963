/**
 * Real Cloud Build and OCI files (../shared/corpus/cloudbuild, ../shared/corpus/oci): import → a
 * definition that validates → compile to every provider → every output passes that vendor's
 * oracles (test/conformance). Prints, per format: imported valid, translated to all four with
 * oracle-valid output, and each failure with its reason.
 *
 * A file whose own source fails its vendor oracle is excepted for that oracle only, and only for
 * the field named below (the test checks that the source itself fails there).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { toYaml, type ProviderBase, type ProviderOutput } from "@pipeglot/core";
import { denormalize, PROVIDER_IDS, validate, type ProviderId } from "@pipeglot/schema";
import { provider as aws } from "@pipeglot/aws";
import { provider as azure } from "@pipeglot/azure";
import { provider as gcp } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import { CORPUS, sharedSuite } from "../helpers/paths.js";
import { conformanceCheckers, ociTypeProblems } from "../conformance/index.js";

const PROVIDERS: Record<ProviderId, ProviderBase> = { aws, azure, gcp, oci };
type Checkers = ReturnType<typeof conformanceCheckers>;

/** Files whose source fails the oracle of their own format: the field, and why Google accepts it. */
const SOURCE_FAILS: Record<string, { provider: ProviderId; field: string; why: string }> = {
  "23-google-go-containerregistry-cloudbuild_v2.yaml": {
    provider: "gcp",
    field: "/artifacts/oci",
    why: "artifacts.oci is newer than the google.devtools.cloudbuild.v1 protos of @google-cloud/cloudbuild in the oracles",
  },
};

interface Figures {
  valid: number;
  translated: number;
  excepted: string[];
  failures: string[];
}

const KIND: Record<"cloudbuild" | "oci", { provider: ProviderId; kind: string }> = {
  cloudbuild: { provider: "gcp", kind: "cloudbuild.BuildConfig" },
  oci: { provider: "oci", kind: "oci.BuildSpec" },
};

/** What the oracle of the file's own format says about the file as written. */
function sourceProblems(format: "cloudbuild" | "oci", name: string, content: string, checkers: Checkers): string[] {
  const { provider, kind } = KIND[format];
  const out = { files: [{ path: name, kind, content }], resources: [], diagnostics: [] } as unknown as ProviderOutput;
  return checkers[provider](out).filter((p) => p.startsWith(name));
}

function translateAll(
  name: string,
  ir: NonNullable<ReturnType<ProviderBase["import"]>["pipeline"]>,
  checkers: Checkers,
  ociOut: Record<string, ProviderOutput>,
): string[] {
  const bad: string[] = [];
  for (const id of PROVIDER_IDS) {
    let out: ProviderOutput;
    try {
      out = PROVIDERS[id].compile(ir);
    } catch (e) {
      bad.push(`${id}: compile threw ${(e as Error).message}`);
      continue;
    }
    const errors = out.diagnostics.filter((d) => d.severity === "error");
    if (errors.length) bad.push(`${id}: compile errors ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
    const ex = SOURCE_FAILS[name];
    bad.push(
      ...checkers[id](out)
        .filter((p) => !(ex && ex.provider === id && p.includes(ex.field)))
        .map((p) => `${id}: ${p}`),
    );
    if (id === "oci") ociOut[name] = out;
  }
  return bad;
}

function run(format: "cloudbuild" | "oci", from: ProviderBase, checkers: Checkers, ociOut: Record<string, ProviderOutput>): Figures {
  const dir = join(CORPUS, format);
  const fig: Figures = { valid: 0, translated: 0, excepted: [], failures: [] };
  for (const name of readdirSync(dir).sort()) {
    const content = readFileSync(join(dir, name), "utf8");
    const r = from.import([{ path: `${format}/${name}`, content }]);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    if (!r.pipeline || errors.length) {
      fig.failures.push(`${name}: import: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
      continue;
    }
    const invalid = validate(toYaml(denormalize(r.pipeline)), { file: name }).diagnostics.filter((d) => d.severity === "error");
    if (invalid.length) {
      fig.failures.push(`${name}: imported definition does not validate: ${invalid.map((d) => `${d.code} ${d.path} ${d.message}`).join("; ")}`);
      continue;
    }
    fig.valid++;
    const ex = SOURCE_FAILS[name];
    if (ex) {
      expect(
        sourceProblems(format, name, content, checkers).some((p) => p.includes(ex.field)),
        `${name}: the source itself fails at ${ex.field}`,
      ).toBe(true);
      fig.excepted.push(`${name}: ${ex.provider} ${ex.field} (${ex.why})`);
    }
    const bad = translateAll(name, r.pipeline, checkers, ociOut);
    if (bad.length) fig.failures.push(`${name}: ${bad.join(" | ")}`);
    else fig.translated++;
  }
  return fig;
}

sharedSuite("Cloud Build and OCI corpus: import → valid → four oracle-valid outputs", () => {
  let checkers: Checkers;
  const ociOut: Record<string, ProviderOutput> = {};
  beforeAll(() => {
    checkers = conformanceCheckers();
  });
  for (const [format, from] of [
    ["cloudbuild", gcp],
    ["oci", oci],
  ] as const)
    it(format, () => {
      const total = readdirSync(join(CORPUS, format)).length;
      const f = run(format, from, checkers, ociOut);
      const lines = [...f.excepted.map((e) => `excepted ${e}`), ...f.failures.map((e) => `FAILED ${e}`)];
      console.log(
        `${format}: ${f.valid}/${total} imported valid, ${f.translated}/${total} translated to all four with oracle-valid output, ${f.failures.length} failed\n  ${lines.join("\n  ")}`,
      );
      expect(f.failures).toEqual([]);
      expect(f.valid).toBe(total);
    });
  it("every OCI output type-checks against the oci-devops model types", () => {
    expect(Object.keys(ociOut).length).toBeGreaterThan(0);
    expect(Object.fromEntries(ociTypeProblems(ociOut))).toEqual({});
  });
});
