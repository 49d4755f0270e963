/**
 * Neutral text (with ${{ }} references) → Cloud Build text, escaped for the substitution pass.
 *   text          → every `$` doubled (so Cloud Build gives it back as written)
 *   vars.X        → ${_X}              (a user substitution)
 *   git.commit    → ${COMMIT_SHA}
 *   git.branch    → ${BRANCH_NAME}${TAG_NAME}   (one of the two is empty in any build)
 *   secrets.X     → $${X}              (the shell reads the secretEnv variable X)
 *   matrix.X      → the value of the current matrix cell
 */
import { parseTemplate } from "@pipeglot/schema";
import { escapeSubstitutions } from "../native/substitution.js";

export const GIT_COMMIT = "${COMMIT_SHA}";
export const GIT_BRANCH = "${BRANCH_NAME}${TAG_NAME}";

export interface RenderEnv {
  subst: ReadonlyMap<string, string>;
  matrix?: Readonly<Record<string, string>>;
  /** Collects the secrets the text uses. */
  secrets?: Set<string>;
}

export function renderText(text: string, env: RenderEnv): string {
  return parseTemplate(text)
    .segments.map((s) => {
      switch (s.kind) {
        case "text":
          return escapeSubstitutions(s.value);
        case "var":
          return `\${${env.subst.get(s.name) ?? "_" + s.name}}`;
        case "git":
          return s.name === "commit" ? GIT_COMMIT : GIT_BRANCH;
        case "secret":
          env.secrets?.add(s.name);
          return `$\${${s.name}}`;
        case "matrix":
          return escapeSubstitutions(env.matrix?.[s.name] ?? "");
      }
    })
    .join("");
}
