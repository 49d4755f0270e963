/**
 * Where and as whom the live client talks: organization URL, project, token. The token is only
 * ever handed to the SDK's credential handler; messages name the variable it came from, never
 * the value, and every error text that leaves the client passes through {@link Redactor}.
 */
import type { ConnectOptions } from "@pipeglot/core";
import { UserError } from "@pipeglot/core";

/** Token variables, in the order they are tried. */
export const TOKEN_VARIABLES = ["AZURE_DEVOPS_TOKEN", "SYSTEM_ACCESSTOKEN", "AZURE_DEVOPS_EXT_PAT"] as const;
type TokenVariable = (typeof TOKEN_VARIABLES)[number];
export const ORG_URL_VARIABLE = "AZURE_DEVOPS_ORG_URL";
export const PROJECT_VARIABLE = "AZURE_DEVOPS_PROJECT";
export const DEFAULT_FOLDER = "\\pipeglot";

/** A setting (kind "config") or credential ("auth") the user must fix: the CLI prints it and exits 1, never "internal error". */
export class AzureConfigError extends UserError {
  override readonly name = "AzureConfigError";
  constructor(message: string, kind: "config" | "auth" = "config") {
    super(message, kind);
  }
}

interface AzureTargetSettings {
  organization?: string;
  project?: string;
  yamlPath?: string;
  folder?: string;
  repositoryType?: "github" | "tfsgit" | "bitbucket";
  serviceConnection?: string;
  pool?: string;
  approvalMode?: "job" | "environment";
}

export interface ResolvedConfig {
  orgUrl: string;
  project: string;
  folder: string;
  target: AzureTargetSettings;
  token: { variable: TokenVariable; value: string };
}

export function resolveConfig(opts: ConnectOptions): ResolvedConfig {
  const target = (opts.target ?? {}) as AzureTargetSettings;
  const env = opts.env ?? {};
  const orgUrl = (opts.endpoint || env[ORG_URL_VARIABLE] || target.organization || "").replace(/\/+$/, "");
  if (!orgUrl) throw new AzureConfigError(`no Azure DevOps organization: set targets.azure.organization (https://dev.azure.com/<org>) or ${ORG_URL_VARIABLE}`);
  if (!/^https?:\/\//i.test(orgUrl))
    throw new AzureConfigError(`the Azure DevOps organization must be a URL (https://dev.azure.com/<org>), got ${JSON.stringify(orgUrl)}`);
  const project = target.project || env[PROJECT_VARIABLE] || "";
  if (!project) throw new AzureConfigError(`no Azure DevOps project: set targets.azure.project or ${PROJECT_VARIABLE}`);
  let token: ResolvedConfig["token"] | undefined;
  for (const v of TOKEN_VARIABLES) {
    const value = env[v];
    if (value && value.trim()) {
      token = { variable: v, value: value.trim() };
      break;
    }
  }
  if (!token)
    throw new AzureConfigError(
      `no Azure DevOps token: set ${TOKEN_VARIABLES[0]} (a personal access token or an Entra ID token), or ${TOKEN_VARIABLES[1]} inside Azure Pipelines, or ${TOKEN_VARIABLES[2]} as for the az CLI`,
      "auth",
    );
  return { orgUrl, project, folder: target.folder ?? DEFAULT_FOLDER, target, token };
}

/** Removes a secret (and its Basic-auth forms) from any text. */
export class Redactor {
  private readonly needles: string[];
  constructor(
    secret: string,
    private readonly label: string,
  ) {
    this.needles = [secret, Buffer.from(`:${secret}`).toString("base64"), Buffer.from(`PAT:${secret}`).toString("base64"), encodeURIComponent(secret)].filter(
      (s) => s.length >= 4,
    );
  }
  text(s: string): string {
    let out = s;
    for (const n of this.needles) out = out.split(n).join(`<${this.label}>`);
    return out;
  }
}
