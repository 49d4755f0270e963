/**
 * The contract between compile and import for what AWS has no field for: how neutral
 * expressions, step options and job structure are written into CodeBuild buildspecs and tags so
 * that they read back exactly. Both sides use only the functions here.
 *
 * - References in commands become shell variables: `${{ vars.X }}`, `${{ secrets.X }}`,
 *   `${{ matrix.X }}` → `${X}`; `${{ git.commit }}` → `${PIPEGLOT_COMMIT}`, `${{ git.branch }}` →
 *   `${PIPEGLOT_BRANCH}`. The job injects exactly those names (action EnvironmentVariables with
 *   `#{variables.X}` / `#{SourceVariables.CommitId}`, buildspec secrets-manager / parameter-store,
 *   buildspec variables for matrix values), and import turns `${NAME}` back into a reference only
 *   for names the job injects. Everything else reaches bash byte for byte.
 * - A buildspec starts with one comment line `# pipeglot: {json}` (JobMeta): the neutral job
 *   name, its needs, matrix, environment and step names/options. Commands stay the truth: a
 *   step's options are applied by a shell wrapper, and import accepts the recorded options only
 *   when re-wrapping the unwrapped command gives the same bytes.
 */
import { renderTemplate, escapeLiteral, type Shell } from "@pipeglot/schema";
import {
  OWNERSHIP,
  shQuote,
  shUnquote,
  globPattern,
  cdTarget,
  execUnit,
  wrap,
  SHELL_RUNNERS,
  headerLine as coreHeaderLine,
  readHeader as readCoreHeader,
  type WrapperDialect,
} from "@pipeglot/core";

export const GIT_COMMIT_VAR = "PIPEGLOT_COMMIT";
export const GIT_BRANCH_VAR = "PIPEGLOT_BRANCH";
export const SOURCE_NAMESPACE = "SourceVariables";
export const GIT_COMMIT_VALUE = `#{${SOURCE_NAMESPACE}.CommitId}`;
export const GIT_BRANCH_VALUE = `#{${SOURCE_NAMESPACE}.BranchName}`;

export const TAG = {
  managedBy: OWNERSHIP.keyed.managedBy,
  hash: OWNERSHIP.keyed.hash,
  description: "pipeglot:description",
  sourceProvider: "pipeglot:source-provider",
  fixedVariables: "pipeglot:fixed-variables",
  stageNeeds: "pipeglot:stage-needs",
  environment: "pipeglot:environment",
} as const;
export const MANAGED_BY = OWNERSHIP.value;

export interface StepMeta {
  name?: string;
  shell?: Shell;
  workingDirectory?: string;
  /** Neutral values (with ${{ }} references). */
  env?: Record<string, string>;
  timeout?: number;
  retries?: number;
  continueOnError?: true;
  /** "always" → finally; "failure" → finally with a CODEBUILD_BUILD_SUCCEEDING guard. */
  when?: "always" | "failure";
  /** Branch globs the run's branch must match (a shell guard on PIPEGLOT_BRANCH). */
  branches?: string[];
  /** Variables that must equal these (neutral) values (a shell guard on the injected variables). */
  variables?: Record<string, string>;
}

/** The shell test of a step's branch/variable condition (undefined: none). */
function conditionTest(m: StepMeta): string | undefined {
  const tests: string[] = [];
  if (m.branches?.length) tests.push(`printf '%s\\n' "\${${GIT_BRANCH_VAR}}" | grep -Eqx ${shq(m.branches.map((b) => `(${globPattern(b)})`).join("|"))}`);
  for (const [k, v] of Object.entries(m.variables ?? {})) tests.push(`[ "\${${k}:-}" = ${shellWord(v)} ]`);
  return tests.length ? tests.join(" && ") : undefined;
}

