/**
 * The compile invariant, for one definition: every provider's compile terminates without
 * throwing, is deterministic, and its output either passes the vendor oracles (test/conformance)
 * or carries an error diagnostic whose `path` points into the definition.
 */
import { parse, stringify } from "yaml";
import type { ProviderBase, ProviderOutput } from "@pipeglot/core";
import { PROVIDER_IDS, parsePointer, validate, type PipelineDocument, type PipelineIR, type ProviderId } from "@pipeglot/schema";
import { provider as aws } from "@pipeglot/aws";
import { provider as azure } from "@pipeglot/azure";
import { provider as gcp } from "@pipeglot/gcp";
import { provider as oci } from "@pipeglot/oci";
import type { conformanceCheckers } from "../conformance/index.js";

export const PROVIDERS: Record<ProviderId, ProviderBase> = { aws, azure, gcp, oci };
export type Checkers = ReturnType<typeof conformanceCheckers>;

/** The value a JSON pointer names in a document, or undefined when it names nothing. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer !== "" && !pointer.startsWith("/")) return undefined;
  let node: unknown = doc;
  for (const key of parsePointer(pointer)) {
    if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export interface ProviderVerdict {
  /** Why the invariant does not hold ([] = it holds). */
  violations: string[];
  /** The compile declined with a positioned error (allowed). */
  declined: boolean;
}

/** Validate the definition; a generator bug (an invalid document) is thrown, not counted. */
export function irOf(doc: PipelineDocument): PipelineIR {
  const r = validate(stringify(doc), { file: "random.yaml" });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length || !r.ir) throw new Error(`generated definition does not validate: ${errors.map((e) => `${e.code} ${e.path} ${e.message}`).join("; ")}`);
  return r.ir;
}

function compileOnce(p: ProviderBase, ir: PipelineIR): ProviderOutput | string {
  try {
    return p.compile(structuredClone(ir));
  } catch (e) {
    return `compile threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  }
}

/**
 * The Azure service schema lets a step of no kind through (`- {}`), which Azure rejects: a step is
 * exactly one of these (https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps).
 */
const STEP_KINDS = ["task", "script", "bash", "pwsh", "powershell", "checkout", "download", "downloadBuild", "getPackage", "publish", "reviewApp", "template"];
export function azureStepKinds(out: ProviderOutput): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, at: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${at}/${i}`));
    else if (node !== null && typeof node === "object")
      for (const [k, v] of Object.entries(node)) {
        if (k === "steps" && Array.isArray(v))
          v.forEach((st, i) => {
            const kinds = STEP_KINDS.filter((kind) => st !== null && typeof st === "object" && kind in st);
            if (kinds.length !== 1) problems.push(`${at}/steps/${i}: a step needs exactly one of ${STEP_KINDS.join(", ")} (has ${kinds.join(", ") || "none"})`);
          });
        else visit(v, `${at}/${k}`);
      }
  };
  for (const f of out.files) if (f.kind === "azure.PipelineYaml") visit(parse(f.content), f.path);
  return problems;
}

/** Check the invariant for one provider. */
export function verdict(doc: PipelineDocument, ir: PipelineIR, id: ProviderId, checkers: Checkers): ProviderVerdict & { output?: ProviderOutput } {
  const first = compileOnce(PROVIDERS[id], ir);
  if (typeof first === "string") return { violations: [first], declined: false };
  const second = compileOnce(PROVIDERS[id], ir);
  const violations: string[] = [];
  if (typeof second === "string" || JSON.stringify(second.files) !== JSON.stringify(first.files))
    violations.push("compile is not deterministic: two compiles of the same definition differ");
  const errors = first.diagnostics.filter((d) => d.severity === "error");
  const positioned = errors.filter((d) => d.path !== undefined && resolvePointer(doc, d.path) !== undefined);
  for (const e of errors) if (!positioned.includes(e)) violations.push(`error ${e.code} has no path into the definition (path ${JSON.stringify(e.path)})`);
  const problems = [...checkers[id](first), ...(id === "azure" ? azureStepKinds(first) : [])];
  if (problems.length && !positioned.length) violations.push(...problems.map((p) => `oracle: ${p}`));
  return { violations, declined: positioned.length > 0, output: first };
}

/** The invariant for every provider. */
export function verdicts(doc: PipelineDocument, checkers: Checkers): Record<ProviderId, ProviderVerdict & { output?: ProviderOutput }> {
  const ir = irOf(doc);
  return Object.fromEntries(PROVIDER_IDS.map((id) => [id, verdict(doc, ir, id, checkers)])) as Record<
    ProviderId,
    ProviderVerdict & { output?: ProviderOutput }
  >;
}
