/**
 * The composite GitHub Action (action.yml) run as a runner runs it: its steps in order, each
 * `run:` script through `bash --noprofile --norc -eo pipefail` (GitHub's `shell: bash`), its env
 * with `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` filled in from the inputs a workflow
 * passes (defaults from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the built CLI
 * on PATH as `pipeglot`, against the Cloud Build emulator. `uses:` steps (setup-node) are the
 * runner's, not run here; a fake npm records the install.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";
import { ciSandbox } from "../helpers/ci-sandbox.js";

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(REPO, "action.yml"), "utf8")) as Action;
const box = ciSandbox("pipeglot-action-");
const WORK = box.work;
const BIN_DIR = box.binDir;
const NPM_LOG = box.npmLog;
const SECRET = "tok-ACTION-DO-NOT-PRINT-5d0e";

interface StepRun {
  name: string;
  code: number | null;
  out: string;
  outputs: Record<string, string>;
}

/** ${{ inputs.x }} and ${{ steps.s.outputs.y }} in an env value; nothing else is allowed there. */
function expand(value: string, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    let m = /^inputs\.([\w-]+)$/.exec(expr);
    if (m) return inputs[m[1]!] ?? "";
    m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (m) return outputs[m[1]!]?.[m[2]!] ?? "";
    throw new Error(`unexpected expression in action.yml env: ${expr}`);
  });
}

const bash = (script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> =>
  new Promise((resolve) => {
    const file = join(WORK, ".step.sh");
    writeFileSync(file, script);
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", file], { cwd: WORK, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });

/** Run the action's steps in order, stopping at the first that fails (as a runner does). */
async function runAction(given: Record<string, string>): Promise<{ steps: StepRun[]; summary: string }> {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, given[k] ?? v.default ?? ""]));
  const outputs: Record<string, Record<string, string>> = {};
  const summary = join(WORK, ".summary.md");
  writeFileSync(summary, "");
  const steps: StepRun[] = [];
  for (const step of action.runs.steps) {
    if (step.uses) continue;
    const outFile = join(WORK, ".output");
    writeFileSync(outFile, "");
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), inputs, outputs)]));
    const env = {
      ...process.env,
      ...box.emu.env,
      NO_COLOR: "1",
      GOOGLE_OAUTH_ACCESS_TOKEN: SECRET,
      PATH: `${BIN_DIR}:${process.env.PATH}`,
      GITHUB_OUTPUT: outFile,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: WORK,
      ...stepEnv,
    };
    const r = await bash(step.run!, env);
    const stepOutputs = Object.fromEntries(
      readFileSync(outFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    if (step.id) outputs[step.id] = stepOutputs;
    steps.push({ name: step.name, code: r.code, out: r.out, outputs: stepOutputs });
    if (r.code !== 0) break;
  }
  return { steps, summary: readFileSync(summary, "utf8") };
}

const named = (steps: StepRun[], name: string) => steps.find((s) => s.name === name);

describe("action.yml", () => {
  it("is a composite action whose run steps use bash and read inputs only through env (no ${{ }} in a script)", () => {
    expect(action.runs.using).toBe("composite");
    const runs = action.runs.steps.filter((s) => s.run !== undefined);
    expect(runs.map((s) => s.name)).toEqual(["Install pipeglot", "Validate", "Plan (drift gate)", "Apply the saved plan"]);
    for (const s of runs) {
      expect(s.shell).toBe("bash");
      expect(s.run).not.toContain("${{");
    }
  });

  it("install: npm installs the requested @pipeglot/cli version", async () => {
    const { steps } = await runAction({ version: "0.1.0" });
    expect(named(steps, "Install pipeglot")?.code).toBe(0);
    expect(readFileSync(NPM_LOG, "utf8")).toContain("install --global --no-fund --no-audit @pipeglot/cli@0.1.0");
  });

  it("without a target it validates only (drift=false)", async () => {
    const { steps } = await runAction({ install: "false" });
    expect(steps.map((s) => s.code)).toEqual([0, 0, 0, 0]);
    expect(named(steps, "Plan (drift gate)")?.outputs.drift).toBe("false");
  });

  it("an invalid definition fails the Validate step with ::error annotations, and nothing after it runs", async () => {
    writeFileSync(join(WORK, "bad.yaml"), readFileSync(join(WORK, "pipeglot.yaml"), "utf8") + "colour: blue\n");
    const { steps } = await runAction({ install: "false", definition: "bad.yaml", target: "gcp" });
    expect(steps.map((s) => s.name)).toEqual(["Install pipeglot", "Validate"]);
    expect(steps[1]!.code).toBe(1);
    expect(steps[1]!.out).toMatch(/^::error file=bad\.yaml,line=\d+,col=1,.*::unknown key "colour"/m);
  });

  it("fail-on-drift: the pipeline missing live fails the Plan step (drift=true), the plan in the job summary", async () => {
    const { steps, summary } = await runAction({ install: "false", target: "gcp", "fail-on-drift": "true" });
    const plan = named(steps, "Plan (drift gate)")!;
    expect(plan.code, plan.out).toBe(1);
    expect(plan.outputs.drift).toBe("true");
    expect(plan.out).toContain("::error file=pipeglot.yaml::the live pipelines differ");
    expect(summary).toContain("| Provider | Pipeline | Create | Update | Delete | Unchanged | Blocked |");
    expect(summary).toMatch(/\| gcp \| shop-web \| [1-9]/);
    expect(named(steps, "Apply the saved plan")).toBeUndefined();
  });

  it("apply: the saved plan is applied (exit 0), with extra args passed through", async () => {
    const { steps } = await runAction({ install: "false", target: "gcp", apply: "true", args: "--retries 3" });
    expect(steps.map((s) => s.code)).toEqual([0, 0, 0, 0]);
    expect(named(steps, "Plan (drift gate)")?.outputs["plan-file"]).toBe("pipeglot.plan");
    const apply = named(steps, "Apply the saved plan")!;
    expect(apply.out).toContain("Apply complete.");
    expect(readFileSync(join(WORK, "pipeglot.plan"), "utf8")).not.toContain(SECRET);
  });

  it("then the drift gate passes (drift=false) and apply has nothing to do", async () => {
    const { steps } = await runAction({ install: "false", target: "gcp", "fail-on-drift": "true", apply: "false" });
    expect(steps.map((s) => s.code)).toEqual([0, 0, 0, 0]);
    expect(named(steps, "Plan (drift gate)")?.outputs.drift).toBe("false");
    for (const s of steps) expect(s.out).not.toContain(SECRET);
  });

  it("an error in plan (a usage error included) fails the step with exit 1, never reads as drift", async () => {
    const { steps } = await runAction({ install: "false", target: "gcp", args: "--no-such-option" });
    const plan = named(steps, "Plan (drift gate)")!;
    expect(plan.code).toBe(1);
    expect(plan.outputs.drift).toBeUndefined();
  });
});
