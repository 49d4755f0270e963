/** Secret references → buildspec env.secrets-manager / env.parameter-store entries (references only, never values). */
import type { Ctx } from "./context.js";

type SecretStore = "secrets-manager" | "parameter-store";

/** `secretsmanager:<id>[:json-key...]` → secrets-manager; `ssm:<name>` → parameter-store. */
export function secretTarget(ctx: Ctx, name: string, path: string): { store: SecretStore; id: string } | undefined {
  const ref = ctx.ir.secrets[name]?.aws;
  if (!ref) {
    ctx.report(
      "PG-AWS-SECRET-NO-REF",
      path,
      `secret ${name} has no aws reference, so the build cannot read it`,
      `add secrets.${name}.aws: "secretsmanager:<secret-id>" or "ssm:<parameter-name>"`,
    );
    return undefined;
  }
  if (ref.startsWith("secretsmanager:")) return { store: "secrets-manager", id: ref.slice("secretsmanager:".length) };
  if (ref.startsWith("ssm:")) return { store: "parameter-store", id: ref.slice("ssm:".length) };
  ctx.report(
    "PG-AWS-SECRET-REF",
    `/secrets/${name}/aws`,
    `secret reference ${JSON.stringify(ref)} has no secretsmanager: or ssm: prefix; read as a Secrets Manager secret id`,
  );
  return { store: "secrets-manager", id: ref };
}

/** Neutral ref text for a buildspec entry (the inverse of secretTarget). */
export const secretRef = (store: SecretStore, id: string): string => (store === "secrets-manager" ? `secretsmanager:${id}` : `ssm:${id}`);
