/**
 * docs/editor.md's two settings, tried with the real yaml-language-server (the server behind the VS Code
 * YAML extension and most editors' YAML support) over stdio: the `yaml.schemas` association and the
 * modeline. A valid example gives no diagnostic; an unknown key gives one, on its line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers/paths.js";
import { LspClient } from "./lsp-client.js";

const require = createRequire(import.meta.url);
const SERVER = join(dirname(require.resolve("yaml-language-server/package.json")), "bin/yaml-language-server");
const SCHEMA = join(REPO, "packages/schema/pipeline.schema.json");
const EXAMPLE = join(REPO, "examples/node-webapp/pipeglot.yaml");
const MODELINE = "# yaml-language-server: $schema=../../packages/schema/pipeline.schema.json";

/** The example without its modeline (so that only the settings associate the schema), and the same with `colour: blue` after `name:`. */
const valid = readFileSync(EXAMPLE, "utf8").split("\n").slice(1).join("\n");
const withUnknownKey = valid.replace(/^name: shop-web$/m, "name: shop-web\ncolour: blue");
/** Zero-based line of the unknown key, counted by hand from the text above: "pipeglot: 1" is line 3 of the file, "name:" 4. */
const unknownLine = withUnknownKey.split("\n").indexOf("colour: blue");

describe("yaml-language-server with the pipeglot schema", () => {
  let dir: string;
  let client: LspClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pipeglot-editor-"));
    // docs/editor.md, VS Code settings.json: "yaml.schemas": { "<schema>": ["pipeglot.yaml", "pipeglot.yml", "*.pipeglot.yaml"] }
    const settings = { yaml: { validate: true, schemas: { [pathToFileURL(SCHEMA).href]: ["pipeglot.yaml", "pipeglot.yml", "*.pipeglot.yaml"] } } };
    client = new LspClient(process.execPath, [SERVER, "--stdio"], settings);
    await client.start(pathToFileURL(dir).href);
  }, 30_000);

  afterAll(async () => {
    await client?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("sanity: the unknown key sits on the line after name:", () => {
    expect(withUnknownKey.split("\n")[unknownLine - 1]).toBe("name: shop-web");
    expect(unknownLine).toBe(4);
  });

  it("yaml.schemas: a valid example gives no diagnostics", async () => {
    const file = join(dir, "pipeglot.yaml");
    writeFileSync(file, valid);
    expect(await client.diagnose(pathToFileURL(file).href, valid)).toEqual([]);
  }, 30_000);

  it("yaml.schemas: an unknown key gives one diagnostic, on its line", async () => {
    const file = join(dir, "service.pipeglot.yaml");
    writeFileSync(file, withUnknownKey);
    const diagnostics = await client.diagnose(pathToFileURL(file).href, withUnknownKey);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.range.start.line).toBe(unknownLine);
    expect(diagnostics[0]!.message).toMatch(/colour/);
  }, 30_000);

  it("a file matching no pattern is not checked against the schema", async () => {
    const file = join(dir, "other.yaml");
    writeFileSync(file, withUnknownKey);
    expect(await client.diagnose(pathToFileURL(file).href, withUnknownKey)).toEqual([]);
  }, 30_000);

  it("modeline: the examples' relative modeline finds the schema in the repository", async () => {
    const text = readFileSync(EXAMPLE, "utf8");
    expect(text.split("\n")[0]).toBe(MODELINE);
    const uri = pathToFileURL(join(REPO, "examples/node-webapp/pipeglot.yaml")).href;
    expect(await client.diagnose(uri, text)).toEqual([]);
    // the same document with the unknown key, still under the examples' folder (the modeline is relative to it)
    const bad = `${MODELINE}\n${withUnknownKey}`;
    const badUri = pathToFileURL(join(REPO, "examples/node-webapp/unknown-key.yaml")).href;
    const diagnostics = await client.diagnose(badUri, bad);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.range.start.line).toBe(unknownLine + 1);
  }, 30_000);
});
