/** What every compile step shares: the IR, the target settings (placeholders filled in), the reporter. */
import { reporter } from "@pipeglot/core";
import type { AwsTarget, Diagnostic, PipelineIR } from "@pipeglot/schema";
import { CODES, type AwsCode } from "../diagnostics.js";

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
}

export function makeContext(ir: PipelineIR): Ctx {
  const diagnostics: Diagnostic[] = [];
  const report = reporter(CODES, diagnostics);
  const t: AwsTarget = ir.targets.aws ?? {};
  const account = t.accountId && /^[0-9]{12}$/.test(t.accountId) ? t.accountId : "000000000000";
  const region = t.region ?? (t.connectionArn?.split(":")[3] || "us-east-1");
  const missing = (key: keyof AwsTarget, value: string, what: string): string => {
    report(
      "PG-AWS-TARGET-PLACEHOLDER",
      t ? "/targets/aws" : "/targets",
      `targets.aws.${key} is not set: wrote the placeholder ${JSON.stringify(value)} (${what}); replace it before applying`,
      `set targets.aws.${key} in the pipeline definition`,
    );
    return value;
  };
  const roleArn = t.roleArn ?? missing("roleArn", `arn:aws:iam::${account}:role/${PLACEHOLDER}-codepipeline-role`, "the role CodePipeline assumes");
  const settings: Settings = {
    region,
    roleArn,
    codebuildRoleArn: t.codebuildRoleArn ?? roleArn,
    artifactBucket: t.artifactBucket ?? missing("artifactBucket", `${PLACEHOLDER.toLowerCase()}-artifact-bucket`, "the S3 bucket for artifacts"),
    connectionArn:
      t.connectionArn ??
      (ir.source.provider === "codecommit" ? "" : missing("connectionArn", `arn:aws:codestar-connections:${region}:${account}:connection/${PLACEHOLDER}`, "the CodeStar connection to the repository")),
  };
  if (t.notificationArn) settings.notificationArn = t.notificationArn;
  if (t.computeType) settings.computeType = t.computeType;
  return { ir, settings, diagnostics, report };
}
