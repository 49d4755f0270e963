/**
 * CloudFormation / SAM template → the API shapes (PipelineDeclaration, CreateProjectInput[],
 * transitions), resolving intrinsics statically where possible: parameter defaults, references to
 * CodeBuild projects (their Name), !Sub/!Join over resolvable parts, !If (first branch).
 */
import type { SourceMap } from "@pipeglot/schema";
import { fromCfn, PIPELINE_RESOURCE, PROJECT_RESOURCE, type Template } from "../native/cloudformation.js";
import type { PipelineDeclaration, Tag, Transition } from "../native/codepipeline.js";
import type { CreateProjectInput } from "../native/codebuild.js";
import type { ImportReport } from "./parse.js";
import { isObject } from "@pipeglot/core";
import { METADATA_KEY } from "../compile/cloudformation.js";

export interface CfnPipeline {
  logicalId: string;
  declaration: PipelineDeclaration;
  tags: Tag[];
  transitions: Transition[];
  /** The native pointer of the pipeline's properties. */
  base: string;
}

export interface CfnResult {
  pipelines: CfnPipeline[];
  projects: { project: CreateProjectInput; ptr: string; logicalId: string }[];
}

const isReference = (s: string) => /\$\{(?![{!])[^}]*\}/.test(s);

/**
 * Parameters that pipeglot's compile made for CloudFormation references (Metadata.pipeglot.references,
 * see compile/references.ts): each reads back as the reference text it stands for.
 */
function restoredReferences(t: Template): Record<string, string> {
  const m = isObject(t.Metadata) && isObject(t.Metadata[METADATA_KEY]) ? t.Metadata[METADATA_KEY].references : undefined;
  if (!isObject(m)) return {};
  return Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === "string") as [string, string][]);
}

