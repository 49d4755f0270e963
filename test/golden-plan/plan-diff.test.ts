/**
 * The plan a reviewer reads, on all four clouds: the flagship example (examples/node-webapp) is
 * applied to `pipeglot emulate`'s emulators through the built CLI; then ONE command of the
 * definition is edited (the lint job's) and plan prints, on standard output, exactly that line
 * changed with its context — as a line diff of the buildspec (AWS), of the build step's argument
 * (Cloud Build, one per trigger that runs the job), of azure-pipelines.yml (Azure) and of the
 * build spec file (OCI); pipeglot's hash tags, which change with it, stay out of the view.
 * The goldens (<provider>.plan.txt) were checked by hand; UPDATE_GOLDEN=1 rewrites them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulateCommand, type EmulateSession } from "@pipeglot/emulators";
import { REPO, UPDATE_GOLDEN } from "../helpers/paths.js";
import { runCli } from "../helpers/cli.js";

const HERE = join(REPO, "test/golden-plan");
const ORIGINAL = readFileSync(join(REPO, "examples/node-webapp/pipeglot.yaml"), "utf8");
const BEFORE = "- run: npm ci && npm run lint\n";
const AFTER = "- run: npm ci && npm run lint -- --max-warnings 0\n";
const EDITED = ORIGINAL.replace(BEFORE, AFTER);

let session: EmulateSession;
let env: NodeJS.ProcessEnv;
const dirs: string[] = [];

beforeAll(async () => {
  session = await emulateCommand({}, {});
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|AZURE_|GOOGLE_|OCI_|PIPEGLOT_|SYSTEM_ACCESSTOKEN)/.test(k)));
  env = { ...clean, ...session.env, NO_COLOR: "1" };
});
afterAll(async () => {
  await session?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The plan's text, compared with (or, with UPDATE_GOLDEN=1, written to) <provider>.plan.txt. */
function golden(provider: string, text: string): string {
  const file = join(HERE, `${provider}.plan.txt`);
  if (UPDATE_GOLDEN) writeFileSync(file, text);
  return readFileSync(file, "utf8");
}

it("the edit is one line of the definition", () => {
  expect(EDITED).not.toBe(ORIGINAL);
  expect(EDITED.split("\n").filter((l, i) => l !== ORIGINAL.split("\n")[i])).toEqual(["          " + AFTER.trimEnd()]);
});

describe.each(["aws", "azure", "gcp", "oci"])("--target %s: apply the flagship, edit one command, plan", (target) => {
  let work = "";
  let plan = { code: 0 as number | null, stdout: "", stderr: "" };
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), `pipeglot-golden-plan-${target}-`));
    dirs.push(work);
    const file = join(work, "pipeglot.yaml");
    writeFileSync(file, ORIGINAL);
    const applied = await runCli(["apply", file, "--target", target, "--auto-approve"], { env, cwd: work });
    expect(applied.code, applied.out).toBe(0);
    writeFileSync(file, EDITED);
    plan = await runCli(["plan", file, "--target", target], { env, cwd: work });
  });

  it("plan exits 0 and prints the golden plan", () => {
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toBe(golden(target, plan.stdout));
  });

  it("what changed is the old command becoming the new one, and nothing else", () => {
    const lines = plan.stdout.split("\n");
    // Line diffs (a file's, or a multi-line value's): "-old" and "+new" under 6 or 8 spaces, headers aside.
    const removed = lines.filter((l) => /^ {6}( {2})?-(?!-- )/.test(l)).map((l) => l.trim().slice(1));
    const added = lines.filter((l) => /^ {6}( {2})?\+(?!\+\+ )/.test(l)).map((l) => l.trim().slice(1));
    // A one-line value: `~ .path: "old" → "new"`.
    for (const m of plan.stdout.matchAll(/^ {6}~ \S+: (".*") → (".*")$/gm)) {
      removed.push(JSON.parse(m[1]!) as string);
      added.push(JSON.parse(m[2]!) as string);
    }
    expect(removed.length).toBeGreaterThan(0);
    expect(added.length).toBe(removed.length);
    for (const l of removed) expect(l).toMatch(/npm ci && npm run lint'?$/);
    for (const l of added) expect(l).toMatch(/npm ci && npm run lint -- --max-warnings 0'?$/);
  });

  it("pipeglot's hash tags stay out of the text and in the JSON", async () => {
    expect(plan.stdout).not.toMatch(/pipeglot[-:]hash/);
    const json = await runCli(["plan", join(work, "pipeglot.yaml"), "--target", target, "--format", "json"], { env, cwd: work });
    expect(json.code, json.stderr).toBe(0);
    const diffs = (JSON.parse(json.stdout) as { plans: { changes: { diff: { bookkeeping?: boolean; after?: unknown }[] }[] }[] }).plans[0]!.changes.flatMap(
      (c) => c.diff,
    );
    // Cloud Build, AWS and Azure tag the source hash on the resource; OCI's build spec is a file of the repository.
    if (target !== "oci") expect(diffs.some((d) => d.bookkeeping === true)).toBe(true);
  });
});
