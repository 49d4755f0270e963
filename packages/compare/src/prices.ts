/**
 * The price file: list prices as data, each with the page it was read from and when.
 * packages/compare/prices/prices.json is the default; `--prices FILE` replaces it. JSON (or YAML),
 * validated with zod; problems come back as diagnostics with file:line:col.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import type { Prices, ProviderBase } from "@pipeglot/core";
import { pointer, sortDiagnostics, yamlSourceMap, type Diagnostic } from "@pipeglot/schema";
import { compareDiagnostic } from "./diagnostics.js";

/** A provider as the price file sees it: its id names its section, its schema validates it. */
export type PricedProvider = Pick<ProviderBase, "id" | "priceSchema">;

/** The price file's schema: the common members and one section per provider (all required). */
export function priceFileSchema(providers: readonly PricedProvider[]) {
  return z
    .object({
      $schema: z.string().optional(),
      pipeglotPrices: z.literal(1),
      currency: z.string().min(1),
      description: z.string().optional(),
      ...Object.fromEntries(providers.map((p) => [p.id, p.priceSchema])),
    })
    .strict();
}

export interface PricesResult {
  prices?: Prices;
  file: string;
  text: string;
  diagnostics: Diagnostic[];
}

/** Parse and validate a price file's text, with a section for each of `providers`. Never throws for bad input. */
export function parsePrices(text: string, file: string, providers: readonly PricedProvider[]): PricesResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const sm = yamlSourceMap(file, text, doc, lc);
  const bad = (message: string, extra: Partial<Diagnostic> = {}): Diagnostic =>
    compareDiagnostic("PG-PRICES-INVALID", message, { file, line: 1, column: 1, ...extra });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const p = lc.linePos(e.pos[0]);
    return {
      file,
      text,
      diagnostics: [
        compareDiagnostic("PG-PRICES-SYNTAX", `not valid JSON/YAML: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, {
          file,
          line: p.line,
          column: p.col,
        }),
      ],
    };
  }
  const data: unknown = doc.toJS();
  const parsed = priceFileSchema(providers).safeParse(data);
  if (parsed.success) return { prices: parsed.data as Prices, file, text, diagnostics: [] };
  const diags = parsed.error.issues.map((issue): Diagnostic => {
    const segs = issue.path.map((s) => (typeof s === "symbol" ? String(s.description) : s));
    if (issue.code === "unrecognized_keys") segs.push(issue.keys[0]!);
    const ptr = pointer(segs);
    const where = segs.length ? segs.join(".") : "the file";
    const message = issue.code === "unrecognized_keys" ? `unknown key ${JSON.stringify(issue.keys[0])}` : `${where}: ${issue.message}`;
    return { ...bad(message), path: ptr, ...sm.locate(ptr, { key: issue.code === "unrecognized_keys" }) };
  });
  return { file, text, diagnostics: sortDiagnostics(diags) };
}

/** The bundled price file: packages/compare/prices/prices.json (found from this module, or from the working directory's node_modules). */
export function defaultPricesPath(): string {
  const candidates: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    candidates.push(
      join(dir, "prices", "prices.json"),
      join(dir, "packages", "compare", "prices", "prices.json"),
      join(dir, "node_modules", "@pipeglot", "compare", "prices", "prices.json"),
    );
    dir = resolve(dir, "..");
  }
  candidates.push(resolve("node_modules/@pipeglot/compare/prices/prices.json"));
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

/** Read and validate a price file (the bundled one when `file` is absent), with a section for each of `providers`. */
export async function loadPrices(file: string | undefined, providers: readonly PricedProvider[]): Promise<PricesResult> {
  const path = file ?? defaultPricesPath();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    return {
      file: path,
      text: "",
      diagnostics: [
        compareDiagnostic("PG-PRICES-READ", `cannot read the price file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path }),
      ],
    };
  }
  return parsePrices(text, path, providers);
}
