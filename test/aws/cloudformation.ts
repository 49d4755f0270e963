/**
 * A CloudFormation template as CloudFormation would take it: every Ref / Fn::Sub / Fn::GetAtt must
 * name a parameter, a resource of the template or a pseudo parameter; parameters take their
 * defaults (as in a deploy without overrides); then each AWS::CodePipeline::Pipeline's properties
 * must pass the resource type's registry schema (the oracle).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { CFN_TAGS } from "@pipeglot/aws";
import { ORACLES } from "../helpers/paths.js";

const PSEUDO: Record<string, string> = {
  "AWS::AccountId": "123456789012",
  "AWS::Region": "us-east-1",
  "AWS::Partition": "aws",
  "AWS::URLSuffix": "amazonaws.com",
  "AWS::StackName": "test-stack",
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

export function cfnPipelineSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(ORACLES, "aws/cloudformation/AWS_CodePipeline_Pipeline.json"), "utf8"));
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

export function cfnTemplateProblems(text: string, schema: ValidateFunction): string[] {
  const t = parse(text, { customTags: CFN_TAGS }) as Obj;
  const params = (isObj(t.Parameters) ? t.Parameters : {}) as Record<string, Obj>;
  const resources = (isObj(t.Resources) ? t.Resources : {}) as Record<string, Obj>;
  const problems: string[] = [];
  const value = (name: string, where: string): string => {
    if (name in PSEUDO) return PSEUDO[name]!;
    const p = params[name];
    if (p) {
      if (typeof p.Type !== "string") problems.push(`${where}: parameter ${name} has no Type`);
      if (p.Default === undefined) problems.push(`${where}: parameter ${name} has no Default, so no value to check`);
      return String(p.Default ?? "");
    }
    if (resources[name]) return `${name}-physical-id`;
    problems.push(`${where}: refers to ${name}, which the template does not declare`);
    return "";
  };
  const resolve = (v: unknown, where: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => resolve(x, `${where}/${i}`));
    if (!isObj(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "Ref") return value(String(v.Ref), where);
    if (keys.length === 1 && keys[0] === "Fn::Sub") {
      const [tpl, vars] = Array.isArray(v["Fn::Sub"]) ? [String(v["Fn::Sub"][0]), (v["Fn::Sub"][1] ?? {}) as Obj] : [String(v["Fn::Sub"]), {}];
      return tpl.replace(/\$\{([^}!]+)\}/g, (_m, n: string) => (n in vars ? String(resolve(vars[n], where)) : value(n, where))).replace(/\$\{!/g, "${");
    }
    if (keys.length === 1 && keys[0] === "Fn::GetAtt") {
      const target = String(Array.isArray(v["Fn::GetAtt"]) ? v["Fn::GetAtt"][0] : String(v["Fn::GetAtt"]).split(".")[0]);
      if (!resources[target]) problems.push(`${where}: Fn::GetAtt of ${target}, which the template does not declare`);
      return `arn:aws:iam::123456789012:role/${target}`;
    }
    if (keys.length === 1 && keys[0]!.startsWith("Fn::")) problems.push(`${where}: ${keys[0]} is not checked by this test`);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, `${where}/${k}`)]));
  };
  const pipelines = Object.entries(resources).filter(([, r]) => r.Type === "AWS::CodePipeline::Pipeline");
  if (pipelines.length !== 1) problems.push(`${pipelines.length} pipelines in the template`);
  for (const [id, r] of Object.entries(resources)) {
    const props = resolve(r.Properties, `/Resources/${id}/Properties`);
    if (r.Type === "AWS::CodePipeline::Pipeline" && !schema(props))
      problems.push(...(schema.errors ?? []).slice(0, 5).map((e) => `${id}${e.instancePath} ${e.message}`));
  }
  return problems;
}
