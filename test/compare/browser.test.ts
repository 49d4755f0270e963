/**
 * The HTML report in a real browser: Debian's Chromium (/usr/bin/chromium), driven by
 * playwright-core, loads the page from a file:// URL with a fresh profile. The page must draw the
 * run graph of every provider (one <g class="node" data-id> per node, with a real size) and make no
 * network request. At 1400 px and printed (print media on an A4 landscape page, then page.pdf),
 * element boxes measured in the page show that no provider column and no run graph is clipped: every
 * provider column header lies inside the viewport, and every graph lies inside its box or its box
 * scrolls; the PDF, read back with pdf.js, has every provider's column header whole on page 1 and on
 * the matrix's page. Screenshots and the PDF go to test/.output/ (kept by CI as artifacts).
 * Skipped, saying so, where /usr/bin/chromium is absent (a user's machine).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { compare, loadPrices, rangeText, renderHtml, type CompareReport } from "@pipeglot/compare";
import type { ProviderBase } from "@pipeglot/core";
import { PROVIDER_IDS, validateFile } from "@pipeglot/schema";
import { REPO } from "../helpers/paths.js";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`SKIPPED compare HTML browser test: ${CHROMIUM} is absent (install Debian's chromium: apt-get install -y chromium)`);

/** A4 landscape less the stylesheet's 10 mm margins, in CSS pixels (96 per inch). */
const PRINT_WIDTH = Math.floor(((297 - 20) / 25.4) * 96);

interface Box {
  left: number;
  right: number;
  width: number;
}
interface Measured {
  viewport: number;
  pageScrollWidth: number;
  headers: { table: string; provider: string; box: Box }[];
  graphs: { provider: string; figure: Box; container: Box; svg: Box; scrolls: boolean; overflowX: string }[];
}

interface PdfPage {
  width: number;
  text: string;
  items: { str: string; x: number; width: number }[];
}

/** Each page's width and text, with each text item's position, as pdf.js (Mozilla's PDF reader) reads them. */
async function readPdf(data: Uint8Array): Promise<PdfPage[]> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await getDocument({ data: new Uint8Array(data), useSystemFonts: false, disableFontFace: true }).promise;
  const pages: PdfPage[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const items = (await page.getTextContent()).items.flatMap((it) => ("str" in it ? [{ str: it.str, x: Number(it.transform[4]), width: it.width }] : []));
    pages.push({
      width: page.view[2]! - page.view[0]!,
      text: items
        .map((it) => it.str)
        .join(" ")
        .replace(/\s+/g, " "),
      items,
    });
  }
  await doc.destroy();
  return pages;
}

/** The provider's column header is on the page, whole: its name starts and ends within the page's width. */
function expectColumnOnPage(page: PdfPage, name: string, where: string): void {
  const item = page.items.find((it) => it.str.includes(name));
  expect(item, `${where} lacks the ${name} column`).toBeDefined();
  expect(item!.x, `${where}: ${name}`).toBeGreaterThanOrEqual(0);
  expect(item!.x + item!.width, `${where}: the ${name} column ends at ${item!.x + item!.width} of ${page.width} pt`).toBeLessThanOrEqual(page.width);
}

/** Boxes of every provider column header and every run graph, measured by the browser. */
async function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, width: r.width };
    };
    return {
      viewport: document.documentElement.clientWidth,
      pageScrollWidth: document.documentElement.scrollWidth,
      headers: [...document.querySelectorAll("table.cols th[data-provider]")].map((th) => ({
        table: th.closest("table")!.className,
        provider: th.getAttribute("data-provider")!,
        box: box(th),
      })),
      graphs: [...document.querySelectorAll("figure.run")].map((f) => {
        const c = f.querySelector(".graph")!;
        return {
          provider: f.getAttribute("data-provider")!,
          figure: box(f),
          container: box(c),
          svg: box(c.querySelector("svg")!),
          scrolls: c.scrollWidth > c.clientWidth,
          overflowX: getComputedStyle(c).overflowX,
        };
      }),
    };
  });
}

/** No provider column outside the page; each graph inside its box, or its box scrolls. */
function expectNothingClipped(m: Measured, report: CompareReport, when: string): void {
  expect(m.pageScrollWidth, `${when}: the page scrolls sideways`).toBeLessThanOrEqual(m.viewport);
  for (const table of ["summary", "matrix"]) {
    const hs = m.headers.filter((h) => h.table.includes(table));
    expect(
      hs.map((h) => h.provider),
      `${when}: ${table} columns`,
    ).toEqual(report.providers.map((p) => p.id));
    for (const h of hs) {
      expect(h.box.left, `${when}: ${table} column ${h.provider}`).toBeGreaterThanOrEqual(0);
      expect(h.box.right, `${when}: ${table} column ${h.provider} ends at ${h.box.right} of ${m.viewport}`).toBeLessThanOrEqual(m.viewport + 0.5);
      expect(h.box.width, `${when}: ${table} column ${h.provider} is too narrow to read`).toBeGreaterThan(80);
    }
  }
  expect(m.graphs.map((g) => g.provider)).toEqual(report.providers.map((p) => p.id));
  for (const g of m.graphs) {
    expect(g.figure.right, `${when}: the ${g.provider} graph's box ends at ${g.figure.right} of ${m.viewport}`).toBeLessThanOrEqual(m.viewport + 0.5);
    const fits = g.svg.left >= g.container.left - 0.5 && g.svg.right <= g.container.right + 0.5;
    const scrollsInside = g.scrolls && (g.overflowX === "auto" || g.overflowX === "scroll");
    expect(
      fits || scrollsInside,
      `${when}: the ${g.provider} graph (${g.svg.left}–${g.svg.right}) leaves its box (${g.container.left}–${g.container.right})`,
    ).toBe(true);
    expect(g.svg.width, `${when}: the ${g.provider} graph is drawn too small`).toBeGreaterThan(100);
  }
}

