/**
 * pull: a live pipeline read back as OCI CLI-shaped JSON (+ the committed build specs), imported,
 * equals the definition apart from the documented losses of the OCI round trip.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apply, isUserError, plan, toYaml } from "@pipeglot/core";
import { buildSpecsToCommit, provider } from "@pipeglot/oci";
import { denormalize, validate, type PipelineIR } from "@pipeglot/schema";
import type { Emulators } from "@pipeglot/emulators";
import { cleanup, connectTo, example, identity, startOci, type Identity } from "./helpers.js";

/** The documented losses of import(compile(x)) for OCI (packages/oci/README.md "Import"), plus what pull cannot see. */
function comparable(ir: PipelineIR): unknown {
  const c = structuredClone(ir) as PipelineIR & Record<string, unknown>;
  delete (c as Record<string, unknown>).defaults;
  c.concurrency = "queue";
  c.schedules = [];
  c.secrets = {};
  c.targets = {
    ...(c.targets.oci
      ? {
          oci: {
            ...(c.targets.oci.projectId ? { projectId: c.targets.oci.projectId } : {}),
            ...(c.targets.oci.connectionId ? { connectionId: c.targets.oci.connectionId } : {}),
          },
        }
      : {}),
  };
  if (c.triggers.push) c.triggers.push = { ...c.triggers.push, tags: [], branchesIgnore: [] } as typeof c.triggers.push;
  for (const s of c.stages) {
    delete s.description;
    for (const j of s.jobs) {
      j.retries = 0;
      if (j.condition) j.condition = { ...j.condition, status: "success" };
    }
  }
  return JSON.parse(JSON.stringify(c));
}

describe("pull from the OCI emulator", () => {
  let id: Identity;
  let emu: Emulators;
  beforeAll(async () => {
    id = identity();
    emu = await startOci(id);
  });
  afterAll(async () => {
    await emu.close();
    cleanup(id);
  });

  for (const name of ["node-webapp", "java-maven"]) {
    it(`${name}: apply, pull, import → the definition (minus documented losses)`, async () => {
      const raw = await example(name);
      // The live project and connection, as the definition's targets.oci would name them.
      const ir: PipelineIR = {
        ...raw,
        targets: {
          ...raw.targets,
          oci: {
            projectId: "ocid1.devopsproject.oc1.eu-frankfurt-1.amaaaaaapull",
            connectionId: "ocid1.devopsconnection.oc1.eu-frankfurt-1.amaaaaaapull",
            ...raw.targets.oci,
          },
        },
      };
      const out = provider.compile(ir);
      // The repository checkout: the build specs committed where the BUILD stages read them.
      const repo = join(id.dir, `repo-${name}`);
      for (const s of buildSpecsToCommit(out)) {
        mkdirSync(dirname(join(repo, s.path)), { recursive: true });
        writeFileSync(join(repo, s.path), s.content);
      }
      const target = { repoRoot: repo };
      const client = await connectTo(emu, id, ir, target);
      const r = await apply(await plan("oci", ir.name, provider.live.desired(out), client), client);
      expect(r.ok).toBe(true);

      const puller = await connectTo(emu, id, ir, target);
      const files = await provider.live.pull(puller, ir.name);
      expect(
        files
          .map((f) => f.path)
          .filter((p) => p.endsWith(".json"))
          .sort(),
      ).toEqual(
        [
          "build-pipeline.json",
          "build-pipeline-stages.json",
          "triggers.json",
          ...(out.files.some((f) => f.path === "deploy_pipeline.json") ? ["deploy-artifacts.json", "deploy-pipeline.json", "deploy-stages.json"] : []),
        ].sort(),
      );
      // CLI shape: {"data": {...}} with kebab-case keys.
      const bp = JSON.parse(files.find((f) => f.path === "build-pipeline.json")!.content) as { data: Record<string, unknown> };
      expect(bp.data["display-name"]).toBe(ir.name);
      expect(String(bp.data.id)).toMatch(/^ocid1\.devopsbuildpipeline\./);
      expect(files.filter((f) => f.path.endsWith(".yaml"))).toHaveLength(buildSpecsToCommit(out).length);

      const back = provider.import(files);
      expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(back.pipeline).toBeDefined();
      expect(validate(toYaml(denormalize(back.pipeline!))).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const expected = comparable(ir) as PipelineIR;
      const got = comparable(back.pipeline!) as PipelineIR;
      expect(got).toEqual(expected);
    });
  }

  it("reads a live stage's buildSpecFile only inside the repository: ../ and absolute paths outside it are never read", async () => {
    const raw = await example("java-maven");
    const ir: PipelineIR = {
      ...raw,
      name: "escape",
      targets: {
        ...raw.targets,
        oci: {
          projectId: "ocid1.devopsproject.oc1.eu-frankfurt-1.amaaaaaapull",
          connectionId: "ocid1.devopsconnection.oc1.eu-frankfurt-1.amaaaaaapull",
          ...raw.targets.oci,
        },
      },
    };
    const out = provider.compile(ir);
    const repo = join(id.dir, "repo-escape");
    mkdirSync(repo, { recursive: true });
    // A file beside the repository, outside it: what a hostile buildSpecFile would point at.
    const secretFile = join(id.dir, "outside.txt");
    writeFileSync(secretFile, "TOP-SECRET-LINE\n");
    const client = await connectTo(emu, id, ir, { repoRoot: repo });
    const applied = await apply(await plan("oci", ir.name, provider.live.desired(out), client), client);
    expect(applied.results.filter((x) => x.status !== "done" && x.status !== "unchanged")).toEqual([]);
    const stages = emu.oci
      .state()
      .filter(
        (s) =>
          typeof s.resource.buildSpecFile === "string" && (s.resource.freeformTags as Record<string, string> | undefined)?.["pipeglot-pipeline"] === "escape",
      );
    expect(stages.length).toBeGreaterThan(1);
    emu.oci.mutate(String(stages[0]!.resource.id), (r) => void (r.buildSpecFile = "../outside.txt"));
    emu.oci.mutate(String(stages[1]!.resource.id), (r) => void (r.buildSpecFile = secretFile));
    const files = await provider.live.pull(await connectTo(emu, id, ir, { repoRoot: repo }), ir.name);
    for (const f of files) expect(f.content, f.path).not.toContain("TOP-SECRET-LINE");
  });

  it("pull of an unknown pipeline returns no files", async () => {
    const ir = await example("node-webapp");
    const client = await connectTo(emu, id, ir);
    expect(await provider.live.pull(client, "no-such-pipeline")).toEqual([]);
  });

  it("pull without a DevOps project is the user's to fix (a PipeglotError of kind config, exit 1 in the CLI), not an internal error", async () => {
    const ir = await example("node-webapp");
    const client = await connectTo(emu, id, { ...ir, targets: {} });
    const err = await provider.live.pull(client, "shop").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUserError(err), String(err)).toBe(true);
    expect(err).toMatchObject({ kind: "config", exitCode: 1 });
    expect((err as Error).message).toMatch(/no OCI DevOps project: set targets\.oci\.projectId .* or PIPEGLOT_OCI_PROJECT_ID/);
  });
});
