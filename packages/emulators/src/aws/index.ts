/**
 * The AWS emulator: CodePipeline and CodeBuild on one endpoint, awsJson1_1 over `POST /` with
 * `X-Amz-Target: CodePipeline_20150709.<Op>` / `CodeBuild_20161006.<Op>`. Signatures are not
 * checked (any credentials work); the access key id only shows up in `lastChangedBy`.
 */
import { Prng } from "../core/prng.js";
import { isObject, type Json, type JsonObject } from "../core/json.js";
import type { EmulatorRequest, EmulatorResponse, ProtocolHandler } from "../core/server.js";
import { findServiceModel, ShapeValidator, validationMessage } from "./botocore.js";
import { CodeBuildService } from "./codebuild.js";
import { CodePipelineService } from "./codepipeline.js";
import { AwsError, type AwsContext, type Caller } from "./common.js";

export const CODEPIPELINE_TARGET = "CodePipeline_20150709";
export const CODEBUILD_TARGET = "CodeBuild_20161006";

export interface AwsEmulatorOptions {
  region: string;
  accountId: string;
  now: () => Date;
  seed: number;
  /** Folder with the botocore service-2.json models; validation is off without it. */
  botocoreDir?: string;
  /** How pipeline executions are simulated (default: 100 ms a unit, nothing fails). */
  runs?: { stepMs?: number; failSteps?: readonly string[] };
}

const CONTENT_TYPE = "application/x-amz-json-1.1";

function callerOf(req: EmulatorRequest, accountId: string): Caller {
  const auth = req.headers.authorization ?? "";
  const m = /Credential=([^/,\s]+)\//.exec(auth);
  const accessKeyId = m ? m[1] : "anonymous";
  return { accessKeyId, arn: `arn:aws:iam::${accountId}:user/${accessKeyId}` };
}

export class AwsProtocol implements ProtocolHandler {
  readonly codepipeline: CodePipelineService;
  readonly codebuild: CodeBuildService;
  /** Whether requests are validated against the botocore models. */
  readonly validating: boolean;
  private readonly requestIds: Prng;
  private readonly accountId: string;

  constructor(opts: AwsEmulatorOptions) {
    this.accountId = opts.accountId;
    this.requestIds = new Prng(opts.seed);
    let cpModel: ShapeValidator | undefined;
    let cbModel: ShapeValidator | undefined;
    if (opts.botocoreDir !== undefined) {
      const cp = findServiceModel(opts.botocoreDir, "codepipeline", "2015-07-09");
      const cb = findServiceModel(opts.botocoreDir, "codebuild", "2016-10-06");
      if (!cp || !cb)
        throw new Error(`botocoreDir ${opts.botocoreDir} does not hold codepipeline-2015-07-09.service-2.json and codebuild-2016-10-06.service-2.json`);
      cpModel = ShapeValidator.fromFile(cp);
      cbModel = ShapeValidator.fromFile(cb);
    }
    this.validating = cpModel !== undefined;
    const base = { region: opts.region, accountId: opts.accountId, now: opts.now };
    const cpCtx: AwsContext = cpModel ? { ...base, validator: cpModel } : base;
    const cbCtx: AwsContext = cbModel ? { ...base, validator: cbModel } : base;
    this.codepipeline = new CodePipelineService(cpCtx, {
      stepMs: opts.runs?.stepMs ?? 100,
      failSteps: opts.runs?.failSteps ?? [],
      seed: opts.seed + 1,
    });
    this.codebuild = new CodeBuildService(cbCtx);
    this.contexts = { [CODEPIPELINE_TARGET]: cpCtx, [CODEBUILD_TARGET]: cbCtx };
  }

  private readonly contexts: Record<string, AwsContext>;

  saveState(): Json {
    return { codepipeline: this.codepipeline.saveState(), codebuild: this.codebuild.saveState() };
  }

  loadState(state: Json): void {
    const s = isObject(state) ? state : {};
    this.codepipeline.loadState(s.codepipeline ?? {});
    this.codebuild.loadState(s.codebuild ?? {});
  }

  private target(req: EmulatorRequest): { prefix: string; op: string } | undefined {
    const t = req.headers["x-amz-target"];
    const value = Array.isArray(t) ? t[0] : t;
    if (!value) return undefined;
    const dot = value.indexOf(".");
    return dot < 0 ? undefined : { prefix: value.slice(0, dot), op: value.slice(dot + 1) };
  }

  operation(req: EmulatorRequest): string {
    const t = this.target(req);
    if (!t) return "aws.(no X-Amz-Target)";
    if (t.prefix === CODEPIPELINE_TARGET) return `CodePipeline.${t.op}`;
    if (t.prefix === CODEBUILD_TARGET) return `CodeBuild.${t.op}`;
    return `aws.${t.prefix}.${t.op}`;
  }

  private reply(status: number, body: JsonObject, extra: Record<string, string> = {}): EmulatorResponse {
    return { status, headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": this.requestIds.uuid(), ...extra }, body };
  }

  private error(e: AwsError): EmulatorResponse {
    return this.reply(e.status, { __type: e.type, message: e.message }, { "x-amzn-errortype": e.type });
  }

  faultResponse(kind: "throttle" | "error" | "internal"): EmulatorResponse {
    if (kind === "throttle") return this.error(new AwsError("ThrottlingException", "Rate exceeded"));
    if (kind === "error") return this.error(new AwsError("ServiceUnavailableException", "Service is unavailable. Please try again.", 503));
    return this.error(new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500));
  }

  handle(req: EmulatorRequest): EmulatorResponse {
    try {
      return this.reply(200, this.dispatch(req));
    } catch (e) {
      if (e instanceof AwsError) return this.error(e);
      throw e;
    }
  }

  private dispatch(req: EmulatorRequest): JsonObject {
    if (req.method !== "POST" || req.path !== "/")
      throw new AwsError("UnknownOperationException", `awsJson1_1 requests are POST /, got ${req.method} ${req.path}`, 404);
    const t = this.target(req);
    if (!t) throw new AwsError("UnknownOperationException", "Missing X-Amz-Target header");
    const ctx = this.contexts[t.prefix];
    const service = t.prefix === CODEPIPELINE_TARGET ? this.codepipeline : t.prefix === CODEBUILD_TARGET ? this.codebuild : undefined;
    if (!ctx || !service)
      throw new AwsError(
        "UnknownOperationException",
        `Unknown target prefix ${t.prefix} (this emulator serves ${CODEPIPELINE_TARGET} and ${CODEBUILD_TARGET})`,
      );
    const handler = service.operations[t.op];
    if (!handler) {
      const known = ctx.validator?.hasOperation(t.op) ?? false;
      throw new AwsError(
        "UnknownOperationException",
        known ? `${t.prefix}.${t.op} is a real operation that the pipeglot emulator does not implement` : `Unknown operation ${t.prefix}.${t.op}`,
      );
    }
    let input: Json;
    try {
      input = req.body.length === 0 ? {} : (JSON.parse(req.body.toString("utf8")) as Json);
    } catch {
      throw new AwsError("SerializationException", "The request body is not valid JSON");
    }
    if (!isObject(input)) throw new AwsError("SerializationException", "The request body must be a JSON object");
    if (ctx.validator) {
      const problems = ctx.validator.validateInput(t.op, input);
      const serialization = problems.find((p) => p.kind === "serialization");
      if (serialization) throw new AwsError("SerializationException", serialization.message);
      if (problems.length > 0) throw new AwsError("ValidationException", validationMessage(problems));
    }
    return handler(input, callerOf(req, this.accountId));
  }
}
