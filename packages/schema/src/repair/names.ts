/**
 * Names an imported pipeline may carry that the format refuses: characters outside its alphabet,
 * names that collide once providers fold case and separators, empty names. Each is changed to a
 * unique legal name and every reference to it follows (needs, consumes, job ids, ${{ }} references).
 */
import { ENV_NAME_PATTERN, NAME_PATTERN } from "../document.js";
import { foldName, forEachCondition } from "../checks/names.js";
import { pointer } from "../diagnostics.js";
import { formatTemplate, parseTemplate, type Segment } from "../expressions.js";
import type { JobIR, PipelineIR, StepIR } from "../ir.js";
import type { Repairs } from "./report.js";

/** `raw` in the format's name alphabet: letters, digits, '.', '_', '-', starting with a letter or digit. */
export function legalName(raw: string, max = 100, fallback = "unnamed"): string {
  const n = raw
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, max);
  return n || fallback;
}

/** `raw` as an environment-variable name: letters, digits and '_', not starting with a digit. */
function legalEnvName(raw: string): string {
  const n = raw.replace(/[^A-Za-z0-9_]+/g, "_");
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}

/** Suffix `-2`, `-3`… (kept within `max`) until `fold(candidate)` is free. */
function unique(base: string, taken: Set<string>, fold: (s: string) => string, max: number, sep: string): string {
  let out = base;
  for (let i = 2; taken.has(fold(out)); i++) out = `${base.slice(0, max - `${sep}${i}`.length)}${sep}${i}`;
  taken.add(fold(out));
  return out;
}

/** New names for `names`, in order: legal ones that do not collide are kept as they are. */
function renameAll(names: readonly string[], max: number, fallback: string): string[] {
  const taken = new Set<string>();
  return names.map((n) => unique(NAME_PATTERN.test(n) && n.length <= max ? n : legalName(n, max, fallback), taken, foldName, max, "-"));
}

export function repairNames(ir: PipelineIR, r: Repairs): void {
  const fixed = renameAll([ir.name], 64, "pipeline")[0]!;
  if (fixed !== ir.name) r.report("PG-IMPORT-NAME-FOLDED", "/name", `pipeline name ${JSON.stringify(ir.name)} became ${JSON.stringify(fixed)}`);
  ir.name = fixed;
  renameStages(ir, r);
  ir.stages.forEach((s, i) => {
    renameJobs(s.name, s.jobs, `/stages/${i}`, r);
    s.jobs.forEach((j, k) => renameSteps(j.steps, `/stages/${i}/jobs/${k}`, r));
  });
  renameArtifacts(ir, r);
  renameParameters(ir, r);
  ir.stages.forEach((s, i) =>
    s.jobs.forEach((j, k) => {
      renameMatrix(j, `/stages/${i}/jobs/${k}`, r);
      j.env = envKeys(j.env, `/stages/${i}/jobs/${k}/env`, "environment variable", r);
      j.steps.forEach((st, n) => (st.env = envKeys(st.env, `/stages/${i}/jobs/${k}/steps/${n}/env`, "environment variable", r)));
    }),
  );
  forEachCondition(ir, (c, ptr) => (c.variables = envKeys(c.variables, `${ptr}/variables`, "condition variable", r)));
}

/** Keys of an env map (or a condition's variables) under the shell's variable-name rule, unique once folded. */
function envKeys<T>(env: Record<string, T>, base: string, what: string, r: Repairs): Record<string, T> {
  if (Object.keys(env).every((k) => ENV_NAME_PATTERN.test(k))) return env;
  const taken = new Set<string>();
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => {
      const to = unique(ENV_NAME_PATTERN.test(k) ? k : legalEnvName(k), taken, (s) => s, 200, "_");
      if (to !== k) r.report("PG-IMPORT-NAME-FOLDED", base + pointer([k]), `${what} name ${JSON.stringify(k)} became ${JSON.stringify(to)}`);
      return [to, v];
    }),
  );
}

function renameStages(ir: PipelineIR, r: Repairs): void {
  const next = renameAll(
    ir.stages.map((s) => s.name),
    100,
    "stage",
  );
  const map = new Map<string, string>();
  ir.stages.forEach((s, i) => {
    if (next[i] === s.name) return void (map.has(s.name) || map.set(s.name, s.name));
    r.report("PG-IMPORT-NAME-FOLDED", `/stages/${i}/name`, `stage name ${JSON.stringify(s.name)} became ${JSON.stringify(next[i])}`);
    if (!map.has(s.name)) map.set(s.name, next[i]!);
    s.name = next[i]!;
    s.id = s.name;
  });
  for (const s of ir.stages) {
    s.needs = s.needs.map((n) => map.get(n) ?? n);
    for (const j of s.jobs) j.id = `${s.name}.${j.name}`;
  }
}

function renameJobs(stage: string, jobs: JobIR[], base: string, r: Repairs): void {
  const next = renameAll(
    jobs.map((j) => j.name),
    100,
    "job",
  );
  const map = new Map<string, string>();
  jobs.forEach((j, k) => {
    if (next[k] !== j.name) r.report("PG-IMPORT-NAME-FOLDED", `${base}/jobs/${k}/name`, `job name ${JSON.stringify(j.name)} became ${JSON.stringify(next[k])}`);
    if (!map.has(j.name)) map.set(j.name, next[k]!);
    j.name = next[k]!;
    j.id = `${stage}.${j.name}`;
  });
  for (const j of jobs) j.needs = j.needs.map((n) => map.get(n) ?? n);
}

