/**
 * The organization's identities (the IMS area, `GET {org}/_apis/identities`: Read Identities),
 * as Azure DevOps answers them: `searchFilter` (General, AccountName, DisplayName, MailAddress,
 * LocalGroupName) with `filterValue`, or `identityIds`; `{ count, value: Identity[] }`, an empty
 * list when nothing matches. Matching is exact and case-insensitive; a group answers to its
 * display name with and without its `[Project]\` scope. The emulator's one user is always there.
 */
import { createHash } from "node:crypto";
import type { JsonObject } from "../core/json.js";
import type { EmulatorRequest } from "../core/server.js";
import { badRequest } from "./errors.js";
import { EMULATOR_USER } from "./model.js";

/** An identity the organization has: a user (display name + e-mail) or a group (`[Project]\name`). */
export interface AzureIdentitySeed {
  /** A user's display name, or a group's `[Project]\name` (or `[Organization]\name`). */
  name: string;
  group?: boolean;
  /** A user's e-mail (also its account / principal name). */
  mail?: string;
  /** Default: derived from the name (stable across runs). */
  id?: string;
}

interface Identity {
  id: string;
  name: string;
  group: boolean;
  mail?: string;
}

const FILTERS = ["general", "accountname", "displayname", "mailaddress", "localgroupname"];

/** The identities of an organization: the emulator's user and those seeded. */
export function identityDirectory(seeds: readonly AzureIdentitySeed[] = []): Identity[] {
  const user: Identity = { id: String(EMULATOR_USER.id), name: String(EMULATOR_USER.displayName), group: false, mail: String(EMULATOR_USER.uniqueName) };
  return [
    user,
    ...seeds.map((s) => ({ id: (s.id ?? stableId(s.name)).toLowerCase(), name: s.name, group: s.group === true, ...(s.mail ? { mail: s.mail } : {}) })),
  ];
}

function stableId(name: string): string {
  const h = createHash("sha1").update(`azure identity ${name.toLowerCase()}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function readIdentities(directory: readonly Identity[], req: EmulatorRequest): JsonObject {
  const q = req.query;
  const ids = q.get("identityIds");
  let found: Identity[];
  if (ids) {
    const wanted = new Set(ids.split(",").map((s) => s.trim().toLowerCase()));
    found = directory.filter((i) => wanted.has(i.id));
  } else {
    const filter = (q.get("searchFilter") ?? "").toLowerCase();
    const value = q.get("filterValue");
    if (!FILTERS.includes(filter) || !value)
      throw badRequest(
        "Read identities needs descriptors, subjectDescriptors, identityIds, or searchFilter (General, AccountName, DisplayName, MailAddress, LocalGroupName) with filterValue.",
      );
    found = directory.filter((i) => namesFor(i, filter).includes(value.toLowerCase()));
  }
  const value = found.map(identityJson);
  return { count: value.length, value };
}

function namesFor(i: Identity, filter: string): string[] {
  const display = [i.name, ...(i.group ? [i.name.replace(/^\[[^\]]*\]\\/, "")] : [])].map((s) => s.toLowerCase());
  const account = (i.group ? i.name : (i.mail ?? i.name)).toLowerCase();
  const mail = i.mail ? [i.mail.toLowerCase()] : [];
  switch (filter) {
    case "displayname":
      return display;
    case "accountname":
      return [account];
    case "mailaddress":
      return mail;
    case "localgroupname":
      return i.group ? display : [];
    default:
      return [...display, account, ...mail];
  }
}

const str = (v: string): JsonObject => ({ $type: "System.String", $value: v });

function identityJson(i: Identity): JsonObject {
  const properties: JsonObject = i.group
    ? { SchemaClassName: str("Group"), Description: str(""), Domain: str("vstfs:///Classification/TeamProject"), Account: str(i.name) }
    : { SchemaClassName: str("User"), Domain: str("AzureDirectory"), Account: str(i.mail ?? i.name), ...(i.mail ? { Mail: str(i.mail) } : {}) };
  return {
    id: i.id,
    descriptor: i.group ? `Microsoft.TeamFoundation.Identity;S-1-9-${i.id}` : `Microsoft.IdentityModel.Claims.ClaimsIdentity;pipeglot\\${i.mail ?? i.name}`,
    subjectDescriptor: `${i.group ? "vssgp" : "aad"}.${Buffer.from(i.id).toString("base64url")}`,
    providerDisplayName: i.name,
    isActive: true,
    isContainer: i.group,
    members: [],
    memberOf: [],
    memberIds: [],
    properties,
    resourceVersion: 2,
    metaTypeId: i.group ? 255 : 0,
  };
}
