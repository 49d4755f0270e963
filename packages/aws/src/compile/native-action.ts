/**
 * A passed-through action (`native.aws.action`), made what the CodePipeline API takes: values a
 * CloudFormation template may give as booleans or numbers (`BatchEnabled: true`, `Version: 1`,
 * `RunOrder: "2"`) get the API's types (configuration values and the action type's version are
 * strings; runOrder and timeoutInMinutes are numbers), empty configuration values are left out
 * (CloudFormation's AWS::NoValue), and CloudFormation references become placeholders (see
 * references.ts). Shell commands (`commands`) are left as they are.
 */
import { isObject } from "@pipeglot/core";
import type { ActionDeclaration } from "../native/codepipeline.js";
import type { Ctx } from "./context.js";
import { kindOf } from "./references.js";

const text = (v: unknown): string => (typeof v === "string" ? v : isObject(v) || Array.isArray(v) ? JSON.stringify(v) : String(v));

export function passThrough(ctx: Ctx, action: ActionDeclaration, path: string): ActionDeclaration {
  const out = structuredClone(action) as ActionDeclaration & Record<string, unknown>;
  const at = `${path}/native/aws/action`;
  if (isObject(out.actionTypeId)) out.actionTypeId = { ...out.actionTypeId, version: text(out.actionTypeId.version ?? "1") };
  for (const k of ["runOrder", "timeoutInMinutes"] as const) if (out[k] !== undefined) out[k] = Number(out[k]);
  if (isObject(out.configuration)) {
    const cfg: Record<string, string> = {};
    for (const [k, v] of Object.entries(out.configuration)) {
      if (v === null || v === undefined) continue;
      const s = ctx.value(text(v), kindOf(k), `${at}/configuration/${k}`);
      if (s !== "") cfg[k] = s;
    }
    out.configuration = cfg;
  }
  for (const k of ["roleArn", "region", "namespace"] as const) if (typeof out[k] === "string") out[k] = ctx.value(out[k], kindOf(k), `${at}/${k}`);
  return out;
}
