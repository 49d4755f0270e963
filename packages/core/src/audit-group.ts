/**
 * Which audited files form one pipeline, so that the audit reports each pipeline once:
 *   - a compile output folder: its manifest.json and the files it lists (the manifest names the provider);
 *   - a neutral pipeglot definition (`pipeglot:` at the top): alone, in the neutral format;
 *   - a native file and the files it names by path (a pipeline file and its templates, build
 *     specs or build files), found by the path written in its text, relative to its folder or to a
 *     folder above it; and the files it names by id or name, as its provider's links() say (a
 *     pipeline and the build projects it runs, a pipeline and its stage list). A file that no
 *     other file of its format holds is a pipeline of its own (its main file); a file some
 *     pipeline holds is part of that pipeline (of each, when several hold it), never reported alone.
 * Pure: paths are the strings given, with forward slashes.
 */
import { posix } from "node:path";
import { compareText, type Diagnostic, type ProviderId } from "@pipeglot/schema";
import { detectProvider, isNeutralDocument } from "./detect.js";
import { isManifest } from "./output.js";
import type { Manifest, NativeFile, PipelineLinks, ProviderBase } from "./provider.js";

/** The format of a pipeline: a provider's native format, or pipeglot's neutral one. */
export type AuditFormat = ProviderId | "pipeglot";

/** A file the audit found but did not read (over the size pipeglot reads): Failed, with its one error. */
export interface UnreadFile {
  path: string;
  problem: Diagnostic;
}

export type PipelineGroup<P extends ProviderBase> =
  /** `files`: every file of the pipeline, main first; `read`: those handed to the import (its format's; the others, templates in no format, are read through readFile). */
  | { kind: "native"; path: string; provider: P; files: NativeFile[]; read: NativeFile[] }
  | { kind: "neutral"; path: string; file: NativeFile }
  | { kind: "unsupported"; path: string }
  | { kind: "unread"; path: string; problem: Diagnostic };

const slashes = (p: string) => p.replace(/\\/g, "/");
const dirOf = (p: string) => posix.dirname(slashes(p));

/** The compile output folders: each manifest with the files it lists (only those given). */
function manifestGroups<P extends ProviderBase>(files: readonly NativeFile[], providers: readonly P[], claimed: Set<NativeFile>): PipelineGroup<P>[] {
  const byPath = new Map(files.map((f) => [slashes(f.path), f]));
  const groups: PipelineGroup<P>[] = [];
  for (const m of files) {
    if (posix.basename(slashes(m.path)) !== "manifest.json" || !isManifest(m.content)) continue;
    const manifest = JSON.parse(m.content) as Manifest;
    const provider = providers.find((p) => p.id === manifest.provider);
    if (!provider) continue;
    const dir = dirOf(m.path);
    const members = manifest.files.flatMap((e) => byPath.get(posix.join(dir, e.path)) ?? []);
    for (const f of [m, ...members]) claimed.add(f);
    groups.push({ kind: "native", path: dir, provider, files: [...members, m], read: [...members, m] });
  }
  return groups;
}

/** The folder all the paths are in (the audit's root, as far as the paths say). */
function commonDir(paths: readonly string[]): string {
  const split = paths.map((p) => dirOf(p).split("/"));
  const first = split[0] ?? [];
  let n = first.length;
  for (const s of split) {
    let i = 0;
    while (i < n && s[i] === first[i]) i++;
    n = i;
  }
  const dir = first.slice(0, n).join("/");
  return dir === "." ? "" : dir;
}

/** The folders a path written in `from` may be relative to: its own, then each above it down to `root`. */
function basesOf(from: string, root: string): string[] {
  const bases: string[] = [];
  for (let dir = dirOf(from); ; dir = posix.dirname(dir)) {
    bases.push(dir);
    if (dir === root || dir === "." || dir === "/" || dir === posix.dirname(dir) || !dir.startsWith(root)) break;
  }
  return bases;
}

