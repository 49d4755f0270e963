/**
 * The one form of a version conflict: the resource changed between plan and apply, so nothing is
 * written for it (and the engine skips what depends on it).
 */
import { ConflictError } from "../types.js";

const NOTHING = "nothing was written. Run plan again.";

/** Throws ConflictError unless the live version is the one the plan read. */
export function guardVersion(what: string, planned: string | undefined, live: string | undefined): void {
  if (live !== planned) throw versionConflict(what, planned, live);
}

export function versionConflict(what: string, planned: string | undefined, live: string | undefined): ConflictError {
  return new ConflictError(`${what} changed since the plan read it (at version ${live ?? "none"}, the plan read ${planned ?? "none"}); ${NOTHING}`);
}

/** The other conflicts, in the same form. */
export const conflict = {
  /** The resource the plan read is gone. */
  deleted: (what: string): ConflictError => new ConflictError(`${what} was deleted since the plan read it; ${NOTHING}`),
  /** A create found one that someone else made (and it is not the one this apply wanted). */
  created: (what: string): ConflictError => new ConflictError(`${what} was created by someone else since the plan read it; ${NOTHING}`),
  /** The server refused the version the plan read (a conditional write: If-Match, revision). */
  refused: (what: string, planned: string | undefined, detail?: string): ConflictError =>
    new ConflictError(`${what} changed since the plan read it (the server refused version ${planned ?? "none"}${detail ? `: ${detail}` : ""}); ${NOTHING}`),
  /** It no longer carries pipeglot's ownership. */
  disowned: (what: string): ConflictError => new ConflictError(`${what} no longer carries pipeglot's ownership tag; ${NOTHING}`),
  /** Anything else that changed, said in the caller's words. */
  changed: (what: string, detail: string): ConflictError => new ConflictError(`${what} changed since the plan read it (${detail}); ${NOTHING}`),
};

export const isConflict = (e: unknown): boolean => e instanceof ConflictError || (e instanceof Error && e.name === "ConflictError");
