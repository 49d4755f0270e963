/**
 * `plan --out PLANFILE` and `apply PLANFILE` on the CLI side: writing the file, reading it back,
 * and refusing a stale one (the definition or the live state moved since the plan).
 */
import { readFileSync } from "node:fs";
import { isPlanFileText, parsePlanFile, planFile, sha256Hex, staleReasons, writeFileAtomic, type Plan, type PlanFile } from "@pipeglot/core";
import { CliError, EXIT, err } from "../io.js";
import { isStdin } from "../options.js";

/** The file's text when `file` is a saved plan; undefined for a definition (or a file that cannot be read: the definition path reports it). */
export function readIfPlanFile(file: string): string | undefined {
  if (isStdin(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return isPlanFileText(text) ? text : undefined;
}

export async function writePlanFile(
  out: string,
  definition: { path: string; text: string },
  options: PlanFile["options"],
  plans: readonly Plan[],
): Promise<void> {
  if (isStdin(definition.path)) throw new CliError("plan --out needs the definition in a file (apply reads it again), not standard input", EXIT.usage);
  await writeFileAtomic(out, JSON.stringify(planFile(definition, options, plans), null, 2) + "\n");
}

/** The saved plan, and the definition's text, refused (exit 1) when the definition changed since. */
export function loadPlanFile(file: string, text: string): { plan: PlanFile; definitionText: string } {
  const plan = parsePlanFile(text, file);
  let definitionText: string;
  try {
    definitionText = readFileSync(plan.definition.path, "utf8");
  } catch {
    throw new CliError(
      `the plan ${file} was made from ${plan.definition.path}, which cannot be read here: run apply from the folder plan ran in`,
      EXIT.problems,
    );
  }
  if (sha256Hex(definitionText) !== plan.definition.sha256)
    throw new CliError(`the plan ${file} is stale: ${plan.definition.path} changed since the plan was made; run plan again`, EXIT.problems);
  return { plan, definitionText };
}

/** Refuse (exit 1, each reason on its own line) a saved plan that fresh plans no longer match. */
export function refuseStale(file: string, saved: PlanFile, fresh: readonly Plan[]): void {
  const reasons: string[] = [];
  for (const s of saved.plans) {
    const f = fresh.find((p) => p.provider === s.provider);
    if (!f) reasons.push(`${s.provider}: no longer planned`);
    else reasons.push(...staleReasons(s, f));
  }
  if (!reasons.length) return;
  for (const r of reasons) err(`  ${r}`);
  throw new CliError(
    `the plan ${file} is stale: the live pipelines changed since it was made (${reasons.length} difference${reasons.length === 1 ? "" : "s"} above); nothing was applied; run plan again`,
    EXIT.problems,
  );
}
