/**
 * The price file: list prices as data, each with the page it was read from and when.
 * packages/core/prices/prices.json is the default; `--prices FILE` replaces it. JSON (or YAML),
 * validated with zod; problems come back as diagnostics with file:line:col.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { pointer, sortDiagnostics, yamlSourceMap, type Diagnostic } from "@pipeglot/schema";

const Figure = z
  .object({
    value: z.number().nonnegative().nullable(),
    unit: z.string().min(1),
    source: z.url(),
    read: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD"),
    note: z.string().min(1).optional(),
  })
  .strict()
  .refine((f) => f.value !== null || f.note !== undefined, { message: "a figure without a value (null) needs a note saying why", path: ["note"] });
export type Figure = z.infer<typeof Figure>;

const Runners = <T extends z.ZodType>(t: T) => z.object({ small: t, medium: t, large: t, xlarge: t }).strict();

export const PriceFileSchema = z
  .object({
    $schema: z.string().optional(),
    pipeglotPrices: z.literal(1),
    currency: z.string().min(1),
    description: z.string().optional(),
    aws: z
      .object({
        codepipeline: z
          .object({ v1PerActivePipelineMonth: Figure, v1FreeActivePipelines: Figure, v2PerActionMinute: Figure, v2FreeActionMinutes: Figure })
          .strict(),
        codebuild: z.object({ freeComputeType: z.string().min(1), freeMinutes: Figure, perBuildMinute: z.record(z.string(), Figure) }).strict(),
        runners: Runners(z.string().min(1)),
      })
      .strict(),
    azure: z
      .object({
        hostedParallelJobPerMonth: Figure,
        selfHostedParallelJobPerMonth: Figure,
        freeHostedParallelJobs: Figure,
        freeHostedMinutesPerMonth: Figure,
        freeHostedMaxJobMinutes: Figure,
      })
      .strict(),
    gcp: z
      .object({ freeMachineType: z.string().min(1), freeBuildMinutes: Figure, perBuildMinute: z.record(z.string(), Figure), runners: Runners(z.string().min(1)) })
      .strict(),
    oci: z
      .object({
        ocpuPerHour: Figure,
        memoryGbPerHour: Figure,
        runners: Runners(z.object({ ocpus: z.number().positive(), memoryGb: z.number().positive(), note: z.string().optional() }).strict()),
      })
      .strict(),
  })
  .strict();
export type Prices = z.infer<typeof PriceFileSchema>;

export interface PricesResult {
  prices?: Prices;
  file: string;
  text: string;
  diagnostics: Diagnostic[];
}

/** Parse and validate a price file's text. Never throws for bad input. */
export function parsePrices(text: string, file: string): PricesResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const sm = yamlSourceMap(file, text, doc, lc);
  const bad = (message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({ severity: "error", code: "PG-PRICES-INVALID", message, path: "", file, line: 1, column: 1, ...extra });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const p = lc.linePos(e.pos[0]);
    return { file, text, diagnostics: [bad(`not valid JSON/YAML: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, { code: "PG-PRICES-SYNTAX", line: p.line, column: p.col })] };
  }
  const data: unknown = doc.toJS();
  const parsed = PriceFileSchema.safeParse(data);
  if (parsed.success) {
    const missing: Diagnostic[] = [];
    const p = parsed.data;
    for (const [size, ct] of Object.entries(p.aws.runners))
      if (!p.aws.codebuild.perBuildMinute[ct]) missing.push({ ...bad(`aws.runners.${size} names compute type ${JSON.stringify(ct)}, which aws.codebuild.perBuildMinute does not price`), path: `/aws/runners/${size}`, ...sm.locate(`/aws/runners/${size}`) });
    for (const [size, mt] of Object.entries(p.gcp.runners))
      if (!p.gcp.perBuildMinute[mt]) missing.push({ ...bad(`gcp.runners.${size} names machine type ${JSON.stringify(mt)}, which gcp.perBuildMinute does not price`), path: `/gcp/runners/${size}`, ...sm.locate(`/gcp/runners/${size}`) });
    if (missing.length) return { file, text, diagnostics: missing };
    return { prices: p, file, text, diagnostics: [] };
  }
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

/** The bundled price file: packages/core/prices/prices.json (found from this module, or from the working directory's node_modules). */
export function defaultPricesPath(): string {
  const candidates: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    candidates.push(join(dir, "prices", "prices.json"), join(dir, "packages", "core", "prices", "prices.json"), join(dir, "node_modules", "@pipeglot", "core", "prices", "prices.json"));
    dir = resolve(dir, "..");
  }
  candidates.push(resolve("node_modules/@pipeglot/core/prices/prices.json"));
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

/** Read and validate a price file (the bundled one when `file` is absent). */
export async function loadPrices(file?: string): Promise<PricesResult> {
  const path = file ?? defaultPricesPath();
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    return { file: path, text: "", diagnostics: [{ severity: "error", code: "PG-PRICES-READ", message: `cannot read the price file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path: "", file: path }] };
  }
  return parsePrices(text, path);
}
