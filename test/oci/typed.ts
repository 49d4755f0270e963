/**
 * Helpers for the OCI conformance test. Oracle's types are the oracle: every JSON resource the compiler writes is put into a generated
 * TypeScript file as `const x: models.<Type> = {...}` (the subtype picked by its discriminator,
 * nested polymorphic fields too) and type-checked against the `oci-devops` package's own model
 * types, all files in one program. Every build spec (and every inline command spec) must pass the
 * JSON Schema written from Oracle's build spec documentation (build-spec.schema.json cites it).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import ts from "typescript";
import type { OutputFile } from "@pipeglot/core";
import { REPO } from "../helpers/paths.js";

const require = createRequire(import.meta.url);
const SDK = dirname(require.resolve("oci-devops/package.json", { paths: [join(REPO, "packages/oci")] }));
const MODEL_DIR = join(SDK, "lib/model");

/** field → value → SDK interface names that declare `const field = "value"` (read from the SDK's .d.ts). */
function discriminators(): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const f of readdirSync(MODEL_DIR).filter((x) => x.endsWith(".d.ts"))) {
    const text = readFileSync(join(MODEL_DIR, f), "utf8");
    const ns = /export declare namespace (\w+)/.exec(text)?.[1];
    if (!ns) continue;
    for (const m of text.matchAll(/const (\w+) = "([A-Z0-9_]+)";/g)) {
      const byValue = out.get(m[1]!) ?? new Map<string, string[]>();
      byValue.set(m[2]!, [...(byValue.get(m[2]!) ?? []), ns]);
      out.set(m[1]!, byValue);
    }
  }
  return out;
}
const DISC = discriminators();
const FIELDS = [
  "buildPipelineStageType",
  "deployStageType",
  "triggerSource",
  "connectionType",
  "buildRunnerType",
  "approvalPolicyType",
  "containerConfigType",
  "networkChannelType",
  "deployArtifactSourceType",
  "waitType",
  "type",
];

const ROOT: Record<string, string | undefined> = {
  "oci.CreateBuildPipelineDetails": "CreateBuildPipelineDetails",
  "oci.CreateDeployPipelineDetails": "CreateDeployPipelineDetails",
  "oci.CreateDeployArtifactDetails": "CreateDeployArtifactDetails",
  "oci.CreateBuildPipelineStageDetails": undefined,
  "oci.CreateDeployStageDetails": undefined,
  "oci.CreateTriggerDetails": undefined,
};

/** The SDK subtype for an object, by its discriminator; `root` picks request (Create…Details) types. */
function subtype(v: Record<string, unknown>, key: string, root: boolean): string | undefined {
  for (const field of FIELDS) {
    const value = v[field];
    if (typeof value !== "string") continue;
    let names = DISC.get(field)?.get(value) ?? [];
    names = root
      ? names.filter((n) => n.startsWith("Create") && n.endsWith("Details"))
      : names.filter(
          (n) =>
            !/^(Create|Update)/.test(n) &&
            !/(Summary|Result)$/.test(n) &&
            (key !== "filter" || n.endsWith("Filter")) &&
            (key !== "items" || n.endsWith("BuildSource")),
        );
    if (names.length !== 1) throw new Error(`no single SDK type for ${field}=${value} at "${key}": ${JSON.stringify(names)}`);
    return names[0];
  }
  return undefined;
}

const kebab = (t: string) => t.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** Fields of SDK type `t` typed by one of its own string enums: key → (value → `models.T.Enum.Member`). */
function enumsOf(t: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let text: string;
  try {
    text = readFileSync(join(MODEL_DIR, `${kebab(t)}.d.ts`), "utf8");
  } catch {
    return out;
  }
  for (const m of text.matchAll(new RegExp(`"(\\w+)"\\??: (?:Array<)?${t}\\.(\\w+)>?;`, "g"))) {
    const body = new RegExp(`enum ${m[2]} \\{([^}]*)\\}`).exec(text)?.[1] ?? "";
    const members = new Map<string, string>();
    for (const e of body.matchAll(/(\w+) = "([^"]*)"/g)) members.set(e[2]!, `models.${t}.${m[2]}.${e[1]}`);
    out.set(m[1]!, members);
  }
  return out;
}

/** An object literal typed as SDK type `t` (or untyped): enum-typed fields become enum members (unknown values stay strings and fail). */
function objectBody(o: Record<string, unknown>, t: string | undefined): string {
  const enums = t ? enumsOf(t) : new Map<string, Map<string, string>>();
  const field = (k: string, x: unknown): string => {
    if (k === "freeformTags") return JSON.stringify(x);
    const e = enums.get(k);
    if (e) {
      const one = (y: unknown) => (typeof y === "string" && e.has(y) ? e.get(y)! : JSON.stringify(y));
      return Array.isArray(x) ? `[${x.map(one).join(", ")}]` : one(x);
    }
    return literal(x, k);
  };
  return `{ ${Object.entries(o)
    .map(([k, x]) => `${JSON.stringify(k)}: ${field(k, x)}`)
    .join(", ")} }`;
}

function literal(v: unknown, key: string): string {
  if (Array.isArray(v)) return `[${v.map((x) => literal(x, key)).join(", ")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const t = subtype(o, key, false);
    const body = objectBody(o, t);
    return t ? `(${body} satisfies models.${t} as models.${t})` : body;
  }
  return JSON.stringify(v);
}

export function typedSource(files: OutputFile[]): string {
  const lines = [`import * as models from ${JSON.stringify(join(MODEL_DIR, "index"))};`];
  files.forEach((f, i) => {
    if (!(f.kind in ROOT)) return;
    const v = JSON.parse(f.content) as Record<string, unknown>;
    const type = ROOT[f.kind] ?? subtype(v, "", true);
    if (!type) throw new Error(`no SDK type for ${f.path}`);
    const body = objectBody(v, type);
    lines.push(`// ${f.path}`, `export const r${i}: models.${type} = ${body};`);
  });
  return lines.join("\n") + "\n";
}

/** Type-check generated files in one program (in a temp folder outside the repo); returns the error messages per source name. */
export function typecheck(sources: Record<string, string>): Map<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), "pipeglot-oci-types-"));
  try {
    return typecheckIn(dir, sources);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function typecheckIn(dir: string, sources: Record<string, string>): Map<string, string[]> {
  const names = new Map<string, string>();
  const roots = Object.entries(sources).map(([name, text]) => {
    const p = join(dir, `${name}.ts`);
    writeFileSync(p, text);
    names.set(p, name);
    return p;
  });
  const program = ts.createProgram(roots, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  });
  const out = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = (d.file && names.get(d.file.fileName)) ?? d.file?.fileName ?? "(global)";
    const where = d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
    out.set(file, [...(out.get(file) ?? []), `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`]);
  }
  return out;
}
