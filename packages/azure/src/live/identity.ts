/**
 * Approvers as a team writes them → Azure identity ids. An Approval check names its approvers by
 * identity id; a definition names them by user (e-mail or principal name), by group (display
 * name, `release-managers` or `[Project]\release-managers`) or by id. azure-devops-node-api 17
 * has no Identities client, so the look-up is the Identities (IMS) REST call
 * `GET {ims}/_apis/identities?searchFilter=General&filterValue=<name>&queryMembership=None` through
 * the SDK's own rest client (the connection's auth), at the URL the organization's resource areas
 * give the IMS area (vssps.dev.azure.com on Azure DevOps Services). One look-up per distinct name
 * per client (a run): the answer is cached.
 */
import { isObject } from "@pipeglot/core";
import type { AzureLiveClient } from "./client.js";
import { GUID } from "./normalize.js";

/** The IMS (Identities) resource area of Azure DevOps. */
export const IDENTITY_AREA_ID = "8a3d49b8-91f0-46ef-b33d-dda338c25db3";
export const IDENTITIES_API_VERSION = "7.1";

/** What a written approver resolves to: its identity, or why it does not resolve to one. */
export type ApproverLookup = { id: string; displayName: string } | { problem: string };

interface RestClient {
  get(url: string, options?: { acceptHeader?: string }): Promise<{ result?: unknown }>;
}

/** A written approver → its identity id (a GUID stays as it is, with no request). Cached per client. */
export function resolveApprover(az: AzureLiveClient, name: string, deadlineAt?: number): Promise<ApproverLookup> {
  if (GUID.test(name)) return Promise.resolve({ id: name.toLowerCase(), displayName: name });
  const key = name.toLowerCase();
  let found = az.approverCache.get(key);
  if (!found) {
    found = lookUp(az, name, deadlineAt);
    az.approverCache.set(key, found);
    // A failed call (network, 401...) is not an answer: the next resolve asks again.
    found.catch(() => az.approverCache.delete(key));
  }
  return found;
}

async function lookUp(az: AzureLiveClient, name: string, deadlineAt?: number): Promise<ApproverLookup> {
  const web = az.apis.web as unknown as { rest: RestClient };
  const base = (await identitiesUrl(az, deadlineAt)).replace(/\/+$/, "");
  const url = `${base}/_apis/identities?searchFilter=General&filterValue=${encodeURIComponent(name)}&queryMembership=None`;
  const res = await az.call(
    `look up approver ${JSON.stringify(name)}`,
    () => web.rest.get(url, { acceptHeader: `application/json;api-version=${IDENTITIES_API_VERSION}` }),
    deadlineAt,
  );
  const rows = isObject(res?.result) && Array.isArray(res.result.value) ? res.result.value.filter(isObject) : [];
  const wanted = name.toLowerCase();
  let matches = rows.filter((r) => typeof r.id === "string" && r.isActive !== false && namesOf(r).includes(wanted));
  // `release-managers` in several projects: the pipeline's own project's group is the one meant.
  if (matches.length > 1 && !name.includes("\\")) {
    const own = `[${az.project}]\\${name}`.toLowerCase();
    const inProject = matches.filter((r) => String(r.providerDisplayName ?? "").toLowerCase() === own);
    if (inProject.length === 1) matches = inProject;
  }
  if (matches.length === 1) return { id: String(matches[0]!.id).toLowerCase(), displayName: String(matches[0]!.providerDisplayName ?? name) };
  if (matches.length === 0)
    return {
      problem: az.redact.text(
        `approver ${JSON.stringify(name)} matches no identity of ${az.config.orgUrl}: write a user's e-mail or principal name, a group's name ([${az.project}]\\group) or an identity id`,
      ),
    };
  const which = matches
    .map((r) => String(r.providerDisplayName ?? r.id))
    .sort()
    .join(", ");
  return {
    problem: `approver ${JSON.stringify(name)} matches ${matches.length} identities (${which}): write the one meant as [Project]\\group, an e-mail or an identity id`,
  };
}

/** The names an identity answers to, lower-cased: display names (with and without the `[scope]\` prefix), account and mail. */
function namesOf(r: Record<string, unknown>): string[] {
  const out: string[] = [];
  const props = isObject(r.properties) ? r.properties : {};
  for (const v of [r.providerDisplayName, r.customDisplayName, propertyValue(props.Account), propertyValue(props.Mail)]) {
    if (typeof v !== "string" || v === "") continue;
    out.push(v.toLowerCase());
    const unscoped = /^\[[^\]]*\]\\(.+)$/.exec(v);
    if (unscoped) out.push(unscoped[1]!.toLowerCase());
  }
  return out;
}

/** Identity properties come as `{ "$type": "System.String", "$value": "..." }`. */
function propertyValue(p: unknown): unknown {
  return isObject(p) ? p.$value : p;
}

/** Where the IMS area lives: from the resource areas the SDK already reads for its other APIs (no extra request once read). */
function identitiesUrl(az: AzureLiveClient, deadlineAt?: number): Promise<string> {
  let url = areaUrls.get(az);
  if (!url) {
    url = areaUrl(az, deadlineAt);
    areaUrls.set(az, url);
    url.catch(() => areaUrls.delete(az));
  }
  return url;
}

const areaUrls = new WeakMap<AzureLiveClient, Promise<string>>();

async function areaUrl(az: AzureLiveClient, deadlineAt?: number): Promise<string> {
  const web = az.apis.web as unknown as { _getResourceAreaUrl?: (serverUrl: string, areaId: string) => Promise<string> };
  if (typeof web._getResourceAreaUrl !== "function") return az.config.orgUrl;
  const resolve = web._getResourceAreaUrl.bind(az.apis.web);
  return az.call("resolve the Identities area", () => resolve(az.config.orgUrl, IDENTITY_AREA_ID), deadlineAt);
}
