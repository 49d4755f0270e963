/**
 * Variables and secrets: root variables (runtime parameters bound to variables are overridable),
 * secrets named by pipeglot's header comments, and secrets of variable groups found in env values.
 */
import type { PipelineIR } from "@pipeglot/schema";
import { isObject } from "@pipeglot/core";
import { readVariables } from "../native/pipeline.js";
import { report, type ImportCtx } from "./context.js";
import { toStr } from "./template/expr.js";
import { macroPieces, neutralText, neutralVar } from "./text.js";

type Raw = Record<string, unknown>;
type Variables = PipelineIR["variables"];

const SECRET_HEADER = /^\s*pipeglot:secret (\S+) (\S+)\s*$/;

/** Secrets named by pipeglot's header comments (`# pipeglot:secret NAME REF`). */
export function headerSecrets(ctx: ImportCtx, text: string): PipelineIR["secrets"] {
  const secrets: PipelineIR["secrets"] = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("#")) {
      if (line.trim()) break;
      continue;
    }
    const m = SECRET_HEADER.exec(line.slice(1));
    if (m) {
      secrets[m[1]!] = { azure: m[2]! };
      const v = /^group:[^/]+\/(.+)$/.exec(m[2]!)?.[1] ?? m[1]!;
      ctx.scope.secrets.set(v, m[1]!);
    }
  }
  return secrets;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Root variables; runtime parameters bound to variables are overridable variables. A name outside
 * the env-var alphabet is folded (`JQM.name` → `JQM_name`) when the file refers to it as `$(JQM.name)`;
 * one it never refers to is a setting Azure or a task reads by that name (`system.debug`,
 * `Codeql.Enabled`) and stays Azure's: the root variables are then kept as native.azure (folded
 * names folded there too, so that references and declarations agree).
 */
export function rootVariables(ctx: ImportCtx, doc: Raw, rawText: string, native: Raw): { variables: Variables; groups: string[] } {
  const params = Array.isArray(doc.parameters) ? doc.parameters.filter(isObject) : [];
  const variables: Variables = {};
  const groups: string[] = [];
  const at = isObject(doc.variables) || Array.isArray(doc.variables) ? doc.variables : doc;
  let keep = false;
  const list = readVariables(doc.variables);
  for (const v of list) {
    if ("group" in v) groups.push(String(v.group));
    else if ("template" in v) {
      keep = true;
      report(
        ctx,
        "PG-ADO-IMPORT-TEMPLATE-UNREAD",
        `variables template ${String(v.template)} was not read; the root variables are kept as native.azure so that a recompile to Azure includes it`,
        v,
        "/native/azure/variables",
      );
    } else if ("name" in v) {
      const name = neutralVar(v.name);
      if (name !== v.name && !new RegExp(`\\$\\(${escapeRe(v.name)}\\)`).test(rawText)) {
        keep = true;
        report(
          ctx,
          "PG-ADO-IMPORT-NATIVE-KEY",
          `variable ${v.name} is never referenced as $(${v.name}): an Azure setting, kept as native.azure`,
          at,
          "/native/azure/variables",
        );
        continue;
      }
      if (name !== v.name)
        report(
          ctx,
          "PG-ADO-IMPORT-NAME",
          `variable ${v.name} became ${name} (letters, digits and '_'); its $(${v.name}) references follow`,
          at,
          `/variables/${name}`,
        );
      const p = params.find((x) => x.name === v.name && new RegExp(`\\$\\{\\{\\s*parameters\\.${escapeRe(v.name)}\\s*\\}\\}`).test(rawText));
      if (p) {
        variables[name] = { default: toStr(p.default), overridable: true };
        if (typeof p.displayName === "string") variables[name]!.description = p.displayName;
      } else variables[name] = { default: toStr(v.value), overridable: false };
      ctx.scope.variables.add(v.name);
    }
  }
  if (keep) native.variables = list.map((v) => ("name" in v && ctx.scope.variables.has(v.name) ? { ...v, name: neutralVar(v.name) } : v));
  for (const p of params)
    if (!variables[neutralVar(String(p.name))])
      report(ctx, "PG-ADO-IMPORT-LOSSY", `runtime parameter ${String(p.name)} expanded with its default ${JSON.stringify(p.default ?? "")}`, doc, "/variables");
  for (const v of Object.values(variables)) v.default = neutralText(macroPieces(v.default), { ...ctx.scope, variables: new Set() }, []);
  return { variables, groups };
}

/** Real files: env values that are exactly $(X), X undeclared and not a predefined (dotted) name, are secrets of the variable groups. */
export function groupSecrets(ctx: ImportCtx, doc: Raw, variables: Variables, groups: string[], secrets: PipelineIR["secrets"]): void {
  if (Object.keys(secrets).length || !groups.length) return;
  const scan = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(scan);
    else if (isObject(v)) {
      if (isObject(v.env))
        for (const e of Object.values(v.env)) {
          const m = /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(toStr(e));
          if (m && !(m[1]! in variables) && !secrets[m[1]!]) {
            secrets[m[1]!] = groups.length === 1 ? { azure: `group:${groups[0]}/${m[1]}` } : {};
            ctx.scope.secrets.set(m[1]!, m[1]!);
          }
        }
      Object.values(v).forEach(scan);
    }
  };
  scan(doc);
}