export function readTemplate(t: Template, map: SourceMap, report: ImportReport): CfnResult {
  const resources = isObject(t.Resources) ? t.Resources : {};
  const params = isObject(t.Parameters) ? t.Parameters : {};
  const projectNames = new Map<string, string>();
  for (const [id, r] of Object.entries(resources)) {
    if (isObject(r) && r.Type === PROJECT_RESOURCE) {
      const n = isObject(r.Properties) ? r.Properties.Name : undefined;
      projectNames.set(id, typeof n === "string" ? n : id);
    }
  }
  const unresolved = new Set<string>();
  const restored = restoredReferences(t);
  const resolve = (v: unknown, ptr: string): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => resolve(x, `${ptr}/${i}`));
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const k = keys[0]!;
      const arg = v[k];
      const text = (x: unknown, p: string): string => {
        const r = resolve(x, p);
        return typeof r === "string" ? r : typeof r === "number" || typeof r === "boolean" ? String(r) : JSON.stringify(r);
      };
      const ref = (name: string): string => {
        if (projectNames.has(name)) return projectNames.get(name)!;
        if (restored[name] !== undefined) return restored[name]!;
        const p = params[name];
        const ssm = isObject(p) && typeof p.Type === "string" && p.Type.startsWith("AWS::SSM::Parameter::Value");
        if (isObject(p) && !ssm && p.Default !== undefined && p.Default !== "") return String(p.Default);
        return `\${${name}}`;
      };
      const note = (what: string) => {
        if (!unresolved.has(ptr)) {
          unresolved.add(ptr);
          report("PG-AWS-IMPORT-INTRINSIC", map, ptr, `${what} cannot be resolved without deploying the stack; kept as text`);
        }
      };
      switch (k) {
        case "Ref": {
          if (arg === "AWS::NoValue") return undefined; // the property is left out
          const r = ref(String(arg));
          if (isReference(r)) note(`Ref ${String(arg)}`);
          return r;
        }
        case "Fn::Sub": {
          const [tpl, vars] = Array.isArray(arg) ? [String(arg[0]), isObject(arg[1]) ? arg[1] : {}] : [String(arg), {}];
          let missing = false;
          const out = tpl.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
            if (name in vars) return text(vars[name], `${ptr}/Fn::Sub/1/${name}`);
            if (name.includes(".")) {
              missing = true;
              return `\${${name}}`;
            }
            const r = ref(name);
            if (isReference(r)) missing = true;
            return r;
          });
          if (missing) note(`!Sub ${JSON.stringify(tpl)}`);
          return out;
        }
        case "Fn::Join": {
          if (Array.isArray(arg) && Array.isArray(resolve(arg[1], `${ptr}/Fn::Join/1`))) {
            const parts = resolve(arg[1], `${ptr}/Fn::Join/1`) as unknown[];
            return parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join(String(arg[0]));
          }
          note("!Join");
          return "${Fn::Join}";
        }
        case "Fn::GetAtt": {
          const parts = Array.isArray(arg) ? arg.map(String) : String(arg).split(".");
          note(`!GetAtt ${parts.join(".")}`);
          return `\${${parts.join(".")}}`;
        }
        case "Fn::If": {
          if (Array.isArray(arg) && arg.length === 3) {
            note(`!If ${String(arg[0])} (the first branch is used)`);
            return resolve(arg[1], `${ptr}/Fn::If/1`);
          }
          note("!If");
          return "${Fn::If}";
        }
        case "Fn::FindInMap": {
          const found = findInMap(arg, ptr);
          if (found !== undefined) return found;
          note("!FindInMap");
          return "${Fn::FindInMap}";
        }
        case "Fn::ImportValue":
          note(`!ImportValue ${text(arg, `${ptr}/Fn::ImportValue`)}`);
          return `\${Import:${text(arg, `${ptr}/Fn::ImportValue`)}}`;
        default:
          if (k.startsWith("Fn::") || k === "Condition") {
            note(`${k}`);
            return `\${${k}}`;
          }
      }
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, `${ptr}/${k}`)]));
  };

  /** !FindInMap [Map, TopKey, SecondKey]; a top key from a parameter with no default takes its first allowed value. */
  const findInMap = (arg: unknown, ptr: string): unknown => {
    if (!Array.isArray(arg) || arg.length < 3 || !isObject(t.Mappings)) return undefined;
    const key = (x: unknown, i: number): string | undefined => {
      if (isObject(x) && typeof x.Ref === "string" && isObject(params[x.Ref]) && params[x.Ref]!.Default === undefined) {
        const allowed = params[x.Ref]!.AllowedValues;
        if (!Array.isArray(allowed) || !allowed.length) return undefined;
        if (!unresolved.has(ptr)) {
          unresolved.add(ptr);
          report("PG-AWS-IMPORT-INTRINSIC", map, ptr, `!FindInMap with parameter ${x.Ref}, which has no default: its first allowed value ${JSON.stringify(String(allowed[0]))} is used`);
        }
        return String(allowed[0]);
      }
      const r = resolve(x, `${ptr}/Fn::FindInMap/${i}`);
      return typeof r === "string" && !isReference(r) ? r : undefined;
    };
    const [m, k1, k2] = [key(arg[0], 0), key(arg[1], 1), key(arg[2], 2)];
    const top = m !== undefined ? (t.Mappings as Record<string, unknown>)[m] : undefined;
    const second = isObject(top) && k1 !== undefined ? top[k1] : undefined;
    return isObject(second) && k2 !== undefined ? second[k2] : undefined;
  };

  const out: CfnResult = { pipelines: [], projects: [] };
  for (const [id, r] of Object.entries(resources)) {
    if (!isObject(r) || !isObject(r.Properties)) continue;
    const base = `/Resources/${id}/Properties`;
    if (r.Type === PROJECT_RESOURCE) {
      const props = resolve(r.Properties, base) as Record<string, unknown>;
      const p = fromCfn(props) as CreateProjectInput;
      if (typeof p.name !== "string") p.name = id;
      out.projects.push({ project: p, ptr: base, logicalId: id });
    } else if (r.Type === PIPELINE_RESOURCE) {
      const props = resolve(r.Properties, base) as Record<string, unknown>;
      const transitions: Transition[] = (Array.isArray(props.DisableInboundStageTransitions) ? props.DisableInboundStageTransitions : [])
        .filter(isObject)
        .map((t) => ({ stageName: String(t.StageName), enabled: false as const, reason: String(t.Reason ?? "") }));
      const tags = (Array.isArray(props.Tags) ? props.Tags : []).filter(isObject).map((t) => ({ key: String(t.Key), value: String(t.Value ?? "") }));
      const rest = { ...props };
      delete rest.DisableInboundStageTransitions;
      delete rest.Tags;
      delete rest.RestartExecutionOnUpdate;
      const decl = fromCfn(rest) as PipelineDeclaration;
      if (typeof decl.name !== "string") decl.name = id;
      out.pipelines.push({ logicalId: id, declaration: decl, tags, transitions, base });
    }
  }
  return out;
}
