/**
 * The HTML report in a real browser: Debian's Chromium (/usr/bin/chromium), driven by
 * playwright-core, loads the page from a file:// URL with a fresh profile. The page must draw the
 * run graph of every provider (one <g class="node" data-id> per node, with a real size) and make no
 * network request. A screenshot goes to test/.output/compare.png (kept by CI as an artifact).
 * Skipped, saying so, where /usr/bin/chromium is absent (a user's machine).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { compare, loadPrices, renderHtml } from "@pipeglot/compare";
import type { ProviderBase } from "@pipeglot/core";
import { PROVIDER_IDS, validateFile } from "@pipeglot/schema";
import { REPO } from "../helpers/paths.js";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`SKIPPED compare HTML browser test: ${CHROMIUM} is absent (install Debian's chromium: apt-get install -y chromium)`);

describe.runIf(HAS_CHROMIUM)("compare --format html in headless Chromium", () => {
  it("draws every provider's run graph and makes no network request", async () => {
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

      await page.screenshot({ path: join(outDir, "compare.png"), fullPage: true });
      expect(errors).toEqual([]);
      expect(requests.filter((u) => u !== pageUrl)).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
