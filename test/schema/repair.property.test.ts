/**
 * The import invariant as a property: whatever an importer hands over (here: the bundled examples'
 * IRs, corrupted at random in every way the format forbids), `repair` returns a pipeline that
 * `validate` accepts, and it never throws. `validate` is the independent judge.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { denormalize, repair, validate, type PipelineIR } from "@pipeglot/schema";
import { toYaml } from "@pipeglot/core";
import { examples } from "../helpers/paths.js";

const IRS: PipelineIR[] = examples().map((e) => validate(readFileSync(e.file, "utf8"), { file: e.file }).ir!);

/** Text that breaks names and expressions: separators, spaces, macros, unicode, empty. */
const nasty = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "OpenAPI Spec",
    "nrftc-$(Agent.OS)",
    "Build_App",
    "build-app",
    "${{",
    "${{ vars.NOPE }}",
    "${{ matrix.os }}",
    "${{ secrets.S }}",
    "-lead",
    "ü",
    "a".repeat(130),
  ),
  fc.string({ maxLength: 12 }),
);

type Mutation = (ir: PipelineIR, pick: number, text: string) => void;
const at = <T>(xs: readonly T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
const jobs = (ir: PipelineIR) => ir.stages.flatMap((s) => s.jobs);
const steps = (ir: PipelineIR) => jobs(ir).flatMap((j) => j.steps);

const MUTATIONS: Mutation[] = [
  (ir, n, t) => void (at(ir.stages, n)!.name = t),
  (ir, n, t) => void (at(jobs(ir), n)!.name = t),
  (ir, n, t) => void ((at(steps(ir), n) ?? { name: "" }).name = t),
  (ir, n) => void (at(ir.stages, n)!.name = at(ir.stages, n + 1)!.name),
  (ir, n, t) => void at(ir.stages, n)!.needs.push(t, at(ir.stages, n + 1)!.name),
  (ir, n, t) => void at(jobs(ir), n)!.needs.push(t),
  (ir, n) => {
    const s = at(ir.stages, n)!;
    for (const j of s.jobs) j.needs.push(...s.jobs.map((k) => k.name));
  },
  (ir, n) => void (at(jobs(ir), n)!.steps = []),
  (ir, n) => void ((at(steps(ir), n) ?? ({} as { native?: unknown })).native = { azure: { task: "X@1" } }),
  (ir, n) => {
    const st = at(steps(ir), n);
    if (st) delete st.run;
  },
  (ir, n, t) => void at(jobs(ir), n)!.consumes.push(t),
  (ir, n, t) => void at(jobs(ir), n)!.produces.push({ name: t, paths: n % 2 ? [] : ["x/**"] }),
  (ir) => void (ir.stages[0]!.approval = { approvers: [], notify: [] }),
  (ir) => void (ir.stages[0]!.transition = { enabled: false }),
  (ir, _n, t) => void ir.triggers.schedules.push({ cron: t, branches: [t], always: true }),
  (ir, n) => void (at(jobs(ir), n)!.retries = n * 7),
  (ir, n, t) => {
    const st = at(steps(ir), n);
    if (st?.run !== undefined) st.run += t;
  },
  (ir, n, t) => void (at(jobs(ir), n)!.env[`E${n}`] = t),
  (ir, n, t) => void (at(jobs(ir), n)!.env[t] = "v"),
  (ir, n, t) => void ((at(steps(ir), n) ?? { env: {} as Record<string, string> }).env[`${t}=1;touch X`] = t),
  (ir, n, t) => void (at(jobs(ir), n)!.condition = { status: "success", branches: [], variables: { [t]: "x", [t.toUpperCase()]: "y" } }),
  (ir, _n, t) => void (ir.variables[t] = { default: t, overridable: true }),
  (ir, _n, t) => void (ir.secrets[t] = { aws: "ssm:/x" }),
  (ir, _n, t) => void (ir.name = t),
  (ir, n, t) => void (at(jobs(ir), n)!.matrix = { [t || "k"]: n % 2 ? [] : ["a"] }),
];

describe("repair: any corruption of a valid pipeline is repaired into one validate accepts", () => {
  it("holds for random corruptions of the examples", () => {
    fc.assert(
      fc.property(
        fc.nat(IRS.length - 1),
        fc.array(fc.tuple(fc.nat(MUTATIONS.length - 1), fc.nat(50), nasty), { minLength: 1, maxLength: 8 }),
        (which, muts) => {
          const ir = structuredClone(IRS[which]!);
          for (const [m, n, t] of muts) MUTATIONS[m]!(ir, n, t);
          const r = repair(ir);
          const errors = validate(toYaml(denormalize(r.ir)), { file: "repaired.yaml" }).diagnostics.filter((d) => d.severity === "error");
          expect(errors.map((d) => `${d.code} ${d.path} ${d.message}`)).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });
});
