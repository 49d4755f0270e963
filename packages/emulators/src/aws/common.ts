/** What the AWS emulators share: the error type, account context, paging, field access. */
import { isObject, type Json, type JsonObject } from "../core/json.js";
import type { ShapeValidator } from "./botocore.js";

/** An error as awsJson1_1 sends it: HTTP status, `__type` and `message`. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface AwsContext {
  region: string;
  accountId: string;
  now(): Date;
  /** The botocore model of the service, when one was found: validates every input. */
  validator?: ShapeValidator;
}

/** The identity a request was signed with, as AWS shows it in `lastChangedBy` fields. */
export interface Caller {
  accessKeyId: string;
  arn: string;
}

export function epochSeconds(d: Date): number {
  return d.getTime() / 1000;
}

export function str(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? v : undefined;
}

export function objects(o: JsonObject, key: string): JsonObject[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter(isObject) : [];
}

export function obj(o: JsonObject, key: string): JsonObject | undefined {
  const v = o[key];
  return isObject(v) ? v : undefined;
}

/** The one check every operation needs even when no botocore model is loaded. */
export function requireString(o: JsonObject, key: string, path = key): string {
  const v = o[key];
  if (typeof v !== "string" || v.length === 0) {
    throw new AwsError("ValidationException", `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

/** Opaque page tokens (an offset, base64-encoded); a token we did not issue is rejected. */
export function page<T>(items: T[], nextToken: Json | undefined, pageSize: number, invalidTokenType: string): { items: T[]; nextToken?: string } {
  let start = 0;
  if (typeof nextToken === "string") {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(nextToken, "base64").toString("utf8"));
    } catch {
      decoded = undefined;
    }
    if (!isObject(decoded as Json) || typeof (decoded as JsonObject).offset !== "number") {
      throw new AwsError(invalidTokenType, "The next token is not valid.");
    }
    start = (decoded as JsonObject).offset as number;
  }
  const slice = items.slice(start, start + pageSize);
  const end = start + slice.length;
  return end < items.length ? { items: slice, nextToken: Buffer.from(JSON.stringify({ offset: end })).toString("base64") } : { items: slice };
}
