/** targets.aws: the real (not placeholder) role, bucket and connection of the declaration, and their positions. */
import type { PipelineIR } from "@pipeglot/schema";
import { PLACEHOLDER } from "../compile/context.js";
import { str, type DeclarationContext } from "./context.js";
import type { ImportedSource } from "./source.js";

export function importTargets(cx: DeclarationContext, ir: PipelineIR, src: ImportedSource, codebuildRole: string | undefined): void {
  const { map, P } = cx;
  const { connectionArn, first } = src;
  const roleArn = str(cx.inp.decl.roleArn);
  const aws: NonNullable<PipelineIR["targets"]["aws"]> = {};
  const real = (v: string | undefined) => (v && !v.includes(PLACEHOLDER) && !v.includes(PLACEHOLDER.toLowerCase()) ? v : undefined);
  const region = connectionArn?.split(":")[3];
  if (real(connectionArn) && region) aws.region = region;
  // Positions of the target values, for diagnostics about them (e.g. a CloudFormation reference).
  cx.sm.set("/targets/aws/roleArn", map, P("roleArn"));
  cx.sm.set("/targets/aws/artifactBucket", map, P("artifactStore", "location"));
  if (first) cx.sm.set("/targets/aws/connectionArn", map, `${P("stages", first.si, "actions", first.ai, "configuration")}/ConnectionArn`);
  if (real(roleArn)) aws.roleArn = roleArn;
  if (codebuildRole && real(codebuildRole)) aws.codebuildRoleArn = codebuildRole;
  const bucket = cx.inp.decl.artifactStore?.location;
  if (real(str(bucket) || undefined)) aws.artifactBucket = str(bucket);
  if (real(connectionArn)) aws.connectionArn = connectionArn!;
  if (Object.keys(aws).length) ir.targets.aws = aws;
}
