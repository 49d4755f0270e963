// Regenerates docs/compare.png (the README's picture of the compare report) with Debian's
// Chromium: node scripts/screenshot.mjs [report.html]. Needs /usr/bin/chromium.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
let html = process.argv[2];
const work = mkdtempSync(join(tmpdir(), "pipeglot-shot-"));
if (!html) {
  html = join(work, "compare.html");
  const r = spawnSync(
    process.execPath,
    [join(REPO, "packages/cli/dist/bundle/pipeglot.js"), "compare", "examples/node-webapp/pipeglot.yaml", "--format", "html", "--out", html],
    { cwd: REPO, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(r.stderr);
}
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const wide = await browser.newPage({ viewport: { width: 2600, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(html).href);
  // The header and the summary (the decision first), then the top of the capability matrix.
  await page.screenshot({ path: join(REPO, "docs/compare.png"), clip: { x: 0, y: 0, width: 1280, height: 900 } });
  // The OCI run graph: the build pipeline, then the deploy pipeline behind the approval.
  await wide.goto(pathToFileURL(html).href);
  await wide.addStyleTag({ content: "* { overflow: visible !important; max-width: none !important; }" });
  const graphs = await wide.locator("svg").all();
  if (graphs.length) await graphs[graphs.length - 1].screenshot({ path: join(REPO, "docs/compare-graph.png") });
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
console.log("wrote docs/compare.png and docs/compare-graph.png");