describe.runIf(HAS_CHROMIUM)("compare --format html in headless Chromium", () => {
  it("draws every provider's graph, clips no provider column or graph at 1400 px or printed, and makes no network request", async () => {
    const { chromium } = await import("playwright-core");
    const file = join(REPO, "examples/node-webapp/pipeglot.yaml");
    const v = await validateFile(file);
    const providers = await Promise.all(PROVIDER_IDS.map(async (id) => (await import(`@pipeglot/${id}`)).provider as ProviderBase));
    const pr = await loadPrices(undefined, providers);
    const report = compare({
      ir: v.ir!,
      file: "examples/node-webapp/pipeglot.yaml",
      sourceMap: v.sourceMap,
      providers,
      prices: pr.prices!,
      pricesFile: "prices.json",
      workload: { runsPerMonth: 300, jobMinutes: 10, overrides: {} },
      date: "2026-12-01",
      version: "0.0.0-test",
    });
    const outDir = join(REPO, "test/.output");
    mkdirSync(outDir, { recursive: true });
    const htmlFile = join(outDir, "compare.html");
    writeFileSync(htmlFile, await renderHtml(report));
    const pageUrl = pathToFileURL(htmlFile).href;

    const profile = mkdtempSync(join(tmpdir(), "pipeglot-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      viewport: { width: 1400, height: 900 },
    });
    try {
      const requests: string[] = [];
      const errors: string[] = [];
      context.on("request", (r) => requests.push(r.url()));
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(pageUrl, { waitUntil: "load" });

      for (const p of report.providers) {
        expect(p.graph.none, p.id).toBeUndefined();
        const nodes = await page.$$eval(`svg.run-graph[data-provider="${p.id}"] g.node`, (gs) =>
          gs.map((g) => {
            const b = (g as unknown as { getBBox(): { width: number; height: number } }).getBBox();
            return { id: g.getAttribute("data-id"), w: b.width, h: b.height };
          }),
        );
        expect(nodes.map((n) => n.id).sort(), p.id).toEqual(p.graph.nodes.map((n) => n.id).sort());
        for (const n of nodes) expect(n.w > 20 && n.h > 10, `${p.id} ${n.id} has no size`).toBe(true);
        expect(await page.locator(`svg.run-graph[data-provider="${p.id}"]`).isVisible()).toBe(true);
      }
      expect(await page.locator("table.matrix tbody tr").count()).toBe(report.features.length);
      // Decision first: the summary, then the matrix, then the graphs.
      const order = await page.$$eval("h2[id]", (hs) => hs.map((h) => h.id));
      expect(order).toEqual(["summary", "capabilities", "graphs"]);
      expect(await page.locator("header .generated").innerText()).toBe(
        "Generated 2026-12-01 by pipeglot 0.0.0-test · definition examples/node-webapp/pipeglot.yaml",
      );

      expectNothingClipped(await measure(page), report, "1400 px");
      await page.screenshot({ path: join(outDir, "compare-1400.png"), fullPage: true });

      await page.emulateMedia({ media: "print" });
      await page.setViewportSize({ width: PRINT_WIDTH, height: 700 });
      expectNothingClipped(await measure(page), report, "print");
      await page.screenshot({ path: join(outDir, "compare-print.png"), fullPage: true });
      const pdfFile = join(outDir, "compare.pdf");
      await page.pdf({ path: pdfFile, preferCSSPageSize: true, printBackground: true });
      const pdf = readFileSync(pdfFile, "latin1");
      expect(pdf.startsWith("%PDF-")).toBe(true);
      // Every page is A4 landscape (842 × 595 pt), as the print stylesheet asks.
      const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
      expect(boxes.length).toBeGreaterThan(1);
      for (const b of boxes) expect(b).toEqual([842, 595]);
      // The PDF's own text (read back with pdf.js): page 1 carries every provider's column, the summary's
      // cost of each, and the matrix's header is whole wherever it is printed.
      const pages = await readPdf(readFileSync(pdfFile));
      for (const p of report.providers) expectColumnOnPage(pages[0]!, p.name, "page 1 of the PDF");
      for (const s of report.summary)
        expect(pages[0]!.text).toContain(rangeText(s.cost, report.providers.find((p) => p.id === s.provider)!.cost, report.currency));
      const matrixPage = pages.find((pg) => pg.text.includes("Capabilities"))!;
      for (const p of report.providers) expectColumnOnPage(matrixPage, p.name, "the PDF page of the capability matrix");

      expect(errors).toEqual([]);
      expect(requests.filter((u) => u !== pageUrl)).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);
});
