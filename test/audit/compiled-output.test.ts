/**
 * pipeglot's own compile output, audited back through the CLI: every example's out/ holds one
 * folder per provider, each a pipeline (its manifest.json lists its files), and each comes back
 * Successful or Partial — never Failed, never Unsupported, never split into its files. What reading
 * a pipeline says stays in its own format's codes; what another provider's compile says is under
 * that provider (it used to be reported as the source file's own problems).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { examples, REPO } from "../helpers/paths.js";

const PREFIX: Record<string, string> = { aws: "PG-AWS-", azure: "PG-ADO-", gcp: "PG-GCB-", oci: "PG-OCI-" };
/** Codes any format's import or any compile may give (the import repair, input limits). */
const SHARED_CODES = /^PG-(IMPORT|INPUT|RUN)-/;

interface Pipeline {
  path: string;
  files: string[];
  format?: string;
  status: string;
  reason?: string;
  diagnostics: { code: string }[];
  targets: Record<string, { written: boolean; diagnostics: { code: string }[] }>;
}

describe.each(examples())("pipeglot audit examples/$name/out", (ex) => {
  const out = join(ex.dir, "out");
  const providers = readdirSync(out).sort();
  const report = runCli(["audit", relative(REPO, out), "--format", "json"]).then((r) => ({ ...r, json: JSON.parse(r.stdout) as { pipelines: Pipeline[] } }));

  it("reports one pipeline per provider folder, with exactly the files its manifest lists", async () => {
    const { code, json, stderr } = await report;
    expect(code, stderr).toBe(0);
    expect(json.pipelines.map((p) => p.path)).toEqual(providers.map((p) => relative(REPO, join(out, p))));
    for (const p of providers) {
      const manifest = JSON.parse(readFileSync(join(out, p, "manifest.json"), "utf8")) as { files: { path: string }[] };
      const expected = [...manifest.files.map((f) => f.path), "manifest.json"].map((f) => relative(REPO, join(out, p, f)));
      const got = json.pipelines.find((x) => x.path === relative(REPO, join(out, p)))!;
      expect(got.format).toBe(p);
      expect([...got.files].sort()).toEqual([...expected].sort());
    }
  });

  it("each comes back Successful or Partial, and every provider can write it", async () => {
    const { json } = await report;
    for (const p of json.pipelines) {
      expect(["successful", "partial"], `${p.path}: ${p.status} ${p.reason ?? ""}`).toContain(p.status);
      for (const [id, t] of Object.entries(p.targets)) expect(t.written, `${p.path} → ${id}`).toBe(true);
    }
  });

  it("diagnostics stay with the format that gave them", async () => {
    const { json } = await report;
    for (const p of json.pipelines) {
      for (const d of p.diagnostics) expect(d.code, p.path).toMatch(new RegExp(`^(${PREFIX[p.format!]}|PG-(IMPORT|INPUT|RUN)-)`));
      for (const [id, t] of Object.entries(p.targets))
        for (const d of t.diagnostics) expect(d.code.startsWith(PREFIX[id]!) || SHARED_CODES.test(d.code), `${p.path} → ${id}: ${d.code}`).toBe(true);
    }
  });
});
