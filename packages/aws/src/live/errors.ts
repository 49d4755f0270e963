/**
 * AWS errors as pipeglot sees them: an AwsApiError carries the operation, AWS's error code and the
 * HTTP status, and a message with every credential value removed (SDK errors keep the raw response,
 * whose request carried the signature; none of that is copied).
 */
import { classify, parseRetryAfter, UserError, type ErrorShape, kindOfStatus, PipeglotError } from "@pipeglot/core";

export class AwsApiError extends PipeglotError {
  override readonly name = "AwsApiError";
  constructor(
    message: string,
    /** AWS's error code (`__type`), e.g. PipelineNotFoundException; or a network code (ECONNRESET). */
    readonly code: string,
    readonly status: number | undefined,
    /** The SDK's own judgement ($retryable), if it gave one. */
    readonly sdkRetryable: boolean,
    /** The answer's Retry-After, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message, kindOfStatus(status));
  }
}

/** Throttling codes (the AWS SDK's list). `LimitExceededException` is a quota, not a rate: not retried here. */
const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
  "SlowDown",
  "BandwidthLimitExceeded",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
]);
/** The services' own "try again" codes (network codes are core's classifier's). */
const TRANSIENT = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalServerError",
  "InternalServerException",
]);

/** Credentials missing, refused or expired: the user's to fix, never retried, never a bug. */
const AUTH = new Set([
  "CredentialsProviderError",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "ExpiredToken",
  "AccessDeniedException",
  "AccessDenied",
]);

/** AWS refused the credentials (or found none): exit 1 with what to set, never the values. */
export class AwsAuthError extends UserError {
  override readonly name = "AwsAuthError";
  constructor(message: string) {
    super(message, "auth");
  }
}

export const NOT_FOUND = new Set(["PipelineNotFoundException", "ResourceNotFoundException"]);
export const ALREADY_EXISTS = new Set(["PipelineNameInUseException", "ResourceAlreadyExistsException"]);

/** Remove every given secret value (and the access key id) from a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join("[redacted]");
  // An access key id that slipped through in a signature or an IAM user ARN.
  return out.replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, "[redacted]");
}

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
  $retryable?: unknown;
  $fault?: string;
  cause?: unknown;
}

/** Any SDK failure → AwsApiError (an AwsApiError or a ConflictError passes through). */
export function toApiError(e: unknown, what: string, secrets: readonly string[]): Error {
  if (e instanceof AwsApiError || (e instanceof Error && e.name === "ConflictError")) return e;
  const x = (typeof e === "object" && e !== null ? e : { message: String(e) }) as SdkErrorLike;
  const status = x.$metadata?.httpStatusCode;
  let code = x.name && x.name !== "Error" ? x.name : (x.code ?? "Error");
  if (typeof x.code === "string" && /^E[A-Z]+$/.test(x.code)) code = x.code;
  const msg = (x.message ?? "").split("\n")[0] || code;
  const headers = x.$response?.headers ?? {};
  const retryAfterMs = parseRetryAfter(headers["retry-after"] ?? headers["Retry-After"]);
  if (AUTH.has(code))
    return new AwsAuthError(
      redact(
        `${what}: ${code === "CredentialsProviderError" ? "no AWS credentials found" : `AWS refused the credentials: ${code}${msg && msg !== code ? `: ${msg}` : ""}`}; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE / --profile`,
        secrets,
      ),
    );
  return new AwsApiError(redact(`${what}: ${code}${msg && msg !== code ? `: ${msg}` : ""}`, secrets), code, status, !!x.$retryable, retryAfterMs);
}

/**
 * An AWS failure as core's classifier reads it. AWS answers throttling with HTTP 400 and a code,
 * so those codes (and the service's own transient ones) are `transient`; `LimitExceededException`
 * is a quota, not a rate: not retried.
 */
export function errorShape(error: unknown): ErrorShape {
  if (!(error instanceof AwsApiError)) return {};
  const transient = error.code !== "LimitExceededException" && (THROTTLING.has(error.code) || TRANSIENT.has(error.code) || error.sdkRetryable);
  return {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    code: error.code,
    transient,
    message: error.message,
  };
}

/** Worth another attempt, by core's one classifier. */
export const retryable = (error: unknown): boolean =>
  classify({ ...errorShape(error), ...(error instanceof AwsApiError ? {} : { message: error instanceof Error ? error.message : String(error) }) }) === "retry";

export const codeOf = (e: unknown): string | undefined => (e instanceof AwsApiError ? e.code : undefined);
