/** What every compile step shares: the IR, the target settings (placeholders filled in), the reporter. */
import { reporter } from "@pipeglot/core";
import type { AwsTarget, Diagnostic, PipelineIR } from "@pipeglot/schema";
import { CODES, type AwsCode } from "../diagnostics.js";
import { BUCKET, ROLE_ARN, References, stackNameOf, type RefKind } from "./references.js";

export const PLACEHOLDER = "PIPEGLOT-PLACEHOLDER";

export interface Settings {
  region: string;
  roleArn: string;
  codebuildRoleArn: string;
  artifactBucket: string;
  connectionArn: string;
  notificationArn?: string;
  computeType?: string;
}

export interface Ctx {
  ir: PipelineIR;
  settings: Settings;
  diagnostics: Diagnostic[];
  report: (code: AwsCode, path: string, message: string, hint?: string) => void;
  /** CloudFormation references met so far (placeholders in pipeline.json, parameters in the template). */
  refs: References;
  /**
   * The pipeline.json value of `text` at IR path `path`: a placeholder (and a warning) for a
   * CloudFormation reference. `field` is the output key it is written under (default: the path's last segment).
   */
  value: (text: string, kind: RefKind, path: string, field?: string) => string;
}

export function makeContext(ir: PipelineIR): Ctx {
  const diagnostics: Diagnostic[] = [];
  const report = reporter(CODES, diagnostics);
  const t: AwsTarget = ir.targets.aws ?? {};
  const account = t.accountId && /^[0-9]{12}$/.test(t.accountId) ? t.accountId : "000000000000";
  const fromArn = t.connectionArn?.split(":")[3];
  const region = t.region ?? (fromArn && /^[a-z0-9-]+$/.test(fromArn) ? fromArn : "us-east-1");
  const missing = (key: keyof AwsTarget, value: string, what: string): string => {
    report(
      "PG-AWS-TARGET-PLACEHOLDER",
      t ? "/targets/aws" : "/targets",
      `targets.aws.${key} is not set: wrote the placeholder ${JSON.stringify(value)} (${what}); replace it before applying`,
      `set targets.aws.${key} in the pipeline definition`,
    );
    return value;
  };
  const refs = new References(account, region, stackNameOf(ir.name));
  const value = (text: string, kind: RefKind, path: string, field = path.split("/").pop()): string => {
    const r = refs.resolve(text, kind, field);
    if (r.ref)
      report(
        "PG-AWS-CFN-REFERENCE",
        path,
        `${JSON.stringify(text)} is a CloudFormation reference with no value outside a stack: pipeline.json has the placeholder ${JSON.stringify(r.value)}; cloudformation.yaml keeps it as ${r.ref.parameter ? `the parameter ${r.ref.parameter}` : "!Sub"}`,
        "replace the placeholder, or deploy cloudformation.yaml with the parameter's value",
      );
    return r.value;
  };
  type Key = "roleArn" | "codebuildRoleArn" | "artifactBucket" | "connectionArn" | "notificationArn";
  /** A target value: its pipeline.json form, or `placeholder` (with a warning) when AWS would refuse it. */
  const target = (key: Key, kind: RefKind, valid: RegExp | undefined, placeholder: string): string => {
    const v = t[key]!;
    const out = value(v, kind, `/targets/aws/${key}`);
    if (!valid || valid.test(out)) return out;
    report(
      "PG-AWS-TARGET-PLACEHOLDER",
      `/targets/aws/${key}`,
      `targets.aws.${key} ${JSON.stringify(v)} is not valid on AWS (pattern ${valid.source}): wrote the placeholder ${JSON.stringify(placeholder)}`,
      `set targets.aws.${key} to a real value`,
    );
    return placeholder;
  };
  const rolePlaceholder = `arn:aws:iam::${account}:role/${PLACEHOLDER}-codepipeline-role`;
  const bucketPlaceholder = `${PLACEHOLDER.toLowerCase()}-artifact-bucket`;
  const connectionPlaceholder = `arn:aws:codestar-connections:${region}:${account}:connection/${PLACEHOLDER}`;
  const roleArn =
    t.roleArn !== undefined ? target("roleArn", "role", ROLE_ARN, rolePlaceholder) : missing("roleArn", rolePlaceholder, "the role CodePipeline assumes");
  const settings: Settings = {
    region,
    roleArn,
    codebuildRoleArn: t.codebuildRoleArn !== undefined ? target("codebuildRoleArn", "role", ROLE_ARN, roleArn) : roleArn,
    artifactBucket:
      t.artifactBucket !== undefined
        ? target("artifactBucket", "bucket", BUCKET, bucketPlaceholder)
        : missing("artifactBucket", bucketPlaceholder, "the S3 bucket for artifacts"),
    connectionArn:
      t.connectionArn !== undefined
        ? target("connectionArn", "connection", undefined, connectionPlaceholder)
        : ir.source.provider === "codecommit"
          ? ""
          : missing("connectionArn", connectionPlaceholder, "the CodeStar connection to the repository"),
  };
  if (t.notificationArn) settings.notificationArn = target("notificationArn", "topic", undefined, "");
  if (t.computeType) settings.computeType = t.computeType;
  return { ir, settings, diagnostics, report, refs, value };
}
