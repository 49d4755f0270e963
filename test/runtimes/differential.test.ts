/**
 * The differential test of issue 15: the same definition, run locally by the neutral reference
 * interpreter and by each cloud's runtime model on that cloud's COMPILED output, must leave the
 * same trace — except where a diagnostic of that compile names the difference. An unnamed
 * difference fails, with every finding printed.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { PROVIDER_IDS, validate, validateFile, type PipelineIR, type ProviderId } from "@pipeglot/schema";
import { defaultInputs, differentialRun, renderFinding, type Finding, type Trace } from "@pipeglot/runtimes";
import { provider as aws } from "@pipeglot/aws";
import { provider as azure } from "@pipeglot/azure";
import { provider as gcp } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import { runnableArb } from "../helpers/runnable.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "../..");
const PROVIDERS = { aws, azure, gcp, oci };
const RUNS = Number(process.env.RUNTIME_RUNS ?? 12);
const SEED = process.env.RUNTIME_SEED ? Number(process.env.RUNTIME_SEED) : undefined;
/** PG_DIFF_ONLY=aws (or a list): check only those clouds' findings (while working on one). */
const ONLY = process.env.PG_DIFF_ONLY ? process.env.PG_DIFF_ONLY.split(",") : undefined;

interface Differential {
  reference: Trace;
  traces: Partial<Record<ProviderId, Trace>>;
  unexplained: Partial<Record<ProviderId, Finding[]>>;
}

/** Runs the five targets and returns each cloud's findings that no diagnostic names (a refused compile runs nothing: it said why). */
async function differential(ir: PipelineIR, record: boolean, source?: string, branch?: string): Promise<Differential> {
  const opts = { record, reject: [], inputs: defaultInputs(ir, branch ? { branch } : {}), ...(source ? { source } : {}) };
  const outputs = Object.fromEntries(PROVIDER_IDS.map((id) => [id, PROVIDERS[id].compile(ir)]));
  const r = await differentialRun(ir, ["neutral", ...PROVIDER_IDS], outputs, () => opts);
  if (!r.reference) throw new Error("the reference did not run");
  const traces = Object.fromEntries(r.traces.filter((t) => t.target !== "neutral").map((t) => [t.target, t]));
  const unexplained = Object.fromEntries(
    Object.entries(r.findings)
      .filter(([id]) => !ONLY || ONLY.includes(id))
      .map(([id, l]) => [id, l.filter((f) => !f.explainedBy)])
      .filter(([, l]) => l.length),
  );
  return { reference: r.reference, traces, unexplained };
}

const report = (u: Differential["unexplained"]) =>
  Object.entries(u)
    .flatMap(([id, list]) => list.map((f) => `${id}: ${renderFinding(f)}`))
    .join("\n");

const EXAMPLES = readdirSync(join(REPO, "examples")).filter((d) => !d.startsWith("."));

describe("every example, recorded on the five targets", () => {
  it.each(EXAMPLES)(
    "%s: each cloud's trace equals the reference except where a diagnostic names the difference",
    async (name) => {
      const file = join(REPO, "examples", name, "pipeglot.yaml");
      const { ir } = await validateFile(file);
      if (!ir) throw new Error(`${file} does not validate`);
      const d = await differential(ir, true, join(REPO, "examples", name));
      expect(d.reference.jobs.length).toBeGreaterThan(0);
      expect(report(d.unexplained)).toBe("");
    },
    120_000,
  );
});

it("the behaviour fixture (real commands) succeeds on all five targets, with the same trace except where a diagnostic names it", async () => {
  const dir = join(REPO, "test/fixtures/runtimes/behaviour");
  const { ir } = await validateFile(join(dir, "pipeglot.yaml"));
  if (!ir) throw new Error("the behaviour fixture does not validate");
  const d = await differential(ir, false, join(dir, "src"));
  expect(d.reference.outcome).toBe("succeeded");
  for (const id of PROVIDER_IDS.filter((p) => !ONLY || ONLY.includes(p))) expect([id, d.traces[id]?.outcome]).toEqual([id, "succeeded"]);
  expect(report(d.unexplained)).toBe("");
}, 120_000);

it(`random runnable definitions on random branches (${RUNS} runs): the reference succeeds, and each cloud's trace equals it except where a diagnostic names the difference`, async () => {
  await fc.assert(
    fc.asyncProperty(runnableArb, fc.constantFrom("main", "release/1.2", "feature/x"), async (doc, branch) => {
      const r = validate(stringify(doc), { file: "random.yaml" });
      if (!r.ir) throw new Error(`the generator made an invalid definition:\n${r.diagnostics.map((x) => x.message).join("\n")}`);
      const d = await differential(r.ir, false, undefined, branch);
      expect(d.reference.outcome).toBe("succeeded");
      expect(report(d.unexplained)).toBe("");
    }),
    { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
  );
}, 600_000);
