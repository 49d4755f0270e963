/**
 * The cloud SDKs are optional peer dependencies of the provider packages: only the live commands
 * (plan, apply, pull) load them, with import(). When one is not installed, the user gets one line
 * naming what to install (a PipeglotError of kind "config": exit 1), not a module-resolution stack.
 */
import { UserError } from "./errors.js";

/** What a provider's live commands need installed. */
export interface SdkRequirement {
  /** Who needs it, for the message: e.g. "the Example live commands (plan, apply, pull)". */
  readonly who: string;
  /** Every package the provider's live commands load (all are named in the install command). */
  readonly packages: readonly string[];
}

/** A failure to resolve `name` itself (not a broken file inside it, which stays an internal error). */
function isMissing(e: unknown, name: string): boolean {
  if (typeof e !== "object" || e === null) return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  return typeof message === "string" && (message.includes(`'${name}'`) || message.includes(`"${name}"`) || message.includes(`'${name}/`));
}

/** The error for a missing SDK: one line, the package and the install command. */
export function missingSdkError(need: SdkRequirement, name: string, cause?: unknown): UserError {
  const install = `npm install ${need.packages.join(" ")}`;
  return new UserError(
    `${need.who} need ${name}, which is not installed: run \`${install}\` (add -g for a global pipeglot)`,
    "config",
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Load an optional SDK: `load` is the import() itself (a literal specifier, so bundlers keep it
 * external and lazy). A missing package becomes missingSdkError; any other failure is rethrown.
 */
export async function importSdk<T>(need: SdkRequirement, name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isMissing(e, name)) throw missingSdkError(need, name, e);
    throw e;
  }
}
