/**
 * Reading the input files: build specs (YAML), the JSON that pipeglot writes (request details),
 * and the JSON the OCI CLI prints (`oci devops build-pipeline get`, `… build-pipeline-stage list`,
 * `… deploy-pipeline get`, `… deploy-stage list`, `… trigger get`: kebab-case keys under `data`).
 */
import { LineCounter, parseDocument } from "yaml";
import { yamlSourceMap, type Diagnostic, type SourceMap } from "@pipeglot/schema";
import type { NativeFile } from "@pipeglot/core";
import { TAG } from "../conventions.js";
import { duplicateKeyDiagnostics, duplicateKeys, isObject, type DuplicateKeyOptions } from "@pipeglot/core";
import type { OciCode } from "../diagnostics.js";

/** The code of a key given twice. */
export const DUPLICATE_KEY: OciCode = "PG-OCI-IMPORT-DUPLICATE-KEY";

export type Kind = "spec" | "buildPipeline" | "buildStage" | "deployPipeline" | "deployStage" | "deployArtifact" | "trigger" | "manifest" | "unknown";

export interface Item {
  kind: Kind;
  value: Record<string, unknown>;
  file: string;
  /** Pointer of the value inside its file. */
  pointer: string;
  map: SourceMap;
}

export interface Parsed {
  file: string;
  value: unknown;
  map: SourceMap;
  error?: { line: number; column: number; message: string };
  /** Keys a mapping holds twice (PG-OCI-IMPORT-DUPLICATE-KEY errors, at both positions): nothing is imported. */
  duplicates: Diagnostic[];
}

/** `where`: for text that is not a file of its own (a base64 command spec), where its positions are. */
export function parseFile(f: NativeFile, where?: Pick<DuplicateKeyOptions, "file" | "offset" | "where">): Parsed {
  const lc = new LineCounter();
  const doc = parseDocument(f.content, { lineCounter: lc, uniqueKeys: false });
  const map = yamlSourceMap(f.path, f.content, doc, lc);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const p = lc.linePos(e.pos[0]);
    return {
      file: f.path,
      value: undefined,
      map,
      duplicates: [],
      error: { line: p.line, column: p.col, message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "") },
    };
  }
  const duplicates = duplicateKeyDiagnostics(duplicateKeys(doc, lc), { file: f.path, code: DUPLICATE_KEY, outcome: "nothing is imported", ...where });
  return { file: f.path, value: doc.toJS({ maxAliasCount: 100 }), map, duplicates };
}

const TAG_MAPS = new Set(["freeformTags", "definedTags", "systemTags"]);
const camel = (k: string) => k.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** kebab-case keys (OCI CLI output) → camelCase (API/SDK), leaving tag maps alone. */
export function camelize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelize);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const ck = camel(k);
      out[ck] = TAG_MAPS.has(ck) ? x : camelize(x);
    }
    return out;
  }
  return v;
}

export function kindOf(v: Record<string, unknown>): Kind {
  const tags = isObject(v.freeformTags) ? (v.freeformTags as Record<string, string>) : {};
  if (typeof v.buildPipelineStageType === "string") return "buildStage";
  if (typeof v.deployStageType === "string") return "deployStage";
  if (typeof v.deployArtifactType === "string") return "deployArtifact";
  if (typeof v.triggerSource === "string" && Array.isArray(v.actions)) return "trigger";
  const id = typeof v.id === "string" ? v.id : "";
  if (tags[TAG.kind] === "deploy-pipeline" || "deployPipelineParameters" in v || id.startsWith("ocid1.devopsdeploypipeline")) return "deployPipeline";
  if (tags[TAG.kind] === "build-pipeline" || "buildPipelineParameters" in v || id.startsWith("ocid1.devopsbuildpipeline")) return "buildPipeline";
  if (typeof v.projectId === "string" && typeof v.displayName === "string" && !("steps" in v)) return "buildPipeline";
  if (Array.isArray(v.steps) || v.component === "build" || v.component === "command") return "spec";
  return "unknown";
}

