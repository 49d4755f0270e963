/**
 * CloudFormation intrinsics → values, statically: parameter defaults, CodeBuild project names,
 * !Sub/!Join over resolvable parts, !If (first branch), !FindInMap over the template's Mappings,
 * `AWS::NoValue` (the property is left out), and the parameters pipeglot's own compile made for
 * references (Metadata.pipeglot.references). What cannot be resolved without deploying the stack
 * stays as Fn::Sub text (`${Role.Arn}`, `${Bucket}`), with a PG-AWS-IMPORT-INTRINSIC warning.
 */
import type { SourceMap } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { PROJECT_RESOURCE, type Template } from "../native/cloudformation.js";
import { METADATA_KEY } from "../compile/cloudformation.js";
import type { ImportReport } from "./parse.js";

const isReference = (s: string): boolean => /\$\{(?![{!])[^}]*\}/.test(s);

type Params = Record<string, Record<string, unknown>>;

export class Intrinsics {
  private readonly params: Params;
  private readonly projectNames = new Map<string, string>();
  private readonly restored: Record<string, string>;
  private readonly noted = new Set<string>();

  constructor(
    private readonly t: Template,
    private readonly map: SourceMap,
    private readonly report: ImportReport,
  ) {
    this.params = (isObject(t.Parameters) ? t.Parameters : {}) as Params;
    for (const [id, r] of Object.entries(isObject(t.Resources) ? t.Resources : {}))
      if (isObject(r) && r.Type === PROJECT_RESOURCE) {
        const n = isObject(r.Properties) ? r.Properties.Name : undefined;
        this.projectNames.set(id, typeof n === "string" ? n : id);
      }
    const m = isObject(t.Metadata) && isObject(t.Metadata[METADATA_KEY]) ? t.Metadata[METADATA_KEY].references : undefined;
    this.restored = isObject(m) ? (Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === "string")) as Record<string, string>) : {};
  }

  resolve(v: unknown, ptr: string): unknown {
    if (Array.isArray(v)) return v.map((x, i) => this.resolve(x, `${ptr}/${i}`));
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === "Ref" || keys[0] === "Condition" || keys[0]!.startsWith("Fn::"))) return this.call(keys[0]!, v[keys[0]!], ptr);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.resolve(x, `${ptr}/${k}`)]));
  }

  private call(k: string, arg: unknown, ptr: string): unknown {
    switch (k) {
      case "Ref": {
        if (arg === "AWS::NoValue") return undefined;
        const r = this.ref(String(arg));
        if (isReference(r)) this.note(ptr, `Ref ${String(arg)}`);
        return r;
      }
      case "Fn::Sub":
        return this.sub(arg, ptr);
      case "Fn::Join": {
        const parts = Array.isArray(arg) ? this.resolve(arg[1], `${ptr}/Fn::Join/1`) : undefined;
        if (Array.isArray(parts))
          return parts.map((p) => (typeof p === "string" ? p : p === undefined ? "" : JSON.stringify(p))).join(String((arg as unknown[])[0]));
        return this.unresolved(ptr, "!Join", "${Fn::Join}");
      }
      case "Fn::GetAtt": {
        const name = (Array.isArray(arg) ? arg.map(String) : String(arg).split(".")).join(".");
        return this.unresolved(ptr, `!GetAtt ${name}`, `\${${name}}`);
      }
      case "Fn::If":
        if (Array.isArray(arg) && arg.length === 3) {
          this.note(ptr, `!If ${String(arg[0])} (the first branch is used)`);
          return this.resolve(arg[1], `${ptr}/Fn::If/1`);
        }
        return this.unresolved(ptr, "!If", "${Fn::If}");
      case "Fn::FindInMap":
        return this.findInMap(arg, ptr) ?? this.unresolved(ptr, "!FindInMap", "${Fn::FindInMap}");
      case "Fn::ImportValue": {
        const name = this.text(arg, `${ptr}/Fn::ImportValue`);
        return this.unresolved(ptr, `!ImportValue ${name}`, `\${Import:${name}}`);
      }
      default:
        return this.unresolved(ptr, k, `\${${k}}`);
    }
  }

  private ref(name: string): string {
    if (this.projectNames.has(name)) return this.projectNames.get(name)!;
    if (this.restored[name] !== undefined) return this.restored[name]!;
    const p = this.params[name];
    const ssm = isObject(p) && typeof p.Type === "string" && p.Type.startsWith("AWS::SSM::Parameter::Value");
    if (isObject(p) && !ssm && p.Default !== undefined && p.Default !== "") return String(p.Default);
    return `\${${name}}`;
  }

  private sub(arg: unknown, ptr: string): string {
    const [tpl, vars] = Array.isArray(arg) ? [String(arg[0]), isObject(arg[1]) ? arg[1] : {}] : [String(arg), {}];
    let missing = false;
    const out = tpl.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      if (name in vars) return this.text(vars[name], `${ptr}/Fn::Sub/1/${name}`);
      const r = name.includes(".") ? `\${${name}}` : this.ref(name);
      if (isReference(r)) missing = true;
      return r;
    });
    if (missing) this.note(ptr, `!Sub ${JSON.stringify(tpl)}`);
    return out;
  }

  /** !FindInMap [Map, TopKey, SecondKey]; a key from a parameter with no default takes its first allowed value. */
  private findInMap(arg: unknown, ptr: string): unknown {
    if (!Array.isArray(arg) || arg.length < 3 || !isObject(this.t.Mappings)) return undefined;
    const key = (x: unknown, i: number): string | undefined => {
      const p = isObject(x) && typeof x.Ref === "string" ? this.params[x.Ref] : undefined;
      if (isObject(x) && isObject(p) && p.Default === undefined) {
        const allowed = p.AllowedValues;
        if (!Array.isArray(allowed) || !allowed.length) return undefined;
        this.note(
          ptr,
          `!FindInMap with parameter ${String(x.Ref)}, which has no default: its first allowed value ${JSON.stringify(String(allowed[0]))} is used`,
          "",
        );
        return String(allowed[0]);
      }
      const r = this.resolve(x, `${ptr}/Fn::FindInMap/${i}`);
      return typeof r === "string" && !isReference(r) ? r : undefined;
    };
    const [m, k1, k2] = [key(arg[0], 0), key(arg[1], 1), key(arg[2], 2)];
    const top = m !== undefined ? (this.t.Mappings as Record<string, unknown>)[m] : undefined;
    const second = isObject(top) && k1 !== undefined ? top[k1] : undefined;
    return isObject(second) && k2 !== undefined ? second[k2] : undefined;
  }

  private text(x: unknown, ptr: string): string {
    const r = this.resolve(x, ptr);
    return typeof r === "string" ? r : typeof r === "number" || typeof r === "boolean" ? String(r) : JSON.stringify(r);
  }

  private unresolved(ptr: string, what: string, text: string): string {
    this.note(ptr, what);
    return text;
  }

  /** One warning per position. */
  private note(ptr: string, what: string, tail = "cannot be resolved without deploying the stack; kept as text"): void {
    if (this.noted.has(ptr)) return;
    this.noted.add(ptr);
    this.report("PG-AWS-IMPORT-INTRINSIC", this.map, ptr, tail ? `${what} ${tail}` : what);
  }
}
