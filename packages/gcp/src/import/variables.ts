/**
 * Substitutions → variables (a build's and its triggers'; used but undeclared ones get an empty
 * default), secrets (Secret Manager; KMS ciphertext is reported, not imported; referenced but
 * undeclared ones are declared).
 */
import { isObject } from "@pipeglot/core";
import type { Json } from "./parse.js";
import type { Located, PipelineCx } from "./context.js";

/** A build started by a previous one passes the branch in this substitution (compile/build.ts passOn). */
export const PASSED_BRANCH_KEY = "_PIPEGLOT_BRANCH";

export function importVariables(cx: PipelineCx, b: Located): void {
  const { ir, tctx } = cx;
  const build = b.value;
  for (const [sk, sv] of Object.entries(isObject(build.substitutions) ? build.substitutions : {})) {
    if (!sk.startsWith("_") || (tctx.passedBranch && sk === PASSED_BRANCH_KEY)) continue;
    ir.variables[sk.slice(1)] ??= { default: String(sv), overridable: true };
  }
  for (const t of cx.trigOf(b))
    for (const [sk, sv] of Object.entries(isObject(t.value.substitutions) ? t.value.substitutions : {}))
      if (sk.startsWith("_") && !(tctx.passedBranch && sk === PASSED_BRANCH_KEY)) ir.variables[sk.slice(1)] ??= { default: String(sv), overridable: true };
}

export function importSecrets(cx: PipelineCx, b: Located): void {
  const { ir } = cx;
  const build = b.value;
  const avail: Json = isObject(build.availableSecrets) ? build.availableSecrets : {};
  (Array.isArray(avail.secretManager) ? avail.secretManager : []).forEach((s: unknown, i: number) => {
    if (!isObject(s) || typeof s.env !== "string") return;
    ir.secrets[s.env] ??= { gcp: String(s.versionName ?? "") };
    cx.secretsPtr.set(s.env, `${b.ptr}/availableSecrets/secretManager/${i}`);
  });
  const legacy = [...(Array.isArray(build.secrets) ? build.secrets : []), ...(Array.isArray(avail.inline) ? avail.inline : [])];
  legacy.forEach((s: unknown) => {
    if (!isObject(s)) return;
    const m = isObject(s.secretEnv) ? s.secretEnv : isObject(s.envMap) ? s.envMap : {};
    for (const env of Object.keys(m)) {
      ir.secrets[env] ??= { description: `KMS-encrypted with ${String(s.kmsKeyName ?? "")}; move it to Secret Manager and set its gcp reference` };
      cx.rep.at(
        "PG-GCB-IMPORT-KMS-SECRET",
        b,
        `${b.ptr}/secrets`,
        `secret ${env} is KMS-encrypted ciphertext: not imported; store it in Secret Manager and reference it`,
      );
    }
  });
}

/** After every build: substitutions used but not declared, built-in ones, and secrets referenced but not declared. */
export function declareUsed(cx: PipelineCx, main: Located): void {
  const { ir, tctx } = cx;
  for (const key of [...tctx.usedKeys].sort()) {
    const v = key.slice(1);
    if (!(v in ir.variables)) {
      ir.variables[v] = { default: "", overridable: true };
      cx.rep.at(
        "PG-GCB-IMPORT-UNDEFINED-SUBST",
        main,
        `${main.ptr}/steps`,
        `substitution ${key} is used but has no default: variable ${v} declared with an empty default`,
      );
    }
  }
  for (const k of [...tctx.builtins].sort())
    cx.rep.at(
      "PG-GCB-IMPORT-BUILTIN-SUBST",
      main,
      `${main.ptr}/steps`,
      `built-in substitution $${k} has no neutral equivalent: kept as the shell variable $${k}`,
    );
  // Secrets referenced by steps but not declared (e.g. secretEnv from build options).
  for (const s of ir.stages)
    for (const j of s.jobs)
      for (const e of [j.env, ...j.steps.map((x) => x.env)])
        for (const v of Object.values(e)) {
          const m = /^\$\{\{ secrets\.([A-Za-z_][A-Za-z0-9_]*) \}\}$/.exec(v);
          if (m && !(m[1]! in ir.secrets)) ir.secrets[m[1]!] = {};
        }
}
