/**
 * Neutral text (with ${{ }} references) → Cloud Build text, escaped for the substitution pass.
 *   text          → every `$` doubled (so Cloud Build gives it back as written)
 *   vars.X        → ${_X}              (a user substitution)
 *   git.commit    → ${COMMIT_SHA}
 *   git.branch    → ${BRANCH_NAME}${TAG_NAME}   (one of the two is empty in any build; in a build
 *                   that a previous build starts: ${_PIPEGLOT_BRANCH}, the branch it passes on)
 *   secrets.X     → $${X}              (the shell reads the secretEnv variable X)
 *   matrix.X      → the value of the current matrix cell
 *
 * In a bash or sh script (`shell` set) variable values and the branch stay data: they are read by
 * the shell from the step's environment, never pasted into the script by the substitution pass,
 * so a value given when a build starts cannot become code:
 *   vars.X        → $${_X}             (env `_X=${_X}`: the substitution, as data)
 *   git.branch    → $${PIPEGLOT_BRANCH} (env `PIPEGLOT_BRANCH=${BRANCH_NAME}${TAG_NAME}`)
 *   matrix.X      → $${PG_MATRIX_X}    (env `PG_MATRIX_X=<the cell's value>`)
 * `shellEnv` below gives those env entries; import reads them back as references.
 */
import { parseTemplate } from "@pipeglot/schema";
import { escapeSubstitutions } from "../native/substitution.js";

export const GIT_COMMIT = "${COMMIT_SHA}";
export const GIT_BRANCH = "${BRANCH_NAME}${TAG_NAME}";

/** The substitution a build started by a previous build reads the branch from (that build passes its own on). */
export const BRANCH_SUBST = "_PIPEGLOT_BRANCH";
export const PASSED_BRANCH = `\${${BRANCH_SUBST}}`;

export interface RenderEnv {
  subst: ReadonlyMap<string, string>;
  matrix?: Readonly<Record<string, string>>;
  /** Collects the secrets the text uses. */
  secrets?: Set<string>;
  /** Set for shell script text: collects the env names (substitution keys, BRANCH_ENV) the script reads. */
  shell?: Set<string>;
  /** How this build writes the branch (GIT_BRANCH when absent). */
  branch?: string;
}

/** The env name a script reads the branch from. */
export const BRANCH_ENV = "PIPEGLOT_BRANCH";

/** The env name a script reads the matrix value X from (the same prefix as OCI's). */
export const MATRIX_ENV_PREFIX = "PG_MATRIX_";

/** The env entries that carry what a script reads as data (see `RenderEnv.shell`), sorted. */
export function shellEnv(names: ReadonlySet<string>, matrix: Readonly<Record<string, string>> = {}, branch = GIT_BRANCH): string[] {
  return [...names].sort().map((n) => {
    if (n === BRANCH_ENV) return `${n}=${branch}`;
    if (n.startsWith(MATRIX_ENV_PREFIX)) return `${n}=${escapeSubstitutions(matrix[n.slice(MATRIX_ENV_PREFIX.length)] ?? "")}`;
    return `${n}=\${${n}}`;
  });
}

export function renderText(text: string, env: RenderEnv): string {
  return parseTemplate(text)
    .segments.map((s) => {
      switch (s.kind) {
        case "text":
          return escapeSubstitutions(s.value);
        case "var": {
          const key = env.subst.get(s.name) ?? "_" + s.name;
          env.shell?.add(key);
          return env.shell ? `$\${${key}}` : `\${${key}}`;
        }
        case "git":
          if (s.name === "branch" && env.shell) env.shell.add(BRANCH_ENV);
          return s.name === "commit" ? GIT_COMMIT : env.shell ? `$\${${BRANCH_ENV}}` : (env.branch ?? GIT_BRANCH);
        case "secret":
          env.secrets?.add(s.name);
          return `$\${${s.name}}`;
        case "matrix":
          if (!env.shell) return escapeSubstitutions(env.matrix?.[s.name] ?? "");
          env.shell.add(MATRIX_ENV_PREFIX + s.name);
          return `$\${${MATRIX_ENV_PREFIX}${s.name}}`;
      }
    })
    .join("");
}
