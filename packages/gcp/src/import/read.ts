/**
 * The given files → the builds and triggers in them (each located in its file), and each
 * trigger's build: inline, or the file its `filename` names (given, or read through readFile).
 */
import { splitManifest } from "@pipeglot/core";
import type { ImportOptions, NativeFile } from "@pipeglot/core";
import { camelizeKeys, parseFile } from "./parse.js";
import { isBuild, isTrigger, type Located, type LocatedTrigger, type Reporter } from "./context.js";

export function readBuilds(rep: Reporter, files: NativeFile[]): { builds: Located[]; triggers: LocatedTrigger[] } {
  const builds: Located[] = [];
  const triggers: LocatedTrigger[] = [];
  for (const f of splitManifest(files).files) {
    const parsed = parseFile(f.path, f.content);
    for (const e of parsed.errors) rep.atPos("PG-GCB-IMPORT-SYNTAX", e, e.message);
    for (const e of parsed.lenient) rep.atPos("PG-GCB-IMPORT-LENIENT", e, e.what);
    // A key given twice: what a reviewer read may not be what would be imported (the import stops below).
    rep.diagnostics.push(...parsed.duplicates);
    if (parsed.duplicates.length) continue;
    for (const d of parsed.docs) {
      const items = Array.isArray(d.value) && d.value.every(isTrigger) ? d.value.map((v, i) => ({ v, ptr: `/${i}` })) : [{ v: d.value, ptr: "" }];
      for (const { v: rawV, ptr } of items) {
        const v = camelizeKeys(rawV);
        if (isBuild(v)) builds.push({ value: v, file: f.path, ptr, sm: d.sm });
        else if (isTrigger(v)) triggers.push({ value: v, file: f.path, ptr, sm: d.sm });
        else rep.at("PG-GCB-IMPORT-SHAPE", { sm: d.sm, file: f.path }, ptr, `${f.path} is neither a build config (no steps list) nor a build trigger`);
      }
    }
  }
  return { builds, triggers };
}

/** Resolve each trigger's build: inline, or a file named by `filename`. */
export function resolveTriggerBuilds(rep: Reporter, triggers: LocatedTrigger[], builds: Located[], opts: ImportOptions): void {
  for (const t of triggers) {
    if (isBuild(t.value.build)) t.build = { value: t.value.build as Located["value"], file: t.file, ptr: `${t.ptr}/build`, sm: t.sm };
    else if (typeof t.value.filename === "string") {
      const fn = t.value.filename;
      const given = builds.find((b) => b.file === fn || b.file.endsWith("/" + fn));
      if (given) t.build = given;
      else {
        const text = opts.readFile?.(fn);
        const parsed = text !== undefined ? parseFile(fn, text) : undefined;
        rep.diagnostics.push(...(parsed?.duplicates ?? []));
        const v = parsed?.docs[0] ? camelizeKeys(parsed.docs[0].value) : undefined;
        if (parsed?.duplicates.length) continue;
        if (parsed && isBuild(v)) t.build = { value: v, file: fn, ptr: "", sm: parsed.docs[0]!.sm };
        else rep.at("PG-GCB-IMPORT-FILENAME", t, `${t.ptr}/filename`, `trigger ${String(t.value.name ?? "")} builds ${fn}, which was not given`);
      }
    }
  }
}
