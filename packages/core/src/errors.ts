/**
 * An error that is the user's to fix (a setting, a path, an option), not a bug: the CLI prints its
 * message as one line and exits with its code (1 problems found, 2 usage). Any package may throw
 * one; everything else that escapes a command is an internal error.
 */
export class UserError extends Error {
  override readonly name: string = "UserError";
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError || (e instanceof Error && e.name === "UserError" && typeof (e as UserError).exitCode === "number");
