/**
 * Step commands: neutral text → the text a build or command spec step runs.
 *
 * A plain step (no env, working directory, other shell, retries, continue-on-error or guard, on
 * the managed runner) is written as is. Anything else is wrapped:
 *
 *   # pipeglot: {"wrapper":"the step's command is the quoted argument of -c"}
 *   [if GUARD; then ]EXEC[ || { pg_failed=$?; echo '…'; }][; else pg_skipped=1; echo '…'; fi]
 *
 * where EXEC is `docker run … IMAGE SHELL -c '<text>'` or `env N=V… SHELL -c '<text>'`, optionally
 * inside a retry loop whose status is the last attempt's. The step's own text is always exactly one
 * single-quoted argument. The wrapper's variables (WRAPPER_VARS) say what happened to that text.
 */
import { cdTarget, execUnit, renderPattern, renderWord, shQuote, shWord, withHeader, wrap, type WordSeg, type WrapperDialect } from "@pipeglot/core";
import { parseTemplate, type ConditionIR, type Shell } from "@pipeglot/schema";
import { BUILD_GIT, CONTAINER_WORKDIR, DEPLOY_GIT, MATRIX_PREFIX, WRAP_HEADER, WRAPPER_VARS } from "../conventions.js";

/** How neutral references become environment variable names in one job. */
export interface RefNames {
  var(name: string): string;
  secret(name: string): string;
  matrix(name: string): string;
  git(name: "commit" | "branch"): string;
}

export function refNames(param: (v: string) => string, deploy: boolean): RefNames {
  const git = deploy ? DEPLOY_GIT : BUILD_GIT;
  return { var: param, secret: (n) => n, matrix: (n) => `${MATRIX_PREFIX}${n}`, git: (n) => git[n] };
}

/** Neutral text → segments of literal text and environment variables. */
export function segmentsOf(text: string, names: RefNames): WordSeg[] {
  const out: WordSeg[] = [];
  for (const s of parseTemplate(text).segments) {
    if (s.kind === "text") out.push({ kind: "text", value: s.value, quoted: true });
    else out.push({ kind: "env", name: s.kind === "git" ? names.git(s.name) : names[s.kind](s.name) });
  }
  return out;
}

/** Neutral text → text for a shell that expands `${NAME}` (a command, an env value). */
export function renderText(text: string, names: RefNames): string {
  return segmentsOf(text, names)
    .map((s) => (s.kind === "text" ? s.value : `\${${s.name}}`))
    .join("");
}

/** Environment variables a rendered text refers to (in order, unique). */
export function envRefs(segs: readonly WordSeg[]): string[] {
  return [...new Set(segs.flatMap((s) => (s.kind === "env" ? [s.name] : [])))];
}

export type GuardClause = { kind: "branches"; patterns: string[] } | { kind: "variable"; name: string; value: string };

interface Guard {
  branchVar: string;
  clauses: GuardClause[];
}

interface StepCommand {
  /** The neutral text, rendered (refs as ${NAME}). */
  text: string;
  shell: Shell;
  /** Run in this image with docker run; undefined: on the runner itself. */
  image?: WordSeg[];
  workingDirectory?: string;
  /** Step env: name → value segments. */
  env: [string, WordSeg[]][];
  /** Variables passed into the container unchanged (docker only). */
  passthrough: string[];
  retries: number;
  continueOnError: boolean;
  guard?: Guard;
}

export function needsWrapper(c: StepCommand): boolean {
  return !!c.image || c.env.length > 0 || c.workingDirectory !== undefined || c.shell !== "bash" || c.retries > 0 || c.continueOnError || !!c.guard;
}

const SKIP_MESSAGE = "pipeglot: condition not met, step skipped";

/** The wrapper's dialect: its variables (WRAPPER_VARS), a grouped retry loop, a failure and a skip that say so. */
const DIALECT: WrapperDialect = {
  vars: { tries: WRAPPER_VARS.tries, status: WRAPPER_VARS.rc, tolerated: WRAPPER_VARS.failed, skipped: WRAPPER_VARS.skipped },
  retry: "grouped",
  tolerate: "message",
  skipMessage: SKIP_MESSAGE,
};

export function stepCommand(c: StepCommand): string {
  if (!needsWrapper(c)) return c.text;
  const exec = c.image
    ? dockerRun(c)
    : execUnit({ runner: `${c.shell} -c`, command: c.text, cwd: cwdWord(c.workingDirectory), env: c.env.map(([n, v]) => assign(n, v)), form: "env" });
  const body = wrap({ exec, retries: c.retries, continueOnError: c.continueOnError, guard: c.guard && guardTest(c.guard) }, DIALECT);
  return withHeader(WRAP_HEADER, body);
}

/** `NAME=VALUE` as one shell word. */
const assign = (name: string, segs: WordSeg[]) => renderWord([{ kind: "text", value: `${name}=`, quoted: true }, ...segs]);

const cwdWord = (dir: string | undefined): string | undefined => (dir === undefined ? undefined : shWord(cdTarget(dir)));

/** `docker run … IMAGE SHELL -c '<text>'`: the step in its image, the source folder mounted at CONTAINER_WORKDIR. */
function dockerRun(c: StepCommand): string {
  const w =
    c.workingDirectory === undefined
      ? CONTAINER_WORKDIR
      : c.workingDirectory.startsWith("/")
        ? c.workingDirectory
        : `${CONTAINER_WORKDIR}/${c.workingDirectory}`;
  return [
    "docker run --rm",
    `-v ${renderWord([
      { kind: "env", name: "OCI_PRIMARY_SOURCE_DIR" },
      { kind: "text", value: `:${CONTAINER_WORKDIR}`, quoted: true },
    ])}`,
    "-v /var/run/docker.sock:/var/run/docker.sock",
    `-w ${shWord(w)}`,
    ...c.passthrough.map((n) => `-e ${n}`),
    ...c.env.map(([n, v]) => `-e ${assign(n, v)}`),
    renderWord(c.image!),
    c.shell,
    "-c",
    shQuote(c.text),
  ].join(" ");
}

function guardTest(g: Guard): string {
  return g.clauses
    .map((c) =>
      c.kind === "branches"
        ? `[[ ${c.patterns.map((b) => `"\${${g.branchVar}}" == ${renderPattern(b)}`).join(" || ")} ]]`
        : `[ "\${${c.name}}" = ${shWord(c.value)} ]`,
    )
    .join(" && ");
}

/** Guard clauses for a condition (none when it has no branch/variable part). */
export function clausesOf(c: ConditionIR | undefined, param: (v: string) => string): GuardClause[] {
  if (!c) return [];
  const out: GuardClause[] = [];
  if (c.branches.length) out.push({ kind: "branches", patterns: [...c.branches] });
  for (const [k, v] of Object.entries(c.variables)) out.push({ kind: "variable", name: param(k), value: v });
  return out;
}
