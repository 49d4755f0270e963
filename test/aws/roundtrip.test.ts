/**
 * Round trip: import(compile(x)) equals x for every example, from the API JSON files and from the
 * CloudFormation template, apart from the documented losses listed below. Each listed loss must
 * still differ (so the list cannot go stale), and the imported IR must denormalize to a valid
 * neutral document.
 */
import { describe, expect, it } from "vitest";
import { isDeepStrictEqual } from "node:util";
import { denormalize, validate, validateFile, type PipelineIR } from "@pipeglot/schema";
import { toYaml } from "@pipeglot/core";
import { compile, importFiles } from "@pipeglot/aws";
import { examples } from "../helpers/paths.js";
import { ALWAYS_STRIPPED } from "./losses.js";

/**
 * What AWS cannot hold, by JSON pointer (a prefix covers everything under it), besides what
 * ALWAYS_STRIPPED (losses.ts) removes from every pipeline.
 */
const KNOWN_LOSSES: Record<string, { path: string; why: string }[]> = {
  "container-image": [{ path: "/triggers/schedules", why: "PG-AWS-SCHEDULE: schedules need an EventBridge rule" }],
  "java-maven": [{ path: "/stages/2/condition", why: "PG-AWS-CONDITION: branch conditions have no CodePipeline equivalent" }],
  monorepo: [],
  "node-webapp": [
    { path: "/stages/2/approval/approvers", why: "PG-AWS-APPROVERS: who may approve is IAM policy" },
    { path: "/stages/2/approval/notify", why: "PG-AWS-APPROVAL-NOTIFY: only an SNS topic ARN is kept" },
  ],
  "python-library": [{ path: "/stages/2/condition", why: "PG-AWS-CONDITION: branch conditions have no CodePipeline equivalent" }],
  release: [],
};

function get(o: unknown, ptr: string): unknown {
  return ptr
    .split("/")
    .slice(1)
    .reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);
}
function strip(o: unknown, ptr: string): void {
  const parts = ptr.split("/").slice(1);
  const parent = get(o, "/" + parts.slice(0, -1).join("/").replace(/^\/$/, "")) as Record<string, unknown> | undefined;
  const holder = parts.length === 1 ? (o as Record<string, unknown>) : parent;
  if (holder) delete holder[parts[parts.length - 1]!];
}

describe("AWS round trip: import(compile(x)) == x", () => {
  for (const ex of examples()) {
    const losses = KNOWN_LOSSES[ex.name];
    it(`${ex.name} has a known-loss entry`, () => expect(losses, `add ${ex.name} to KNOWN_LOSSES`).toBeDefined());
    for (const via of ["api-json", "cloudformation"] as const) {
      it(`${ex.name} via ${via}`, async () => {
        const r = await validateFile(ex.file);
        const out = compile(r.ir!);
        const files =
          via === "api-json"
            ? out.files.filter((f) => f.path.endsWith(".json")).map((f) => ({ path: f.path, content: f.content }))
            : out.files.filter((f) => f.kind === "cloudformation.Template").map((f) => ({ path: f.path, content: f.content }));
        const res = importFiles(files);
        expect(res.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const back = res.pipeline!;
        expect(validate(toYaml(denormalize(back))).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const want = ALWAYS_STRIPPED(r.ir!);
        const have = ALWAYS_STRIPPED(back);
        for (const l of losses ?? []) {
          expect(isDeepStrictEqual(get(want, l.path), get(have, l.path)), `${l.path} round-trips now: remove it from KNOWN_LOSSES`).toBe(false);
          strip(want, l.path);
          strip(have, l.path);
        }
        expect(have).toEqual(want);
      });
    }
  }
});
