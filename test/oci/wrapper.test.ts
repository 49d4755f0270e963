/**
 * pipeglot's OCI step wrapper: its status is what the definition says (the last attempt's exit
 * status; 0 when continueOnError tolerated a failure, or when the guard skipped the step), and it
 * leaves pg_try / pg_failed / pg_skipped saying what happened to the step's own command. The
 * importer reads the wrapper back, and still reads the older `|| true` / `exit 1` loop form.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { validate } from "@pipeglot/schema";
import { compile, parseWrapped } from "@pipeglot/oci";

const definition = (step: string) => `pipeglot: 1
name: w
source: { repository: acme/w, branch: main }
stages:
  - name: s
    jobs:
      - name: j
        image: OL8_X86_64_STANDARD_10
        steps:
          - ${step}
`;

/** The compiled command of the job's only step. */
function commandOf(step: string): string {
  const ir = validate(definition(step)).ir;
  if (!ir) throw new Error("does not validate");
  const spec = compile(ir).files.find((f) => f.path === "build_specs/s.j.yaml");
  const m = /command: \|-?\n((?: {6}.*\n?)+)/.exec(spec?.content ?? "");
  if (!m) throw new Error(`no command in\n${spec?.content}`);
  return m[1]!.replace(/^ {6}/gm, "").replace(/\n$/, "");
}

/** Runs the command with bash on a branch; returns its exit status and the wrapper's variables. */
function run(command: string, branch: string): string {
  const script = `${command}\npg_x=$?; echo "exit=$pg_x try=\${pg_try:-} failed=\${pg_failed:-} skipped=\${pg_skipped:-}"`;
  const r = spawnSync("bash", ["-c", script], { env: { PATH: process.env.PATH, OCI_TRIGGER_SOURCE_BRANCH_NAME: branch }, encoding: "utf8" });
  return r.stdout.trim().split("\n").pop() ?? "";
}

describe("oci step wrapper", () => {
  it("retries then tolerates: two attempts of exit 3, the step's shell goes on with exit 0 and pg_failed=3", () => {
    const c = commandOf('{ name: t, retries: 1, continueOnError: true, condition: { branches: [main] }, run: "echo x; exit 3" }');
    expect(run(c, "main")).toBe("exit=0 try=2 failed=3 skipped=");
    expect(run(c, "dev")).toBe("exit=0 try= failed= skipped=1");
  });

  it("a retry loop's status is the last attempt's exit status, not a generic 1", () => {
    const c = commandOf('{ name: t, retries: 2, run: "exit 5" }');
    expect(run(c, "main")).toBe("exit=5 try=3 failed= skipped=");
    expect(run(commandOf('{ name: t, retries: 2, run: "true" }'), "main")).toBe("exit=0 try=1 failed= skipped=");
  });

  it("the importer reads the wrapper back, and the older `|| true` / `exit 1` form", () => {
    const c = commandOf('{ name: t, retries: 1, continueOnError: true, condition: { branches: [main] }, run: "echo x; exit 3" }');
    const parts = { text: "echo x; exit 3", shell: "bash", env: [], retries: 1, continueOnError: true, clauses: [{ kind: "branches", patterns: ["main"] }] };
    expect(parseWrapped(c)).toEqual(parts);
    const older = `# pipeglot: generated wrapper, the step's command is the quoted argument of -c
if [[ "\${OCI_TRIGGER_SOURCE_BRANCH_NAME}" == main ]]; then for pg_try in 1 2; do env bash -c 'echo x; exit 3' && break; if [ "$pg_try" = 2 ]; then exit 1; fi; done || true; else echo 'pipeglot: condition not met, step skipped'; fi`;
    expect(parseWrapped(older)).toEqual(parts);
  });
});
