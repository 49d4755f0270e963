/**
 * Round trip: import(compile(x)) equals x for every example, apart from the losses listed in
 * LOSSES (each one a documented diagnostic of the compiler). The imported IR must also be a valid
 * neutral document once written back (denormalize → validate).
 */
import { describe, expect, it } from "vitest";
import { toYaml } from "@pipeglot/core";
import { denormalize, references, validate, validateFile, type PipelineIR } from "@pipeglot/schema";
import { compile, importFiles } from "@pipeglot/azure";
import { examples } from "../helpers/paths.js";

/** What Azure cannot carry (compiler diagnostic in brackets). */
export const LOSSES = [
  "defaults are applied to every job, not kept (all providers)",
  "targets other than azure project/folder/pool/yamlPath/approvalMode are not in the Azure files",
  "source.provider github is the default repository type and is not told apart from an unset provider",
  "stage and job descriptions [PG-ADO-DESCRIPTION]",
  "descriptions of variables that are not overridable [PG-ADO-VARIABLE-DESCRIPTION]",
  "secret descriptions and the other providers' references (only the azure reference is in the YAML header)",
  "runner sizes [PG-ADO-RUNNER-SIZE]",
  "job retries [PG-ADO-RETRY-JOB]",
  "job env entries that reference secrets or are not upper-case move into each step's env [PG-ADO-JOB-ENV]",
  "the reason of a disabled transition [PG-ADO-TRANSITION]",
  "shell sh becomes bash [PG-ADO-SHELL-SH]",
  "timeouts are rounded up to whole minutes [PG-ADO-TIMEOUT-ROUNDED]",
] as const;

const ENV_SAFE = /^[A-Z_][A-Z0-9_]*$/;

export function normalizeForCompare(ir: PipelineIR): PipelineIR {
  const x = structuredClone(ir);
  x.defaults = {};
  const az = x.targets.azure;
  x.targets = {};
  if (az) {
    const keep = Object.fromEntries(Object.entries(az).filter(([k]) => ["project", "folder", "pool", "yamlPath", "approvalMode"].includes(k)));
    if (Object.keys(keep).length) x.targets.azure = keep;
  }
  if (x.source.provider === "github") delete x.source.provider;
  for (const v of Object.values(x.variables)) if (!v.overridable) delete v.description;
  for (const [k, s] of Object.entries(x.secrets)) x.secrets[k] = s.azure ? { azure: s.azure } : {};
  for (const s of x.stages) {
    delete s.description;
    delete s.transition.reason;
    for (const j of s.jobs) {
      delete j.description;
      j.runner = "small";
      j.retries = 0;
      for (const [k, v] of Object.entries(j.env)) {
        if (ENV_SAFE.test(k) && references(v).secrets.length === 0) continue;
        for (const st of j.steps) st.env = { [k]: v, ...st.env };
        delete j.env[k];
      }
      for (const st of j.steps) {
        if (st.shell === "sh") st.shell = "bash";
        if (st.timeoutSeconds !== undefined) st.timeoutSeconds = Math.ceil(st.timeoutSeconds / 60) * 60;
        st.env = Object.fromEntries(Object.entries(st.env).sort(([a], [b]) => (a < b ? -1 : 1)));
      }
      if (j.timeoutSeconds !== undefined) j.timeoutSeconds = Math.ceil(j.timeoutSeconds / 60) * 60;
    }
  }
  return x;
}

describe("azure round trip import(compile(x))", () => {
  for (const ex of examples()) {
    for (const mode of ["job", "environment"] as const) {
      it(`${ex.name} (approvalMode ${mode})`, async () => {
        const ir = (await validateFile(ex.file)).ir!;
        ir.targets.azure = { ...(ir.targets.azure ?? {}), approvalMode: mode };
        const out = compile(ir);
        const back = importFiles(out.files.map((f) => ({ path: f.path, content: f.content })));
        expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(back.pipeline).toBeDefined();
        const want = normalizeForCompare(ir);
        // approvalMode only survives when a check was written (a stage with an environment approval).
        const hasCheck = out.files.some((f) => f.kind === "azure.CheckConfiguration");
        if (!hasCheck && want.targets.azure) {
          delete want.targets.azure.approvalMode;
          if (!Object.keys(want.targets.azure).length) delete want.targets.azure;
        }
        const got = normalizeForCompare(back.pipeline!);
        if (hasCheck) for (const s of want.stages) if (s.approval) s.approval.notify = [];
        expect(got).toEqual(want);
        // The imported pipeline is a valid neutral document.
        const v = validate(toYaml(denormalize(back.pipeline!)), { file: "roundtrip.yaml" });
        expect(v.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        // A second round trip changes nothing: compile(import(compile(x))) is a fixed point.
        const second = compile(back.pipeline!);
        const third = importFiles(second.files.map((f) => ({ path: f.path, content: f.content })));
        expect(compile(third.pipeline!).files).toEqual(second.files);
      });
    }
  }
});
