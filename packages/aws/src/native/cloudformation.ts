/**
 * CloudFormation templates: the two resource types pipeglot writes and reads, the short-form
 * intrinsic tags (!Ref, !Sub, !GetAtt, ...) and the PascalCase ↔ camelCase key mapping between a
 * resource's properties and the API shapes.
 * Reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-codepipeline-pipeline.html
 * and https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Tags } from "yaml";

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html — file kind cloudformation.Template */
export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, { Type?: string; Default?: unknown; [k: string]: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  [k: string]: unknown;
}

export const PIPELINE_RESOURCE = "AWS::CodePipeline::Pipeline";
export const PROJECT_RESOURCE = "AWS::CodeBuild::Project";

const FUNCTIONS = [
  "Ref",
  "Condition",
  "Sub",
  "GetAtt",
  "Join",
  "If",
  "Select",
  "Split",
  "ImportValue",
  "FindInMap",
  "Base64",
  "Cidr",
  "GetAZs",
  "Equals",
  "Not",
  "And",
  "Or",
  "Transform",
  "ToJsonString",
  "Length",
];
const longName = (f: string) => (f === "Ref" || f === "Condition" ? f : `Fn::${f}`);

/** Custom tags for `yaml`'s parseDocument: each short form becomes its long form ({ "Fn::Sub": ... }). */
export const CFN_TAGS: Tags = FUNCTIONS.flatMap((f) => {
  const key = longName(f);
  const wrap = (node: YAMLMap | YAMLSeq) => {
    const m = new YAMLMap();
    m.items.push(new Pair(new Scalar(key), node));
    if (node.range) m.range = node.range;
    return m;
  };
  return [
    { tag: `!${f}`, resolve: (s: string) => ({ [key]: f === "GetAtt" ? s.split(".") : s }) },
    { tag: `!${f}`, collection: "seq" as const, nodeClass: YAMLSeq, resolve: (seq: YAMLSeq) => wrap(seq) },
    { tag: `!${f}`, collection: "map" as const, nodeClass: YAMLMap, resolve: (map: YAMLMap) => wrap(map) },
  ];
}) as unknown as Tags;

/** Keys whose values are maps of user keys (kept as they are, not re-cased). */
const OPAQUE = new Set(["configuration", "Configuration"]);
const SPECIAL_TO_CFN: Record<string, string> = { buildspec: "BuildSpec" };
const SPECIAL_FROM_CFN: Record<string, string> = { BuildSpec: "buildspec" };

/** API shape (camelCase) → CloudFormation properties (PascalCase). */
export function toCfn(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCfn);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [SPECIAL_TO_CFN[k] ?? k.charAt(0).toUpperCase() + k.slice(1), OPAQUE.has(k) ? v : toCfn(v)]),
    );
  }
  return value;
}

/** CloudFormation properties (PascalCase) → API shape (camelCase). Intrinsic maps ({Ref}, {Fn::*}) are kept. */
export function fromCfn(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromCfn);
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && (entries[0]![0] === "Ref" || entries[0]![0].startsWith("Fn::"))) return value;
    return Object.fromEntries(entries.map(([k, v]) => [SPECIAL_FROM_CFN[k] ?? k.charAt(0).toLowerCase() + k.slice(1), OPAQUE.has(k) ? v : fromCfn(v)]));
  }
  return value;
}
