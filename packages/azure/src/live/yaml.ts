/**
 * The YAML file is not part of the definition: Azure reads it from the repository at run time.
 * Without --push-yaml pipeglot only checks that the compiled file is committed on the default
 * branch and, when it is not, says exactly what to commit (path, SHA-256 and git blob id).
 */
import { createHash } from "node:crypto";
import type { PlanProblem, ProviderOutput } from "@pipeglot/core";
import { KIND, yamlKeyName, type AzureLiveClient } from "./client.js";
import { desiredResources, yamlTarget } from "./desired.js";
import { resolveApprover } from "./identity.js";

export type YamlStatus = "committed" | "differs" | "missing" | "unverifiable";

export interface YamlCheck {
  status: YamlStatus;
  /** Path in the repository (no leading slash). */
  path: string;
  repository: string;
  repositoryType: string;
  branch: string;
  /** SHA-256 of the compiled YAML (hex). */
  sha256: string;
  /** The git blob id the committed file must have (`git hash-object <file>`). */
  blobId: string;
  /** Blob id of what is committed now, when readable. */
  liveBlobId?: string;
  message: string;
}

export const gitBlobId = (content: string): string => {
  const b = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
};

/** Is the compiled YAML committed where the definition points? One Git read (Azure Repos only). */
export async function checkYamlCommitted(client: AzureLiveClient, output: ProviderOutput): Promise<YamlCheck> {
  const y = yamlTarget(output);
  const sha256 = createHash("sha256").update(y.content, "utf8").digest("hex");
  const blobId = gitBlobId(y.content);
  const base = { path: y.path, repository: y.repository, repositoryType: y.repositoryType, branch: y.branch, sha256, blobId };
  const what = `commit ${y.path} (sha256 ${sha256}, git blob ${blobId}) to ${y.repository} on ${y.branch.replace(/^refs\/heads\//, "")}`;
  if (y.repositoryType.toLowerCase() !== "tfsgit") {
    return {
      ...base,
      status: "unverifiable",
      message: `${y.path} lives in the ${y.repositoryType} repository ${y.repository}, which the Azure DevOps API cannot read: make sure you ${what}`,
    };
  }
  const item = await client.yamlItem(y.path, undefined, { name: y.repository, branch: y.branch });
  if (!item) return { ...base, status: "missing", message: `${y.path} is not committed: ${what}, or run with --push-yaml` };
  if (item.objectId === blobId) return { ...base, status: "committed", liveBlobId: item.objectId, message: `${y.path} is committed (git blob ${blobId})` };
  return {
    ...base,
    status: "differs",
    liveBlobId: item.objectId,
    message: `${y.path} in ${y.repository} differs from the compiled file (committed blob ${item.objectId}): ${what}, or run with --push-yaml`,
  };
}

/**
 * Problems to show with a plan: the YAML not committed (unless pushYaml), a push asked for a
 * repository pipeglot cannot push to, and approvers that resolve to no identity or to several.
 */
export async function preflight(client: AzureLiveClient, output: ProviderOutput, opts: { pushYaml?: boolean } = {}): Promise<PlanProblem[]> {
  return (await preflightReport(client, output, opts)).problems;
}

/**
 * The same, split: problems block apply; notes are said with the plan. A YAML file in a repository
 * the Azure DevOps API cannot read (GitHub, Bitbucket) cannot be verified: that is a note saying
 * exactly what to commit, not a problem, so that a plan of an in-sync pipeline still exits 0.
 */
export async function preflightReport(
  client: AzureLiveClient,
  output: ProviderOutput,
  opts: { pushYaml?: boolean } = {},
): Promise<{ problems: PlanProblem[]; notes: string[] }> {
  const problems: PlanProblem[] = [];
  const notes: string[] = [];
  const y = yamlTarget(output);
  const yamlKey = { kind: KIND.yaml, name: yamlKeyName(y.repository, y.branch, y.path) };
  if (opts.pushYaml) {
    if (y.repositoryType.toLowerCase() !== "tfsgit")
      problems.push({
        key: yamlKey,
        message: `--push-yaml pushes through the Azure Repos Git API; ${y.repository} is a ${y.repositoryType} repository: commit ${y.path} there yourself`,
      });
  } else {
    const c = await checkYamlCommitted(client, output);
    if (c.status === "unverifiable") notes.push(c.message);
    else if (c.status !== "committed") problems.push({ key: yamlKey, message: c.message });
  }
  problems.push(...(await approverProblems(client, output)));
  return { problems, notes };
}

/**
 * The approvers of the Approval checks, resolved to identity ids (identity.ts: one look-up per
 * distinct name, cached): one that matches no identity or several, or two that are one identity,
 * is a problem. Records, per environment, which id each written approver is, so that plan
 * compares the live check by id.
 */
async function approverProblems(client: AzureLiveClient, output: ProviderOutput): Promise<PlanProblem[]> {
  const problems: PlanProblem[] = [];
  for (const d of desiredResources(output)) {
    if (d.key.kind !== KIND.check) continue;
    const approvers = (d.body as { settings?: { approvers?: { id?: string }[] } }).settings?.approvers ?? [];
    const names = new Map<string, string>();
    for (const a of approvers) {
      const m = typeof a.id === "string" ? /^\$\{identity\.(.+)\.id\}$/.exec(a.id) : null;
      if (!m) continue;
      const found = await resolveApprover(client, m[1]!);
      if ("problem" in found) problems.push({ key: d.key, message: found.problem });
      else if (names.has(found.id))
        problems.push({
          key: d.key,
          message: `approvers ${JSON.stringify(names.get(found.id))} and ${JSON.stringify(m[1])} are one identity (${found.id}): keep one`,
        });
      else names.set(found.id, m[1]!);
    }
    client.approverNames.set(d.key.name.toLowerCase(), names);
  }
  return problems;
}

/**
 * Provider.preflight. Without pushYaml the YAML file is a repository file (compared with the
 * working tree, written there by apply), so what Azure Repos holds is only said: a note when the
 * branch does not hold the compiled file yet (one Git read; none for GitHub/Bitbucket, which the
 * API cannot read). With pushYaml, as preflightReport. Approvers that resolve to no identity or to several are problems.
 */
export async function syncPreflight(
  client: AzureLiveClient,
  output: ProviderOutput,
  opts: { pushYaml?: boolean } = {},
): Promise<{ problems: PlanProblem[]; notes: string[] }> {
  if (opts.pushYaml) return preflightReport(client, output, opts);
  const problems = await approverProblems(client, output);
  const y = yamlTarget(output);
  const notes: string[] = [];
  if (y.repositoryType.toLowerCase() === "tfsgit") {
    const c = await checkYamlCommitted(client, output);
    if (c.status !== "committed")
      notes.push(
        `Azure runs ${y.path} as committed on ${y.branch.replace(/^refs\/heads\//, "")} of ${y.repository}, which does not hold the compiled file yet (${c.status}): commit and push it, or apply with --push-yaml`,
      );
  }
  return { problems, notes };
}