/** The items one parsed file holds (a CLI list holds several). */
export function itemsOf(p: Parsed, manifestKinds: Map<string, string>): Item[] {
  const v = p.value;
  if (!isObject(v)) return [{ kind: "unknown", value: {}, file: p.file, pointer: "", map: p.map }];
  if (v.provider === "oci" && Array.isArray(v.files)) return [{ kind: "manifest", value: v, file: p.file, pointer: "", map: p.map }];
  const forced = manifestKinds.get(p.file);
  if (forced === "oci.BuildSpec") return [{ kind: "spec", value: v, file: p.file, pointer: "", map: p.map }];
  // CLI output: {"data": {...}} or {"data": {"items": [...]}}; a bare list {"items": [...]} too.
  if (isObject(v.data) || Array.isArray(v.items)) {
    const data = isObject(v.data) ? (v.data as Record<string, unknown>) : v;
    if (Array.isArray(data.items)) {
      const base = isObject(v.data) ? "/data/items" : "/items";
      return data.items.map((x, i) => {
        const value = isObject(x) ? (camelize(x) as Record<string, unknown>) : {};
        return { kind: kindOf(value), value, file: p.file, pointer: `${base}/${i}`, map: p.map };
      });
    }
    const value = camelize(data) as Record<string, unknown>;
    return [{ kind: kindOf(value), value, file: p.file, pointer: "/data", map: p.map }];
  }
  const looksSpec = "steps" in v || v.component === "build" || v.component === "command";
  const value = looksSpec ? v : (camelize(v) as Record<string, unknown>);
  const k = forced ? kindFromManifest(forced) : kindOf(value);
  return [{ kind: k, value, file: p.file, pointer: "", map: p.map }];
}

function kindFromManifest(kind: string): Kind {
  switch (kind) {
    case "oci.CreateBuildPipelineDetails":
      return "buildPipeline";
    case "oci.CreateBuildPipelineStageDetails":
      return "buildStage";
    case "oci.CreateDeployPipelineDetails":
      return "deployPipeline";
    case "oci.CreateDeployStageDetails":
      return "deployStage";
    case "oci.CreateDeployArtifactDetails":
      return "deployArtifact";
    case "oci.CreateTriggerDetails":
      return "trigger";
    default:
      return "unknown";
  }
}

/** OCI's file name convention for build specs: build_spec.yaml (build_spec_app.yml, docker_build_spec.yaml). */
const BUILD_SPEC_NAME = /build_spec[^/]*\.ya?ml$/i;
/** A neutral pipeglot definition is no provider's format. */
const NEUTRAL_DOC = /^pipeglot\s*:/m;

/** 0..1: how sure we are that a file is OCI DevOps. */
export function detectFile(f: NativeFile): number {
  if (NEUTRAL_DOC.test(f.content)) return 0;
  const named = BUILD_SPEC_NAME.test(f.path.split("/").pop() ?? "");
  const p = parseFile(f);
  if (p.error) {
    // Broken YAML: the name, else the text, says whose it is (so that the error gets our code).
    if (named || /^component\s*:\s*(build|command)\s*(#.*)?$/m.test(f.content)) return 0.9;
    return 0;
  }
  const score = shapeScore(p);
  return named ? Math.max(score, 0.7) : score;
}

function shapeScore(p: Parsed): number {
  if (!isObject(p.value)) return 0;
  const v = p.value;
  if (v.provider === "oci" && Array.isArray(v.files)) return 1;
  if (v.component === "build" || v.component === "command") return v.version === 0.1 || v.version === "0.1" ? 1 : 0.9;
  const items = itemsOf(p, new Map());
  if (items.some((i) => ["buildStage", "deployStage", "deployArtifact"].includes(i.kind))) return 0.95;
  if (items.some((i) => i.kind === "trigger")) return 0.9;
  if (items.some((i) => i.kind === "buildPipeline" || i.kind === "deployPipeline")) return isObject(v.data) || "projectId" in v ? 0.8 : 0.4;
  if (Array.isArray(v.steps) && (v.steps as unknown[]).some((s) => isObject(s) && s.type === "Command")) return 0.7;
  return 0;
}
