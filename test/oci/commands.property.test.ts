/**
 * Commands survive exactly: random literal step text (quotes, $VAR, ${VAR}, $(cmd), backslashes,
 * newlines, unicode; written in the neutral syntax with escapeLiteral) goes through compile and
 * import, plain and inside the `docker run … sh -c` / `env … bash -c` wrappers. What comes back is
 * byte-identical, and what the runner would execute is that text: our shell model's unquoted -c
 * argument equals the text, and (where bash is installed) bash itself passes exactly that argument.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "yaml";
import { escapeLiteral, normalize, type PipelineDocument } from "@pipeglot/schema";
import { compile, importFiles, parseWrapped } from "@pipeglot/oci";

const HAS_BASH = spawnSync("bash", ["-c", "true"]).status === 0;

const fragment = fc.oneof(
  fc.constantFrom(
    "'",
    '"',
    "$VAR",
    "${VAR}",
    "$(cmd)",
    "`date`",
    "\\",
    "\\\\",
    "\n",
    "\t",
    " ",
    "é",
    "日本",
    "😀",
    "${{",
    "}}",
    "$${{",
    "#",
    ";",
    "&&",
    "|",
    "*",
    "~",
    "!",
    "\r\n",
    "  ",
    "-c",
    "EOF",
  ),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);
const literalText = fc
  .array(fragment, { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join("").replaceAll("\u0000", ""))
  .filter((t) => t.length > 0);

function pipelineWith(text: string): PipelineDocument {
  const run = escapeLiteral(text);
  return {
    pipeglot: 1,
    name: "prop",
    source: { repository: "acme/prop" },
    stages: [
      {
        name: "s",
        jobs: [
          { name: "plain", image: "OL8_X86_64_STANDARD_10", steps: [{ name: "a", run }] },
          { name: "docker", image: "alpine:3", steps: [{ name: "b", run, shell: "sh" }] },
          { name: "wrapped", image: "OL8_X86_64_STANDARD_10", steps: [{ name: "c", run, env: { X: "v w" }, retries: 2, continueOnError: true }] },
          { name: "docker-env", image: "node:20", steps: [{ name: "d", run, env: { Y: "it's" }, workingDirectory: "sub dir" }] },
        ],
      },
    ],
  } as PipelineDocument;
}

/** Run a wrapper in bash with `docker` and `env` replaced by functions that print their last argument. */
function bashArgument(command: string): string {
  const prelude = 'docker() { printf "%s" "${@: -1}"; }; env() { printf "%s" "${@: -1}"; }; cd() { :; }\n';
  const r = spawnSync("bash", ["-c", prelude + command], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  return r.stdout;
}

describe("commands survive compile and import byte for byte", () => {
  it("round trip, shell model and bash agree", () => {
    let bashRuns = 0;
    fc.assert(
      fc.property(literalText, (text) => {
        const ir = normalize(pipelineWith(text));
        const out = compile(ir);
        const back = importFiles(out.files.map((f) => ({ path: f.path, content: f.content })));
        const jobs = back.pipeline!.stages[0]!.jobs;
        for (const j of jobs) expect(j.steps[0]!.run, `${j.name}`).toBe(escapeLiteral(text));
        expect(jobs.find((j) => j.name === "docker-env")!.steps[0]!.workingDirectory).toBe("sub dir");
        expect(jobs.find((j) => j.name === "wrapped")!.steps[0]!.retries).toBe(2);
        for (const f of out.files.filter((x) => x.kind === "oci.BuildSpec")) {
          const spec = parse(f.content) as { steps: { name?: string; command: string }[] };
          const step = spec.steps.find((s) => !s.name?.startsWith("pipeglot-"))!;
          if (f.path.includes(".plain")) {
            expect(step.command).toBe(text);
            continue;
          }
          const w = parseWrapped(step.command);
          expect(w?.text).toBe(text);
          if (HAS_BASH && bashRuns < 45) {
            bashRuns++;
            expect(bashArgument(step.command)).toBe(text);
          }
        }
      }),
      { numRuns: 100 },
    );
  }, 300_000); // ~60 s alone; up to ~130 s when the machine is loaded (it spawns bash 135 times)
});