function renameSteps(steps: StepIR[], base: string, r: Repairs): void {
  const next = renameAll(
    steps.map((s) => s.name ?? s.id),
    100,
    "step",
  );
  steps.forEach((s, n) => {
    if (next[n] === (s.name ?? s.id)) return;
    r.report(
      "PG-IMPORT-NAME-FOLDED",
      `${base}/steps/${n}${s.name !== undefined ? "/name" : ""}`,
      `step name ${JSON.stringify(s.name ?? s.id)} became ${JSON.stringify(next[n])}`,
    );
    s.name = next[n]!;
    s.id = s.name;
  });
}

function renameArtifacts(ir: PipelineIR, r: Repairs): void {
  const produced = ir.stages.flatMap((s) => s.jobs.flatMap((j) => j.produces));
  const next = renameAll(
    produced.map((a) => a.name),
    100,
    "artifact",
  );
  const map = new Map<string, string>();
  let n = 0;
  ir.stages.forEach((s, i) =>
    s.jobs.forEach((j, k) =>
      j.produces.forEach((a, m) => {
        const to = next[n++]!;
        if (!map.has(a.name)) map.set(a.name, to);
        if (to !== a.name)
          r.report(
            "PG-IMPORT-NAME-FOLDED",
            `/stages/${i}/jobs/${k}/artifacts/produce/${m}/name`,
            `artifact name ${JSON.stringify(a.name)} became ${JSON.stringify(to)}`,
          );
        a.name = to;
      }),
    ),
  );
  for (const s of ir.stages)
    for (const j of s.jobs) j.consumes = j.consumes.map((c) => map.get(c) ?? (NAME_PATTERN.test(c) ? c : legalName(c, 100, "artifact")));
}

/** Variables and secrets share one namespace (both become environment variables), compared folded like every name. */
function renameParameters(ir: PipelineIR, r: Repairs): void {
  const taken = new Set<string>();
  const rename = (kind: "variables" | "secrets") => {
    const map = new Map<string, string>();
    const out: Record<string, never> = {};
    for (const [name, v] of Object.entries(ir[kind])) {
      const to = unique(ENV_NAME_PATTERN.test(name) ? name : legalEnvName(name), taken, foldName, 200, "_");
      if (to !== name) {
        r.report(
          "PG-IMPORT-NAME-FOLDED",
          `/${kind}/${name}`,
          `${kind === "variables" ? "variable" : "secret"} name ${JSON.stringify(name)} became ${JSON.stringify(to)}`,
        );
        map.set(name, to);
      }
      (out as Record<string, unknown>)[to] = v;
    }
    (ir as unknown as Record<string, unknown>)[kind] = out;
    return map;
  };
  const vars = rename("variables");
  const secrets = rename("secrets");
  if (!vars.size && !secrets.size) return;
  rewriteReferences(ir, (s) =>
    s.kind === "var" && vars.has(s.name)
      ? { ...s, name: vars.get(s.name)! }
      : s.kind === "secret" && secrets.has(s.name)
        ? { ...s, name: secrets.get(s.name)! }
        : s,
  );
  forEachCondition(ir, (c) => (c.variables = Object.fromEntries(Object.entries(c.variables).map(([k, v]) => [vars.get(k) ?? k, v]))));
}

function renameMatrix(j: JobIR, base: string, r: Repairs): void {
  if (!j.matrix) return;
  const map = new Map<string, string>();
  const taken = new Set<string>();
  j.matrix = Object.fromEntries(
    Object.entries(j.matrix).map(([k, v]) => {
      const to = unique(ENV_NAME_PATTERN.test(k) ? k : legalEnvName(k), taken, (s) => s, 200, "_");
      if (to !== k) {
        r.report("PG-IMPORT-NAME-FOLDED", `${base}/matrix/${k}`, `matrix name ${JSON.stringify(k)} became ${JSON.stringify(to)}`);
        map.set(k, to);
      }
      return [to, v];
    }),
  );
  if (map.size) rewriteJobReferences(j, (s) => (s.kind === "matrix" && map.has(s.name) ? { ...s, name: map.get(s.name)! } : s));
}

/** Rewrite the ${{ }} references of every run and env text of a job (texts without a change stay byte for byte). */
export function rewriteJobReferences(j: JobIR, f: (s: Segment) => Segment): void {
  const fix = (text: string): string => {
    const { segments, errors } = parseTemplate(text);
    if (errors.length) return text;
    const next = segments.map(f);
    return next.every((s, i) => s === segments[i]) ? text : formatTemplate(next);
  };
  j.env = Object.fromEntries(Object.entries(j.env).map(([k, v]) => [k, fix(v)]));
  for (const st of j.steps) {
    if (st.run !== undefined) st.run = fix(st.run);
    st.env = Object.fromEntries(Object.entries(st.env).map(([k, v]) => [k, fix(v)]));
  }
}

function rewriteReferences(ir: PipelineIR, f: (s: Segment) => Segment): void {
  for (const s of ir.stages) for (const j of s.jobs) rewriteJobReferences(j, f);
}
