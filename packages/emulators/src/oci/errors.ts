/** OCI's error shape: `{"code": "...", "message": "..."}` with the HTTP status each code has. */

export const STATUS: Record<string, number> = {
  InvalidParameter: 400,
  MissingParameter: 400,
  NotAuthenticated: 401,
  NotAuthorizedOrNotFound: 404,
  NotFound: 404,
  Conflict: 409,
  IncorrectState: 409,
  PreconditionFailed: 412,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
};

export class OciError extends Error {
  constructor(
    readonly code: keyof typeof STATUS & string,
    message: string,
  ) {
    super(message);
  }
}