export interface JobMeta {
  job: string;
  needs?: string[];
  environment?: string;
  matrix?: Record<string, string[]>;
  cell?: Record<string, string>;
  /** The neutral image when it uses ${{ matrix.X }}. */
  image?: string;
  steps: StepMeta[];
  /** Job env entries that are a secret under another name: env name → secret name. */
  secretEnv?: Record<string, string>;
  /** Job env keys written to the action's EnvironmentVariables (values with variables or git refs). */
  actionEnv?: string[];
  /** Produced artifacts whose AWS name differs: AWS name → neutral name. */
  artifacts?: Record<string, string>;
  /** How many commands at the start of the first phase are pipeglot's own (copyInputsCommand), not steps. */
  setup?: number;
  /**
   * Each step without options is `bash -c '…'` (wrapCommand): its own process, so that a `cd`, an
   * `export` or an `exit` does not reach the next step of the build's one shell. Absent in
   * buildspecs compiled before: there such a step's command is its text itself.
   */
  isolated?: true;
}

/** The buildspec's shell: the definition's steps are bash scripts (buildspec env.shell; CodeBuild's default is sh). */
export const BUILDSPEC_SHELL = "bash";

/**
 * The first command of a job that consumes artifacts: CodeBuild unpacks each secondary input in
 * $CODEBUILD_SRC_DIR_<artifact name>, not in the primary folder where the commands run; copying
 * their contents there puts each file at the path it was produced at. A name that is no shell
 * identifier (a '-') is read from the environment by its full name. An empty folder variable
 * copies nothing (never `cp -R /. /`).
 */
export function copyInputsCommand(inputs: readonly string[]): string {
  return inputs
    .map((n) => {
      const dir = /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? `\${CODEBUILD_SRC_DIR_${n}:-}` : `$(env | sed -n ${shq(`s/^CODEBUILD_SRC_DIR_${n}=//p`)})`;
      return `pg_in="${dir}" && { [ -z "$pg_in" ] || [ -z "\${CODEBUILD_SRC_DIR:-}" ] || cp -R "$pg_in"/. "$CODEBUILD_SRC_DIR"/; }`;
    })
    .join(" && ");
}

/** Neutral text → the text bash sees in the buildspec. */
export function renderCommand(text: string): string {
  return renderTemplate(text, {
    text: (v) => v,
    var: (n) => `\${${n}}`,
    secret: (n) => `\${${n}}`,
    matrix: (n) => `\${${n}}`,
    git: (n) => (n === "commit" ? `\${${GIT_COMMIT_VAR}}` : `\${${GIT_BRANCH_VAR}}`),
  });
}

export type RefKind = "var" | "secret" | "matrix" | "git.commit" | "git.branch";

/** Buildspec text → neutral text: `${NAME}` becomes a reference only for the names in `refs`. */
export function decodeCommand(text: string, refs: ReadonlyMap<string, RefKind>): string {
  if (refs.size === 0) return escapeLiteral(text);
  let out = "";
  let last = 0;
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    const kind = refs.get(m[1]!);
    if (!kind) continue;
    out += escapeLiteral(text.slice(last, m.index));
    const n = m[1]!;
    out +=
      kind === "var"
        ? `\${{ vars.${n} }}`
        : kind === "secret"
          ? `\${{ secrets.${n} }}`
          : kind === "matrix"
            ? `\${{ matrix.${n} }}`
            : kind === "git.commit"
              ? "${{ git.commit }}"
              : "${{ git.branch }}";
    last = m.index! + m[0].length;
  }
  return out + escapeLiteral(text.slice(last));
}

/** Single-quote for POSIX shells (core's one helper). */
export const shq = shQuote;

/** A neutral env value as one shell word: literal parts single-quoted, references as "${X}". */
function shellWord(value: string): string {
  if (value === "") return "''";
  return renderTemplate(value, {
    text: (v) => shq(v),
    var: (n) => `"\${${n}}"`,
    secret: (n) => `"\${${n}}"`,
    matrix: (n) => `"\${${n}}"`,
    git: (n) => `"\${${n === "commit" ? GIT_COMMIT_VAR : GIT_BRANCH_VAR}}"`,
  });
}

/** The wrapper's dialect (core's one wrapper): the variables the runtime model reads, a `seq` retry loop, a reset tolerated status. */
const DIALECT: WrapperDialect = { vars: { tries: "pg_try", status: "pg_fail", tolerated: "pg_exit", skipped: "pg_skip" }, retry: "seq", tolerate: "reset" };

