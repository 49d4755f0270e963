/**
 * The CI recipes of docs/ci.md (the YAML blocks marked `# recipe: NAME`), run as their CI would
 * run them, as a dry run against the Cloud Build emulator with the built CLI on PATH as `pipeglot`
 * (a fake npm records the install): the Azure Pipelines template's bash steps in order (env with
 * ${{ parameters.* }} filled in, ##vso output variables read back, step conditions as written),
 * and the Cloud Build step's script (its substitutions filled in, $$ unescaped).
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";
import { ciSandbox } from "../helpers/ci-sandbox.js";

const doc = readFileSync(join(REPO, "docs/ci.md"), "utf8");
/** The fenced YAML block of docs/ci.md whose first line is `# recipe: NAME`. */
function recipe(name: string): unknown {
  const block = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(`# recipe: ${name}\n`));
  if (!block) throw new Error(`docs/ci.md has no block "# recipe: ${name}"`);
  return parse(block);
}

const box = ciSandbox("pipeglot-recipes-");
const WORK = box.work;
const BIN_DIR = box.binDir;
const NPM_LOG = box.npmLog;

const bash = (script: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> =>
  new Promise((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-c", script], {
      cwd: WORK,
      env: { ...process.env, ...box.emu.env, NO_COLOR: "1", PATH: `${BIN_DIR}:${process.env.PATH}`, AGENT_TEMPDIRECTORY: WORK, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });

interface AzureStep {
  bash?: string;
  task?: string;
  name?: string;
  displayName?: string;
  condition?: string;
  env?: Record<string, string>;
}
interface AzureTemplate {
  parameters: { name: string; type?: string; default: unknown }[];
  steps: AzureStep[];
}

/** Azure's template expansion of ${{ parameters.x }}: a boolean becomes True or False. */
const azureValue = (v: unknown) => (v === true ? "True" : v === false ? "False" : String(v));

/**
 * The template's bash steps in order, as an agent runs them: ${{ parameters.* }} expanded,
 * conditions evaluated (the three forms the template uses), output variables read from ##vso.
 */
async function runAzure(given: Record<string, unknown>): Promise<{ ran: string[]; outs: Record<string, string>; failed?: string; log: string }> {
  const t = recipe("azure-template") as AzureTemplate;
  const params = Object.fromEntries(t.parameters.map((p) => [p.name, azureValue(given[p.name] ?? p.default)]));
  const expand = (s: string) => s.replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_, n: string) => params[n] ?? "");
  const vars: Record<string, string> = {};
  const ran: string[] = [];
  let log = "";
  for (const step of t.steps) {
    if (step.bash === undefined) continue;
    const cond = step.condition ? expand(step.condition) : "succeeded()";
    const eqs = [...cond.matchAll(/(ne|eq)\((?:'([^']*)'|variables\['([\w.]+)'\]), '([^']*)'\)/g)];
    const holds = eqs.every((m) => {
      const left = m[2] ?? vars[m[3]!] ?? "";
      const same = left.toLowerCase() === m[4]!.toLowerCase();
      return m[1] === "eq" ? same : !same;
    });
    if (!holds) continue;
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v))]));
    const r = await bash(step.bash, env);
    ran.push(step.displayName ?? step.bash);
    log += r.out;
    for (const m of r.out.matchAll(/^##vso\[task\.setvariable variable=(\w+);isOutput=true\](.*)$/gm)) vars[`${step.name}.${m[1]}`] = m[2]!;
    if (r.code !== 0) return { ran, outs: vars, failed: step.displayName, log };
  }
  return { ran, outs: vars, log };
}

describe("docs/ci.md: the Azure Pipelines template", () => {
  it("installs the requested version, validates, and without a target skips plan and apply", async () => {
    const r = await runAzure({ version: "0.1.0" });
    expect(r.failed, r.log).toBeUndefined();
    expect(r.ran).toEqual(["Install pipeglot", "Validate"]);
    expect(readFileSync(NPM_LOG, "utf8")).toContain("install --global --no-fund --no-audit @pipeglot/cli@0.1.0");
  });

  it("failOnDrift: the missing pipeline fails the plan step (drift=true), the plan uploaded as a summary", async () => {
    const r = await runAzure({ target: "gcp", failOnDrift: true });
    expect(r.failed).toBe("Plan (drift gate)");
    expect(r.outs["plan.drift"]).toBe("true");
    expect(r.log).toContain("##vso[task.logissue type=error]the live pipelines differ from pipeglot.yaml");
    expect(r.log).toMatch(/##vso\[task\.uploadsummary\].*pipeglot-plan\.md/);
  });

  it("apply: plan then apply of the saved plan; the next run is in sync and applies nothing", async () => {
    const first = await runAzure({ target: "gcp", apply: true });
    expect(first.failed, first.log).toBeUndefined();
    expect(first.ran).toEqual(["Install pipeglot", "Validate", "Plan (drift gate)", "Apply the saved plan"]);
    expect(first.log).toContain("Apply complete.");
    const second = await runAzure({ target: "gcp", failOnDrift: true, apply: true });
    expect(second.failed, second.log).toBeUndefined();
    expect(second.outs["plan.drift"]).toBe("false");
    expect(second.ran).not.toContain("Apply the saved plan");
  });
});

interface CloudBuild {
  steps: { id: string; name: string; entrypoint: string; env: string[]; args: string[] }[];
  substitutions: Record<string, string>;
}

/** The step's script as Cloud Build runs it: substitutions filled in, then $$ → $. */
async function runCloudBuild(subs: Record<string, string>) {
  const cb = recipe("cloudbuild-step") as CloudBuild;
  const all = { ...cb.substitutions, ...subs };
  const fill = (s: string) => s.replace(/\$\{(_[A-Z_]+)\}/g, (_, n: string) => all[n] ?? "").replace(/\$\$/g, "$");
  const step = cb.steps[0]!;
  expect(step.entrypoint).toBe("bash");
  expect(step.args[0]).toBe("-c");
  const env = Object.fromEntries(step.env.map((e) => fill(e)).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  return bash(fill(step.args[1]!), env);
}

describe("docs/ci.md: the Cloud Build step", () => {
  it("fails on drift without apply; applies with _PIPEGLOT_APPLY=true; then reports in sync", async () => {
    writeFileSync(
      join(WORK, "pipeglot.yaml"),
      readFileSync(join(WORK, "pipeglot.yaml"), "utf8").replace("run: npm ci && npm run lint", "run: npm ci && npm run lint -- --cache"),
    );
    const drift = await runCloudBuild({});
    expect(drift.code, drift.out).toBe(1);
    expect(drift.out).toContain("Drift: the live pipelines differ from pipeglot.yaml");
    const applied = await runCloudBuild({ _PIPEGLOT_APPLY: "true" });
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain("Apply complete.");
    const again = await runCloudBuild({});
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain("In sync: nothing to apply.");
  });
});
