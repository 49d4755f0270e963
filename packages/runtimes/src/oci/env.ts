/**
 * The environment of a BUILD stage or SHELL stage: the predefined variables, the pipeline's
 * parameters, the variables exported by earlier stages, then the spec's `env.variables` and
 * `env.vaultVariables` (fake values, by the neutral secret whose `oci` reference is the OCID).
 */
import type { PipelineIR } from "@pipeglot/schema";
import type { RunInputs } from "../options.js";
import type { Parameter, Spec } from "./files.js";

/** `${NAME}` placeholders replaced by the values in `env` (unknown names are left as written). */
export function expand(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, n: string) => env[n] ?? m);
}

/**
 * Parameter values for a run: each parameter's default, overridden by the run's variable of the
 * same name (the build run's arguments), then by `passed` (what the build pipeline hands on).
 * https://docs.oracle.com/iaas/Content/devops/using/configuring_parameters.htm — a run uses the
 * default value of a parameter or an argument given when it starts.
 */
export function parameterValues(params: readonly Parameter[], inputs: RunInputs, passed: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) out[p.name] = passed[p.name] ?? inputs.variables[p.name] ?? p.defaultValue ?? "";
  return out;
}

/** The fake value of each vault variable: the run's secret whose `oci` reference is that OCID. */
export function vaultValues(spec: Spec, ir: PipelineIR, inputs: RunInputs, notes: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, ocid] of Object.entries(spec.env?.vaultVariables ?? {})) {
    const secret = Object.entries(ir.secrets).find(([, s]) => s.oci === ocid)?.[0];
    if (secret === undefined) notes.push(`vault secret ${ocid} is no secret's oci reference: ${name} gets the fake value fake-${name}`);
    out[name] = secret !== undefined ? (inputs.secrets[secret] ?? `fake-${secret}`) : `fake-${name}`;
  }
  return out;
}

/**
 * https://docs.oracle.com/iaas/Content/devops/using/build_specs.htm — `env.variables` are set for
 * every step of the spec, `env.vaultVariables` hold the secret's content, read from the vault.
 * Values may name parameters as `${NAME}` (placeholders, configuring_parameters.htm).
 */
export function specEnv(spec: Spec, base: Readonly<Record<string, string>>, vault: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(spec.env?.variables ?? {})) env[k] = expand(String(v), base);
  return { ...env, ...vault };
}

/** Names never carried from one step's environment to the next (the shell's own and pipeglot's). */
const NOT_CARRIED = /^(PWD|OLDPWD|SHLVL|_|PG_OCI_ENV_OUT|PG_TRACE_LOG|PG_TRACE_WATCH)$/;

/** A NUL-separated `env -0` dump → the variables a later step starts with. */
export function parseEnvDump(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (!NOT_CARRIED.test(name)) out[name] = entry.slice(eq + 1);
  }
  return out;
}