/** Paths written as values in a text: runs of path characters that end in .yml, .yaml or .json, before a quote, space, `@`, `,`, `)`, `]` or `#`. */
const PATH_VALUE = /[^\s"'`=:,[\]()@#]+\.(?:ya?ml|json)(?=$|[\s"'`@,\])#])/gim;

/**
 * Where the paths a file writes may point: each path as written (after a variable: `${Dir}/x.yml`
 * is `x.yml`), relative to the file's folder or to a folder above it (a path from the repository
 * root, `/x.yml` or `x.yml`); `../x.yml` relative to its folder only.
 */
function pathsNamed(file: NativeFile, root: string): string[] {
  const bases = basesOf(file.path, root);
  const out = new Set<string>();
  for (const m of new Set([...file.content.matchAll(PATH_VALUE)].map((x) => x[0]))) {
    const written = m.replace(/^.*[})]\//, "");
    if (written.startsWith("../")) out.add(posix.join(bases[0]!, written));
    else for (const b of bases) out.add(posix.join(b, written.replace(/^\.?\//, "")));
  }
  return [...out];
}

interface Candidate<P> {
  file: NativeFile;
  provider?: P;
  links?: PipelineLinks;
}

/** The provider's links of a file (its ids and the ids it names); none when the provider has no such notion or cannot read the file. */
function linksOf(provider: ProviderBase | undefined, file: NativeFile): PipelineLinks | undefined {
  try {
    return provider?.links?.(file);
  } catch {
    return undefined;
  }
}

/** `key → the candidates it lists`, for each key `keysOf` gives. */
function indexBy<P>(cands: readonly Candidate<P>[], keysOf: (c: Candidate<P>) => readonly string[]): Map<string, Candidate<P>[]> {
  const index = new Map<string, Candidate<P>[]>();
  for (const c of cands) for (const k of keysOf(c)) index.set(k, [...(index.get(k) ?? []), c]);
  return index;
}

/**
 * Each candidate's files it holds — it names their path, uses what they are, or they are part of
 * what it is — of its own format, or of none (a template whose text says nothing). Found through
 * indexes (paths, keys), not by trying every pair.
 */
function references<P extends ProviderBase>(cands: readonly Candidate<P>[], root: string): Map<NativeFile, NativeFile[]> {
  const byPath = indexBy(cands, (c) => [posix.normalize(slashes(c.file.path))]);
  const byIs = indexBy(cands, (c) => c.links?.is ?? []);
  const byPartOf = indexBy(cands, (c) => c.links?.partOf ?? []);
  const refs = new Map<NativeFile, NativeFile[]>();
  for (const c of cands) {
    if (!c.provider) continue;
    const held = new Set<Candidate<P>>(pathsNamed(c.file, root).flatMap((p) => byPath.get(p) ?? []));
    const linked = [...(c.links?.uses ?? []).flatMap((k) => byIs.get(k) ?? []), ...(c.links?.is ?? []).flatMap((k) => byPartOf.get(k) ?? [])];
    for (const o of linked) if (o.provider === c.provider) held.add(o);
    refs.set(
      c.file,
      [...held].filter((o) => o !== c && (!o.provider || o.provider === c.provider)).map((o) => o.file),
    );
  }
  return refs;
}

/** A main file and every file it names, directly or through the files it names; main first, then by path. */
function closure(main: NativeFile, refs: Map<NativeFile, NativeFile[]>): NativeFile[] {
  const seen = new Set<NativeFile>([main]);
  const todo = [main];
  while (todo.length)
    for (const r of refs.get(todo.pop()!) ?? []) {
      if (seen.has(r)) continue;
      seen.add(r);
      todo.push(r);
    }
  return [main, ...[...seen].slice(1).sort((a, b) => compareText(a.path, b.path))];
}

/** The native files' pipelines: main files (named by no other file of their format) with the files they name. */
function nativeGroups<P extends ProviderBase>(cands: readonly Candidate<P>[], root: string): PipelineGroup<P>[] {
  const refs = references(cands, root);
  const named = new Set([...refs.values()].flat());
  const covered = new Set<NativeFile>();
  const groups: PipelineGroup<P>[] = [];
  const providerOf = new Map(cands.map((c) => [c.file, c.provider]));
  const add = (c: Candidate<P> & { provider: P }) => {
    const files = closure(c.file, refs);
    for (const f of files) covered.add(f);
    groups.push({ kind: "native", path: c.file.path, provider: c.provider, files, read: files.filter((f) => providerOf.get(f) === c.provider) });
  };
  const detected = cands.filter((c): c is Candidate<P> & { provider: P } => c.provider !== undefined);
  for (const c of detected) if (!named.has(c.file)) add(c);
  // Files that only name each other (a cycle): the first not yet in a pipeline is one.
  for (const c of detected) if (!covered.has(c.file)) add(c);
  for (const c of cands) if (!c.provider && !covered.has(c.file)) groups.push({ kind: "unsupported", path: c.file.path });
  return groups;
}

/** The pipelines among the audited files, sorted by path; every file is in at least one. */
export function groupPipelines<P extends ProviderBase>(
  given: readonly (NativeFile | UnreadFile)[],
  providers: readonly P[],
  threshold: number,
): PipelineGroup<P>[] {
  const groups: PipelineGroup<P>[] = [];
  const files: NativeFile[] = [];
  for (const f of given)
    if ("problem" in f) groups.push({ kind: "unread", path: f.path, problem: f.problem });
    else files.push(f);
  const claimed = new Set<NativeFile>();
  groups.push(...manifestGroups(files, providers, claimed));
  const rest = files.filter((f) => !claimed.has(f));
  for (const f of rest) if (isNeutralDocument(f)) groups.push({ kind: "neutral", path: f.path, file: f });
  const cands = rest
    .filter((f) => !isNeutralDocument(f))
    .map((file): Candidate<P> => {
      const provider = detectProvider(providers, [file], threshold)?.provider;
      return { file, provider, links: linksOf(provider, file) };
    });
  groups.push(...nativeGroups(cands, commonDir(given.map((f) => f.path))));
  return groups.sort((a, b) => compareText(a.path, b.path));
}
