/**
 * Oracle's types are the oracle: every JSON resource the compiler writes is put into a generated
 * TypeScript file as `const x: models.<Type> = {...}` (the subtype picked by its discriminator,
 * nested polymorphic fields too) and type-checked against the `oci-devops` package's own model
 * types, all files in one program. Every build spec (and every inline command spec) must pass the
 * JSON Schema written from Oracle's build spec documentation (build-spec.schema.json cites it).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ts from "typescript";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { validateFile } from "@pipeglot/schema";
import { compile } from "@pipeglot/oci";
import type { OutputFile } from "@pipeglot/core";
import { examples, REPO } from "../helpers/paths.js";

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
const FIELDS = ["buildPipelineStageType", "deployStageType", "triggerSource", "connectionType", "buildRunnerType", "approvalPolicyType", "containerConfigType", "networkChannelType", "deployArtifactSourceType", "waitType", "type"];

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
      : names.filter((n) => !/^(Create|Update)/.test(n) && !/(Summary|Result)$/.test(n) && (key !== "filter" || n.endsWith("Filter")) && (key !== "items" || n.endsWith("BuildSource")));
    if (names.length !== 1) throw new Error(`no single SDK type for ${field}=${value} at "${key}": ${JSON.stringify(names)}`);
    return names[0];
  }
  return undefined;
}

const kebab = (t: string) => t.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** Fields of SDK type `t` typed by one of its own string enums: key → (value → `models.T.Enum.Member`). */
function enumsOf(t: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let text = "";
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
  return `{ ${Object.entries(o).map(([k, x]) => `${JSON.stringify(k)}: ${field(k, x)}`).join(", ")} }`;
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

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pipeglot-oci-types-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Type-check generated files in one program; returns the error messages per file. */
function typecheck(sources: Record<string, string>): Map<string, string[]> {
  const roots = Object.entries(sources).map(([name, text]) => {
    const p = join(dir, `${name}.ts`);
    writeFileSync(p, text);
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
    const file = d.file?.fileName ?? "(global)";
    const where = d.file && d.start !== undefined ? `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : "";
    out.set(file, [...(out.get(file) ?? []), `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`]);
  }
  return out;
}

describe("OCI conformance: the oci-devops SDK model types", () => {
  it("every JSON resource of every example type-checks; a wrong field, a wrong nested field and a missing required field fail", async () => {
    const sources: Record<string, string> = {};
    const all: OutputFile[] = [];
    for (const ex of examples()) {
      const r = await validateFile(ex.file);
      const out = compile(r.ir!);
      all.push(...out.files);
      sources[ex.name] = typedSource(out.files);
    }
    // Deliberately wrong copies: each must fail.
    const stage = all.find((f) => f.path.startsWith("build_stages/") && JSON.parse(f.content).buildPipelineStageType === "BUILD")!;
    const bad1 = JSON.parse(stage.content);
    bad1.buildSpecPath = bad1.buildSpecFile; // not a field of CreateBuildStageDetails
    const bad2 = JSON.parse(stage.content);
    bad2.buildSourceCollection.items[0].repoUrl = "x"; // not a field of GithubBuildSource
    const trigger = all.find((f) => f.kind === "oci.CreateTriggerDetails")!;
    const bad3 = JSON.parse(trigger.content);
    delete bad3.actions[0].buildPipelineId; // required by TriggerBuildPipelineAction
    const approval = all.find((f) => f.kind === "oci.CreateDeployStageDetails" && JSON.parse(f.content).deployStageType === "MANUAL_APPROVAL")!;
    const bad4 = JSON.parse(approval.content);
    bad4.approvalPolicy.numberOfApprovalsRequired = "1"; // a string where the SDK wants a number
    const bad5 = JSON.parse(trigger.content);
    bad5.actions[0].filter.events = ["PUSHED"]; // not a GithubFilter.Events value
    const wrong = (f: OutputFile, v: unknown): OutputFile => ({ ...f, content: JSON.stringify(v) });
    sources["bad-field"] = typedSource([wrong(stage, bad1)]);
    sources["bad-nested"] = typedSource([wrong(stage, bad2)]);
    sources["bad-missing"] = typedSource([wrong(trigger, bad3)]);
    sources["bad-type"] = typedSource([wrong(approval, bad4)]);
    sources["bad-enum"] = typedSource([wrong(trigger, bad5)]);
    const errors = typecheck(sources);
    for (const ex of examples()) expect(errors.get(join(dir, `${ex.name}.ts`)) ?? [], `${ex.name}.ts`).toEqual([]);
    expect(errors.get(join(dir, "bad-field.ts"))?.join("\n")).toMatch(/buildSpecPath/);
    expect(errors.get(join(dir, "bad-nested.ts"))?.join("\n")).toMatch(/repoUrl/);
    expect(errors.get(join(dir, "bad-missing.ts"))?.join("\n")).toMatch(/buildPipelineId/);
    expect(errors.get(join(dir, "bad-type.ts"))?.join("\n")).toMatch(/numberOfApprovalsRequired|not assignable/);
    expect(errors.get(join(dir, "bad-enum.ts"))?.join("\n")).toMatch(/PUSHED/);
    expect(errors.size).toBe(5);
  }, 120_000);
});

describe("OCI conformance: build specs against the schema written from Oracle's documentation", () => {
  const schema = JSON.parse(readFileSync(join(REPO, "test/oci/build-spec.schema.json"), "utf8"));
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  const check = ajv.compile(schema);
  const errs = () => (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join("; ");

  it("every build_spec.yaml and every inline command spec of every example passes", async () => {
    let n = 0;
    for (const ex of examples()) {
      const out = compile((await validateFile(ex.file)).ir!);
      for (const f of out.files) {
        let spec: unknown;
        if (f.kind === "oci.BuildSpec") spec = parse(f.content);
        else if (f.kind === "oci.CreateDeployArtifactDetails" && JSON.parse(f.content).deployArtifactType === "COMMAND_SPEC")
          spec = parse(Buffer.from(JSON.parse(f.content).deployArtifactSource.base64EncodedContent, "base64").toString("utf8"));
        else continue;
        n++;
        expect(check(spec), `${ex.name}/${f.path}: ${errs()}`).toBe(true);
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  it("rejects what the documentation does not allow", () => {
    const ok = { version: 0.1, component: "build", steps: [{ type: "Command", command: "make" }] };
    expect(check(ok)).toBe(true);
    expect(check({ ...ok, version: "0.2" })).toBe(false);
    expect(check({ ...ok, steps: [{ type: "Script", command: "make" }] })).toBe(false);
    expect(check({ ...ok, steps: [{ type: "Command", cmd: "make" }] })).toBe(false);
    expect(check({ ...ok, env: { vaultVariables: { "BAD-NAME": "ocid1.vaultsecret.x" } } })).toBe(false);
    expect(check({ ...ok, outputArtifacts: [{ name: "a", type: "JAR", location: "a.jar" }] })).toBe(false);
    expect(check({ ...ok, component: "command", outputArtifacts: [{ name: "a", type: "BINARY", location: "a" }] })).toBe(false);
  });
});