export function needsWrapper(m: StepMeta): boolean {
  return !!(
    (m.shell && m.shell !== "bash") ||
    m.workingDirectory !== undefined ||
    (m.env && Object.keys(m.env).length) ||
    m.timeout !== undefined ||
    m.retries ||
    m.continueOnError ||
    m.when === "failure" ||
    conditionTest(m) !== undefined
  );
}

/**
 * The buildspec command for a step. CodeBuild runs all the commands of a build in ONE shell
 * (buildspec 0.2), while the definition runs each step afresh (`bash -c`, in the workspace): so the
 * user's command always runs in its own bash process, `bash -c '…'` alone or inside its option
 * wrapper. The wrapper's own variables (pg_try, pg_exit, pg_skip) stay in the build's shell, where
 * they are set. `isolated: false` is the form of buildspecs compiled before (JobMeta.isolated
 * absent): a step without options is its command itself.
 */
export function wrapCommand(command: string, m: StepMeta, isolated = true): string {
  if (!needsWrapper(m)) return isolated ? `${SHELL_RUNNERS.bash} ${shq(command)}` : command;
  const exec = execUnit({
    runner: SHELL_RUNNERS[m.shell ?? "bash"],
    command,
    ...(m.workingDirectory !== undefined ? { cwd: shq(cdTarget(m.workingDirectory)) } : {}),
    env: Object.entries(m.env ?? {}).map(([k, v]) => `${k}=${shellWord(v)}`),
    ...(m.timeout !== undefined ? { timeout: m.timeout } : {}),
    form: "export",
  });
  const test = conditionTest(m);
  const unit = wrap(
    {
      exec,
      ...(m.retries ? { retries: m.retries } : {}),
      ...(m.continueOnError ? { continueOnError: true } : {}),
      ...(test !== undefined ? { guard: test } : {}),
    },
    DIALECT,
  );
  return m.when === "failure" ? `if [ "$CODEBUILD_BUILD_SUCCEEDING" = "0" ]; then ${unit}; fi` : unit;
}

/** The inverse of wrapCommand for given options, or undefined when `wrapped` is not exactly that wrapper. */
export function unwrapCommand(wrapped: string, m: StepMeta, isolated = true): string | undefined {
  if (!needsWrapper(m) && !isolated) return wrapped;
  const SENTINEL = "\u0000pipeglot\u0000";
  const probe = wrapCommand(SENTINEL, m, isolated);
  const q = shq(SENTINEL);
  const at = probe.indexOf(q);
  const prefix = probe.slice(0, at);
  const suffix = probe.slice(at + q.length);
  if (!wrapped.startsWith(prefix) || !wrapped.endsWith(suffix) || wrapped.length < prefix.length + suffix.length + 2) return undefined;
  const cmd = shUnquote(wrapped.slice(prefix.length, wrapped.length - suffix.length));
  if (cmd === undefined || wrapCommand(cmd, m, isolated) !== wrapped) return undefined;
  return cmd;
}

/** Neutral artifact globs ↔ CodeBuild globs: a trailing `/**` is written as `/**\/*`. */
export const toCodeBuildGlob = (p: string): string => (p === "**" ? "**/*" : p.endsWith("/**") ? `${p}/*` : p);
export const fromCodeBuildGlob = (p: string): string => (p === "**/*" ? "**" : p.endsWith("/**/*") ? p.slice(0, -2) : p);

/** The command of a buildspec phase that has no steps (a buildspec phase needs one). */
export const NO_STEPS = "echo no steps";

/** The `# pipeglot: {...}` header line of a buildspec (core's one header format), without the "# " that the YAML comment adds. */
export const headerLine = (meta: JobMeta): string => coreHeaderLine(meta).slice(2);

/** JobMeta from buildspec text, when one of its comment lines is a pipeglot header. */
export function readHeader(text: string): JobMeta | undefined {
  const v = readCoreHeader(text, true) as Partial<JobMeta> | undefined;
  return v && typeof v.job === "string" && Array.isArray(v.steps) ? (v as JobMeta) : undefined;
}
