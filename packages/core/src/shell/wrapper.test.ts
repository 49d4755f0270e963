/**
 * Every feature of the shell wrapper, run through real bash: what the step's command did (a
 * counter file, its output, its exit status) against what the wrapper promised, for each dialect.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { shQuote } from "./quote.js";
import { cdTarget, execUnit, retryLoop, wrap, type WrapperDialect } from "./wrapper.js";

// Each case starts bash a few times: on a loaded machine that is slow, never wrong.
vi.setConfig({ testTimeout: 180_000 });

const root = mkdtempSync(join(tmpdir(), "pg-wrapper-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `f${n++}`);

const bash = (script: string, args: string[] = [], cwd = root) => {
  const r = spawnSync("bash", ["-c", script, ...args], { encoding: "utf8", cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

const SEQ: WrapperDialect = { vars: { tries: "t_try", status: "t_fail", tolerated: "t_exit", skipped: "t_skip" }, retry: "seq", tolerate: "reset" };
const GROUPED: WrapperDialect = {
  vars: { tries: "g_try", status: "g_rc", tolerated: "g_failed", skipped: "g_skipped" },
  retry: "grouped",
  tolerate: "message",
  skipMessage: "skipped: it's so",
};
const dialects = fc.constantFrom(SEQ, GROUPED);
const forms = fc.constantFrom("export" as const, "env" as const);

/** What the wrapper left: its status, then its four variables (empty when unset). */
const report = (d: WrapperDialect) => {
  const v = d.vars;
  return `; printf '%s|%s|%s|%s' "$?" "\${${v.tries}:-}" "\${${v.tolerated}:-}" "\${${v.skipped}:-}"`;
};
const lastLine = (s: string) => s.split("\n").pop()!.split("|");

/** A command that fails `k` times with `code`, then succeeds; it counts its runs in `file`. */
const flaky = (file: string, k: number, code: number) =>
  `n=$(cat ${shQuote(file)} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${shQuote(file)}; [ $n -gt ${k} ] || exit ${code}`;

const text = fc.string({ unit: "binary", maxLength: 24 }).map((s) => s.replace(/\0/g, ""));

