/** Cloud Build API errors: Google's canonical codes and the error the emulator answers with. */
/** Google's canonical codes, with their HTTP status. https://cloud.google.com/apis/design/errors */
export const STATUS = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  FAILED_PRECONDITION: 400,
  PERMISSION_DENIED: 403,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
} as const;

type GoogleStatus = keyof typeof STATUS;

export class GoogleError extends Error {
  constructor(
    readonly status: GoogleStatus,
    message: string,
  ) {
    super(message);
  }
}
