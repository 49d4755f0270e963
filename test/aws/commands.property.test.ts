/**
 * Commands survive exactly: random literal step text (quotes, $VAR, ${VAR}, $(cmd), #{ns.var},
 * ${{ }}, backslashes, newlines, tabs, unicode), written in the neutral syntax with escapeLiteral,
 * goes through compile and import. The command that comes back is byte-identical, and the
 * script bash receives from the buildspec command CodeBuild would run (after YAML parsing,
 * `bash -c '…'`: each step in its own process) is exactly that text, with or without the option
 * wrapper (bash's single-quote rules undo the quoting: checked by running bash).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "yaml";
import { escapeLiteral, parseTemplate, type PipelineIR } from "@pipeglot/schema";
import { compile, importFiles } from "@pipeglot/aws";

const piece = fc.oneof(
  fc.constantFrom(
    "'",
    '"',
    "`",
    "\\",
    "\\\\",
    "\n",
    "\t",
    " ",
    "$",
    "$$",
    "${",
    "}",
    "{{",
    "}}",
    "${{",
    "$${{",
    "${{ vars.X }}",
    "#{",
    "#{variables.X}",
    "#{SourceVariables.CommitId}",
    "$(date)",
    "&&",
    "|",
    ";",
    "# not a comment",
    ": ",
    "- ",
    "%",
    "@",
    "*",
    "!",
    "é",
    "日本",
    "🚀",
    "\u00a0",
    "\r\n",
  ),
  fc.stringMatching(/^\$[A-Za-z_][A-Za-z0-9_]{0,8}$/),
  fc.stringMatching(/^\$\{[A-Za-z_][A-Za-z0-9_]{0,8}\}$/),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 4 }).filter((s) => !s.includes("\u0000") && !s.includes("\uFEFF")),
);
const literal = fc
  .array(piece, { minLength: 1, maxLength: 12 })
  .map((p) => p.join(""))
  .filter((s) => s.length > 0);

function pipelineWith(run: string, options: Partial<PipelineIR["stages"][0]["jobs"][0]["steps"][0]> = {}): PipelineIR {
  return {
    version: 1,
    name: "prop",
    source: { repository: "acme/prop", branch: "main" },
    triggers: {
      push: { branches: { include: ["main"], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } },
      schedules: [],
      manual: true,
    },
    concurrency: "queue",
    variables: {},
    secrets: {},
    defaults: {},
    stages: [
      {
        id: "build",
        name: "build",
        needs: [],
        transition: { enabled: true },
        jobs: [
          {
            id: "build.job",
            name: "job",
            needs: [],
            image: "ubuntu:22.04",
            runner: "small",
            env: {},
            steps: [{ id: "step-1", run, shell: "bash", env: {}, continueOnError: false, retries: 0, ...options }],
            produces: [],
            consumes: [],
            retries: 0,
          },
        ],
      },
    ],
    targets: {
      aws: {
        roleArn: "arn:aws:iam::123456789012:role/r",
        artifactBucket: "b-bucket",
        connectionArn: "arn:aws:codestar-connections:us-east-1:123456789012:connection/x",
      },
    },
  };
}

function roundTrip(ir: PipelineIR) {
  const out = compile(ir);
  const spec = out.files.find((f) => f.kind === "codebuild.Buildspec")!;
  const command = parse(spec.content).phases.build.commands[0] as string;
  const back = importFiles(out.files.filter((f) => f.path.endsWith(".json")).map((f) => ({ path: f.path, content: f.content })));
  return { command, run: back.pipeline!.stages[0]!.jobs[0]!.steps[0]!.run };
}

describe("step commands survive compile and import byte for byte", () => {
  it("plain steps: the buildspec command is bash -c with exactly the literal text; import gives the neutral text back", () => {
    fc.assert(
      fc.property(literal, (text) => {
        const neutral = escapeLiteral(text);
        expect(parseTemplate(neutral).segments).toEqual([{ kind: "text", value: text }]);
        const { command, run } = roundTrip(pipelineWith(neutral));
        // Each step in its own bash process (CodeBuild runs a build's commands in one shell).
        expect(command.startsWith("bash -c '")).toBe(true);
        expect(run).toBe(neutral);
      }),
      { numRuns: 300 },
    );
  });

  it("plain steps: bash receives exactly the text", () => {
    fc.assert(
      fc.property(literal, (text) => {
        const { command } = roundTrip(pipelineWith(escapeLiteral(text)));
        const probe = command.replace(/^bash -c /, "printf %s ");
        expect(probe.startsWith("printf %s '")).toBe(true);
        expect(execFileSync("bash", ["-c", probe], { encoding: "utf8" })).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it("wrapped steps (env, working directory, timeout, retries): bash receives exactly the text", () => {
    fc.assert(
      fc.property(literal, (text) => {
        const neutral = escapeLiteral(text);
        const { command, run } = roundTrip(pipelineWith(neutral, { workingDirectory: "sub dir's", env: { A: "x'y" }, timeoutSeconds: 90, retries: 2 }));
        expect(run).toBe(neutral);
        // Replace the wrapped shell with one that prints its script argument, and run the wrapper.
        const probe = command
          .replace(/^for pg_try in \$\(seq 1 3\); do \( cd 'sub dir'\\''s' && export A='x'\\''y' && timeout 90 bash -c /, "printf %s ")
          .replace(/ \) && break; pg_fail=\$\?; \[ "\$pg_try" -lt 3 \] \|\| \(exit "\$pg_fail"\); done$/, "");
        expect(probe.startsWith("printf %s '")).toBe(true);
        expect(execFileSync("bash", ["-c", probe], { encoding: "utf8" })).toBe(text);
      }),
      { numRuns: 60 },
    );
  });
});
