// Prints the plain closing line of a test run ("N passed, N failed, N skipped") from vitest's
// JSON report, for tools that read the last line of CI output.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const r = JSON.parse(readFileSync(join(REPO, "test/.output/vitest.json"), "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(r.numFailedTests > 0 || r.numTotalTests === 0 ? 1 : 0);
