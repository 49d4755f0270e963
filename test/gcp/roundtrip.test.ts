/** Round trip through Cloud Build, apart from the known losses (./losses.ts), by the shared runner. */
import { describe, expect, it } from "vitest";
import { compile, importFiles, provider } from "@pipeglot/gcp";
import { roundtripSuite } from "../runner/roundtrip.js";
import { goldenCases, loadIr } from "../runner/golden.js";
import { examples } from "../helpers/paths.js";
import { LOSSES } from "./losses.js";

roundtripSuite(provider, {
  losses: LOSSES,
  knownBugs: {
    "jobs.dag--separator": "PG-GCB-ID-SEPARATOR: names with __ split differently on each import, so no fixed point",
  },
});

describe("gcp import of part of the output", () => {
  it("detect recognises every compiled file of every golden case", async () => {
    for (const c of goldenCases("gcp"))
      for (const f of compile(await loadIr(c.file)).files) expect(provider.detect(f), `${c.name} ${f.path}`).toBeGreaterThanOrEqual(0.8);
  });
  it("the build config file alone (no triggers) still gives the stages, jobs and steps", async () => {
    const ir = await loadIr(examples().find((e) => e.name === "monorepo")!.file);
    const back = importFiles(compile(ir).files.filter((f) => f.path === "cloudbuild.yaml"));
    const shape = (p: typeof ir) => p.stages.map((s) => [s.name, s.needs, s.jobs.map((j) => [j.name, j.needs, j.steps.map((st) => st.run)])]);
    expect(shape(back.pipeline!)).toEqual(shape(ir));
  });
});
