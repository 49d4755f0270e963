/**
 * The one error type (ARCHITECTURE.md, invariant 4): a failure that is the user's to fix, never a
 * bug. Its `kind` says what to fix; the CLI prints the message as one line and exits with the
 * kind's code (EXIT_CODES). Anything else that escapes a command is an internal error.
 */

/**
 * What the user has to fix:
 *   config     a setting (targets.<provider>, an environment variable, an endpoint, a path)
 *   auth       credentials: missing, unreadable or refused
 *   not-found  what was named does not exist (a pipeline to pull, a definition)
 *   api        the cloud refused or failed a request, beyond retries
 *   conflict   the live resource changed since the plan read it: nothing was written
 *   usage      the command line (an option, an argument, an output path)
 */
export type ErrorKind = "config" | "auth" | "not-found" | "api" | "conflict" | "usage";

export const ERROR_KINDS: readonly ErrorKind[] = ["config", "auth", "not-found", "api", "conflict", "usage"];

/** The CLI's exit code per kind: 1 for a problem the user can fix, 2 for a usage error (3 is for bugs only). */
export const EXIT_CODES: Readonly<Record<ErrorKind, 1 | 2>> = { config: 1, auth: 1, "not-found": 1, api: 1, conflict: 1, usage: 2 };

export class PipeglotError extends Error {
  override readonly name: string = "PipeglotError";
  constructor(
    message: string,
    readonly kind: ErrorKind,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get exitCode(): 1 | 2 {
    return EXIT_CODES[this.kind];
  }
}

/**
 * A PipeglotError from before kinds: `new UserError(message)` is a usage error, `new
 * UserError(message, 1)` a setting to fix (kind "config"); or give the kind.
 */
export class UserError extends PipeglotError {
  override readonly name: string = "UserError";
  constructor(message: string, kind: ErrorKind | 1 | 2 = "usage", options?: ErrorOptions) {
    super(message, kind === 2 ? "usage" : kind === 1 ? "config" : kind, options);
  }
}

/** The kind of a cloud API's refusal from its HTTP status: 401/403 credentials, 404 not found, else the API's. */
export function kindOfStatus(status: number | undefined): ErrorKind {
  return status === 401 || status === 403 ? "auth" : status === 404 ? "not-found" : "api";
}

const isKind = (v: unknown): v is ErrorKind => typeof v === "string" && (ERROR_KINDS as readonly string[]).includes(v);

/** A PipeglotError, also one thrown by another copy of this package (a bundle beside node_modules). */
export const isPipeglotError = (e: unknown): e is PipeglotError =>
  e instanceof PipeglotError || (e instanceof Error && "kind" in e && isKind(e.kind) && "exitCode" in e && typeof e.exitCode === "number");

/** Kept for existing callers: every PipeglotError is the user's to fix. */
export const isUserError = isPipeglotError;
