/**
 * Every build config and trigger compiled from a golden case (the examples and the per-feature
 * pairs, test/runner/golden.ts) passes SchemaStore's schema, Google's discovery model and the
 * protos. The golden files themselves are checked by golden.test.ts.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { compile } from "@pipeglot/gcp";
import { ORACLES, sharedSuite } from "../helpers/paths.js";
import { goldenCases, loadIr } from "../runner/golden.js";
import { discoveryValidator, protoValidator, schemaStoreValidator } from "./validators.js";

sharedSuite("gcp compile: oracle conformance", () => {
  const schemaStore = schemaStoreValidator();
  const discovery = discoveryValidator();
  const proto = protoValidator();

  it("the validators accept SchemaStore's positive fixtures and reject its negative ones", () => {
    const dir = join(ORACLES, "gcp/schemastore-tests");
    for (const f of readdirSync(join(dir, "positive"))) expect(schemaStore(parse(readFileSync(join(dir, "positive", f), "utf8"))), f).toEqual([]);
    for (const f of readdirSync(join(dir, "negative"))) expect(schemaStore(parse(readFileSync(join(dir, "negative", f), "utf8"))).length, f).toBeGreaterThan(0);
  });

  it("a deliberately broken build fails each validator", () => {
    const good = { steps: [{ id: "a", name: "node:20", entrypoint: "bash", args: ["-c", "true"], timeout: "60s" }], options: { machineType: "E2_HIGHCPU_8" } };
    expect(schemaStore(good)).toEqual([]);
    expect(discovery(good, "Build")).toEqual([]);
    expect(proto(good)).toEqual([]);
    const unknownField = { steps: [{ name: "node:20", args: ["true"], retries: 3 }] };
    expect(schemaStore(unknownField).length).toBeGreaterThan(0);
    expect(discovery(unknownField, "Build").length).toBeGreaterThan(0);
    expect(proto(unknownField).length).toBeGreaterThan(0);
    const wrongType = { steps: [{ name: "node:20", args: "-c true" }] };
    expect(schemaStore(wrongType).length).toBeGreaterThan(0);
    expect(discovery(wrongType, "Build").length).toBeGreaterThan(0);
    expect(proto(wrongType).length).toBeGreaterThan(0);
    const badEnum = { steps: [{ name: "node:20" }], options: { machineType: "HUGE" } };
    expect(schemaStore(badEnum).length).toBeGreaterThan(0);
    expect(discovery(badEnum, "Build").length).toBeGreaterThan(0);
    expect(proto(badEnum).length).toBeGreaterThan(0);
    const badTrigger = { name: "t", github: { owner: "o", name: "n", push: { branches: "^main$" } }, build: good };
    expect(discovery(badTrigger, "BuildTrigger").length).toBeGreaterThan(0);
    const outputOnly = { id: "123", name: "t", build: good };
    expect(discovery(outputOnly, "BuildTrigger").length).toBeGreaterThan(0);
  });

  it("the proto check takes int64 as proto3 JSON writes it (a decimal string) and still rejects a number for a string", () => {
    expect(proto({ steps: [{ name: "node:20" }], options: { diskSizeGb: "20" } })).toEqual([]);
    expect(proto({ steps: [{ name: "node:20" }], options: { diskSizeGb: 20 } })).toEqual([]);
    expect(proto({ steps: [{ name: "node:20", id: 20 }] }).length).toBeGreaterThan(0);
  });

  for (const c of goldenCases("gcp")) {
    it(`${c.name}: every build config and trigger passes SchemaStore, the discovery model and the protos`, async () => {
      const out = compile(await loadIr(c.file));
      expect(out.files.length).toBeGreaterThan(0);
      for (const f of out.files) {
        if (f.kind === "cloudbuild.BuildConfig") {
          const build = parse(f.content);
          expect(schemaStore(build), f.path).toEqual([]);
          expect(discovery(build, "Build"), f.path).toEqual([]);
          expect(proto(build), f.path).toEqual([]);
        } else {
          expect(f.kind).toBe("cloudbuild.BuildTrigger");
          const t = JSON.parse(f.content) as { build: unknown };
          expect(discovery(t, "BuildTrigger"), f.path).toEqual([]);
          expect(schemaStore(t.build), f.path).toEqual([]);
          expect(proto(t.build), f.path).toEqual([]);
          // The inline build is the build config file of the same part.
          const part = (t.build as { tags: string[] }).tags.find((x) => x.startsWith("pipeglot-part-"));
          const file = out.files.find((g) => g.kind === "cloudbuild.BuildConfig" && (parse(g.content) as { tags: string[] }).tags.includes(part!));
          expect(parse(file!.content)).toEqual(t.build);
        }
      }
    });
  }
});
