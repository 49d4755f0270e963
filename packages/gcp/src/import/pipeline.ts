/**
 * The pipeline's own fields, from the first build and the triggers: name (pipeglot's tag, else the
 * first trigger's or the file's), source and triggers (triggers.ts), description, targets.gcp; and
 * the source map of the assembled IR.
 */
import type { PipelineIR, Position, SourceMap } from "@pipeglot/schema";
import { neutralName, PIPELINE_TAG } from "../names.js";
import { strList } from "./parse.js";
import { importTriggers } from "./triggers.js";
import type { Located, LocatedTrigger, Reporter } from "./context.js";

/** `parts`: the builds in order; `own`: all written by pipeglot. */
export function pipelineHead(
  rep: Reporter,
  parts: Located[],
  triggers: LocatedTrigger[],
  trigOf: (b: Located) => LocatedTrigger[],
  own: boolean,
): { ir: PipelineIR; gcp: NonNullable<PipelineIR["targets"]["gcp"]> } {
  const main = parts[0]!;
  const nameTag = strList(main.value.tags).find((x) => x.startsWith(PIPELINE_TAG));
  const firstTriggers = trigOf(main);
  const baseFile = (main.file.split("/").pop() ?? "pipeline").replace(/\.(ya?ml|json)$/i, "");
  const name = nameTag ? nameTag.slice(PIPELINE_TAG.length) : neutralName(String(firstTriggers[0]?.value.name ?? baseFile), "pipeline").slice(0, 64);
  const ti = importTriggers(own ? firstTriggers.map((t) => t.value) : triggers.map((t) => t.value));
  for (const p of ti.problems) {
    const t = triggers.find((x) => x.value === p.trigger)!;
    rep.at(p.code, t, t.ptr, p.message);
  }
  if (!triggers.length)
    rep.at(
      "PG-GCB-IMPORT-NO-SOURCE",
      main,
      main.ptr,
      `${main.file} has no trigger: the repository is unknown and the default triggers (push to main, manual) were used`,
    );
  const ir: PipelineIR = {
    version: 1,
    name,
    source: ti.source,
    triggers: triggers.length
      ? ti.triggers
      : {
          push: { branches: { include: ["main"], exclude: [] }, tags: { include: [], exclude: [] }, paths: { include: [], exclude: [] } },
          schedules: [],
          manual: true,
        },
    concurrency: "parallel",
    variables: {},
    secrets: {},
    defaults: {},
    stages: [],
    targets: {},
  };
  if (!triggers.length) ir.source = { repository: `unknown/${name}`, branch: "main" };
  if (ti.description !== undefined && own) ir.description = ti.description;
  const gcp: NonNullable<PipelineIR["targets"]["gcp"]> = {};
  if (ti.connection) gcp.connection = ti.connection;
  const sa = triggers.find((t) => typeof t.value.serviceAccount === "string")?.value.serviceAccount as string | undefined;
  if (sa) gcp.serviceAccount = sa;
  return { ir, gcp };
}

export function irSourceMap(main: Located, map: Map<string, { loc: Located; ptr: string }>, secrets: Map<string, string>): SourceMap {
  const locate = (ptr: string): Position => {
    let p = ptr;
    for (;;) {
      const m = /^\/secrets\/([^/]+)/.exec(p);
      if (m && secrets.has(m[1]!)) return main.sm.locate(secrets.get(m[1]!)!);
      const hit = map.get(p);
      if (hit) return hit.loc.sm.locate(hit.ptr);
      if (!p) return main.sm.locate(main.ptr);
      p = p.slice(0, p.lastIndexOf("/"));
    }
  };
  return { file: main.file, locate, locateInString: (ptr) => locate(ptr) };
}
