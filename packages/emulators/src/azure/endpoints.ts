/**
 * Service connections: look-up only (by name, id or type), as the build definition's repository needs them.
 */
import type { JsonObject } from "../core/json.js";
import type { EmulatorRequest } from "../core/server.js";
import type { Project, Endpoint } from "./model.js";

export function endpointJson(e: Endpoint): JsonObject {
  return {
    id: e.id,
    name: e.name,
    type: e.type,
    url: e.type === "github" ? "https://github.com" : "https://example.invalid",
    isReady: true,
    isShared: false,
    owner: "library",
    authorization: { scheme: "InstallationToken" },
  };
}

export function listEndpoints(p: Project, req: EmulatorRequest): JsonObject {
  const names = req.query.get("endpointNames");
  const ids = req.query.get("endpointIds");
  const type = req.query.get("type");
  let list = [...p.endpoints.values()];
  if (names) {
    const set = new Set(names.split(",").map((s) => s.trim().toLowerCase()));
    list = list.filter((e) => set.has(e.name.toLowerCase()));
  }
  if (ids) {
    const set = new Set(ids.split(",").map((s) => s.trim().toLowerCase()));
    list = list.filter((e) => set.has(e.id));
  }
  if (type) list = list.filter((e) => e.type.toLowerCase() === type.toLowerCase());
  const value = list.map((e) => endpointJson(e));
  return { count: value.length, value };
}