describe("core's shell wrapper, checked by bash itself", () => {
  it("retries: at most retries+1 attempts, the last attempt's status, the attempts in the tries variable", () => {
    fc.assert(
      fc.property(dialects, forms, fc.nat(4), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), (d, form, k, retries, code) => {
        const file = fresh();
        const exec = execUnit({ runner: "bash -c", command: flaky(file, k, code), form });
        const [status, tries] = lastLine(bash(wrap({ exec, retries }, d) + report(d)).stdout);
        const attempts = Math.min(k + 1, retries + 1);
        expect(Number(readFileSync(file, "utf8"))).toBe(attempts);
        expect(status).toBe(k <= retries ? "0" : String(code));
        expect(tries).toBe(String(attempts));
      }),
      { numRuns: 40 },
    );
  });

  it("retries, script form: the script exits with the last status and says each failed attempt", () => {
    const d: WrapperDialect = { ...SEQ, retry: "script" };
    fc.assert(
      fc.property(fc.nat(3), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), (k, retries, code) => {
        const file = fresh();
        const r = bash(retryLoop('bash -c "$1"', retries + 1, d), ["pipeglot", flaky(file, k, code)]);
        const attempts = Math.min(k + 1, retries + 1);
        expect(Number(readFileSync(file, "utf8"))).toBe(attempts);
        expect(r.status).toBe(k <= retries ? 0 : code);
        expect(r.stderr.split("\n").filter((l) => l.startsWith("pipeglot: attempt")).length).toBe(k <= retries ? k : attempts);
      }),
      { numRuns: 20 },
    );
  });

  it("continue-on-error: the wrapper succeeds, the tolerated variable holds the command's real status", () => {
    fc.assert(
      fc.property(dialects, forms, fc.nat(7), fc.nat(2), (d, form, code, retries) => {
        const exec = execUnit({ runner: "bash -c", command: `exit ${code}`, form });
        const [status, , tolerated] = lastLine(bash(wrap({ exec, retries, continueOnError: true }, d) + report(d)).stdout);
        expect(status).toBe("0");
        if (code !== 0) expect(tolerated).toBe(String(code));
        else expect(["", "0"]).toContain(tolerated);
      }),
      { numRuns: 30 },
    );
  });

  it("guard: the command runs only when the test holds; else the skipped variable is 1", () => {
    fc.assert(
      fc.property(dialects, text, text, (d, value, wanted) => {
        const file = fresh();
        const exec = execUnit({ runner: "bash -c", command: `touch ${shQuote(file)}`, form: "env" });
        const guard = `[ "\${PG_X}" = ${shQuote(wanted)} ]`;
        const r = bash(`PG_X=${shQuote(value)}; ${wrap({ exec, guard }, d)}${report(d)}`);
        const [status, , , skipped] = lastLine(r.stdout);
        expect(status).toBe("0");
        expect(skipped).toBe(value === wanted ? "" : "1");
        expect(spawnSync("test", ["-e", file]).status === 0).toBe(value === wanted);
        if (value !== wanted && d.skipMessage) expect(r.stdout).toContain(d.skipMessage);
      }),
      { numRuns: 40 },
    );
  });

  it("env: each value reaches the command byte for byte, and the command is one exact argument", () => {
    fc.assert(
      fc.property(forms, fc.array(text, { minLength: 1, maxLength: 3 }), text, (form, values, command) => {
        const env = values.map((v, i) => `PG_V${i}=${shQuote(v)}`);
        const print = values.map((_, i) => `printf '%s\\0' "$PG_V${i}"`).join("; ");
        const out = bash(execUnit({ runner: "bash -c", command: `${print}; printf '%s' "$0"`, env, form })).stdout;
        expect(out.split("\0")).toEqual([...values, "bash"]);
        // The command itself: a printf of random text, quoted once, printed back exactly.
        const echoed = bash(execUnit({ runner: "bash -c", command: `printf '%s' ${shQuote(command)}`, form })).stdout;
        expect(echoed).toBe(command);
      }),
      { numRuns: 40 },
    );
  });

  it("working directory: the command runs there, even for a name that starts with - or holds quotes", () => {
    fc.assert(
      fc.property(
        forms,
        fc.stringMatching(/^[-a-z' ]{1,10}$/).filter((s) => s.trim() === s && !/^\.+$/.test(s)),
        (form, dir) => {
          mkdirSync(join(root, dir), { recursive: true });
          const out = bash(execUnit({ runner: "bash -c", command: "pwd", cwd: shQuote(cdTarget(dir)), form })).stdout.trim();
          expect(out).toBe(join(root, dir));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("timeout: a command over its time is ended with 124; one within it keeps its own status", () => {
    const slow = bash(wrap({ exec: execUnit({ runner: "bash -c", command: "sleep 5", timeout: 1, form: "export" }) }, SEQ) + report(SEQ)).stdout;
    expect(lastLine(slow)[0]).toBe("124");
    const quick = bash(
      wrap({ exec: execUnit({ runner: "bash -c", command: "exit 3", timeout: 5, form: "export" }), continueOnError: true }, SEQ) + report(SEQ),
    ).stdout;
    expect(lastLine(quick).slice(0, 3)).toEqual(["0", "", "3"]);
  });

  it("a command's own exit, cd or export does not reach the wrapper's shell", () => {
    for (const d of [SEQ, GROUPED]) {
      const exec = execUnit({ runner: "bash -c", command: "cd /; export PG_LEAK=1; exit 4", form: "export" });
      const r = bash(`${wrap({ exec, retries: 1, continueOnError: true }, d)}; printf '%s|%s' "$PWD" "\${PG_LEAK:-}"`);
      expect(r.stdout.split("\n").pop()).toBe(`${root}|`);
    }
  });
});
