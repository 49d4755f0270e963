/**
 * What the Node client's protos know about a BuildTrigger, read at run time from the
 * `build/protos/protos.json` that @google-cloud/cloudbuild ships (loaded by connect() only).
 *
 * Two uses:
 *  - `unknownPaths(body)`: fields the client would drop silently when it serializes a request
 *    (approvalConfig, includeBuildLogs, ...; PROVIDERS.md §3.3). A body with any of them is written
 *    through raw REST instead, in one request, so nothing is lost and no write is half done.
 *  - `enums`: enum-typed fields (dotted camelCase paths) with their numbers, to read numeric enums
 *    (`$alt=json;enum-encoding=int`) back as names.
 */

interface ProtoNode {
  nested?: Record<string, ProtoNode>;
  fields?: Record<string, { type: string; rule?: string; keyType?: string }>;
  values?: Record<string, number>;
}

export interface TriggerSchema {
  /** JSON paths (dotted, array indexes as numbers) of members the protos do not know. */
  unknownPaths(body: unknown): string[];
  /** Enum-typed field path (dotted camelCase, arrays walked through) → name → number. */
  enums: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Map-typed field paths (dotted camelCase, arrays walked through): an empty map is absent. */
  maps: ReadonlySet<string>;
  /**
   * REST JSON → the object form protobufjs' fromObject takes (what the Node client serializes):
   * Duration "600s" → {seconds, nanos}, Timestamp RFC 3339 → {seconds, nanos}. Everything else
   * is the same in both forms (enum names, int64 strings, maps).
   */
  toProtoObject(body: unknown): unknown;
}

function parseDuration(s: string): { seconds: number; nanos: number } | undefined {
  const m = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/.exec(s);
  if (!m) return undefined;
  const sign = m[1] ? -1 : 1;
  return { seconds: sign * Number(m[2]), nanos: sign * Number((m[3] ?? "").padEnd(9, "0")) };
}

function parseTimestamp(s: string): { seconds: number; nanos: number } | undefined {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return undefined;
  const frac = /\.(\d{1,9})/.exec(s)?.[1] ?? "";
  return { seconds: Math.floor(ms / 1000), nanos: Number(frac.padEnd(9, "0")) };
}

const SCOPE = ["google", "devtools", "cloudbuild", "v1"];

export function triggerSchema(root: ProtoNode): TriggerSchema {
  const resolve = (scope: string[], name: string): { node: ProtoNode; path: string[] } | undefined => {
    const parts = name.replace(/^\./, "").split(".");
    for (let i = scope.length; i >= 0; i--) {
      let node: ProtoNode | undefined = { nested: root.nested };
      for (const p of [...scope.slice(0, i), ...parts]) node = node?.nested?.[p];
      if (node) return { node, path: [...scope.slice(0, i), ...parts] };
    }
    return undefined;
  };
  const trigger = resolve(SCOPE, "BuildTrigger");
  if (!trigger?.node.fields) throw new Error("@google-cloud/cloudbuild: google.devtools.cloudbuild.v1.BuildTrigger is missing from build/protos/protos.json");

  const enums: Record<string, Record<string, number>> = {};
  const maps = new Set<string>();
  const walkEnums = (msg: { node: ProtoNode; path: string[] }, prefix: string, seen: Set<string>) => {
    const key = msg.path.join(".");
    if (seen.has(key)) return;
    const next = new Set(seen).add(key);
    for (const [fname, f] of Object.entries(msg.node.fields ?? {})) {
      if (f.keyType) maps.add(prefix + fname);
      const t = resolve(msg.path, f.type);
      if (!t || f.keyType) continue;
      if (t.node.values) enums[prefix + fname] = t.node.values;
      else if (t.node.fields && !key.startsWith("google.protobuf") && !t.path.join(".").startsWith("google.protobuf")) walkEnums(t, `${prefix}${fname}.`, next);
    }
  };
  walkEnums(trigger, "", new Set());

  const unknownPaths = (body: unknown): string[] => {
    const out: string[] = [];
    const visit = (value: unknown, msg: { node: ProtoNode; path: string[] }, at: string) => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return;
      // Well-known types (Duration, Timestamp, Struct...) have their own JSON forms.
      if (msg.path.join(".").startsWith("google.protobuf")) return;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const f = msg.node.fields?.[k];
        const here = at ? `${at}.${k}` : k;
        if (!f) {
          out.push(here);
          continue;
        }
        if (f.keyType) continue; // a map: its keys are data
        const t = resolve(msg.path, f.type);
        if (!t?.node.fields) continue; // scalar or enum
        if (Array.isArray(v)) v.forEach((x, i) => visit(x, t, `${here}.${i}`));
        else visit(v, t, here);
      }
    };
    visit(body, trigger, "");
    return out;
  };
  const toProtoObject = (body: unknown): unknown => {
    const conv = (value: unknown, msg: { node: ProtoNode; path: string[] }): unknown => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const f = msg.node.fields?.[k];
        const t = f && !f.keyType ? resolve(msg.path, f.type) : undefined;
        const full = t?.path.join(".");
        const one = (x: unknown): unknown => {
          if (full === "google.protobuf.Duration" && typeof x === "string") return parseDuration(x) ?? x;
          if (full === "google.protobuf.Timestamp" && typeof x === "string") return parseTimestamp(x) ?? x;
          if (t?.node.fields && !full!.startsWith("google.protobuf")) return conv(x, t);
          return x;
        };
        out[k] = Array.isArray(v) ? v.map(one) : one(v);
      }
      return out;
    };
    return conv(body, trigger);
  };
  return { unknownPaths, enums, maps, toProtoObject };
}
