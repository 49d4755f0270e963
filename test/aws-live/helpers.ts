/** Shared setup of the AWS live tests: the emulator, a client through the real SDK, examples. */
import { join } from "node:path";
import { plan, apply, type ApplyResult, type DesiredResource, type Plan } from "@pipeglot/core";
import { validateFile, type PipelineIR } from "@pipeglot/schema";
import { compile, connectAws, desired, type AwsLiveClient } from "@pipeglot/aws";
import { startEmulators, type Emulators } from "@pipeglot/emulators";
import { ORACLES, REPO, sharedOrSkip } from "../helpers/paths.js";

/** Validate every request against botocore's models when ../shared is there (the ladder runs either way). */
export const BOTOCORE_DIR = sharedOrSkip("botocore validation of the AWS live client's requests (the tests run without it)")
  ? join(ORACLES, "aws", "botocore")
  : undefined;

/** Distinctive fake credentials: they must never show up in any output. */
export const FAKE_KEY_ID = "AKIAPGFAKEKEY7Q3ZX9W";
export const FAKE_SECRET = "pgFakeSecret/DoNotPrint+9b1c7e2d4f";
export const FAKE_TOKEN = "pgFakeSessionToken-DoNotPrint-55aa";
export const FAKE_ENV = { AWS_ACCESS_KEY_ID: FAKE_KEY_ID, AWS_SECRET_ACCESS_KEY: FAKE_SECRET, AWS_SESSION_TOKEN: FAKE_TOKEN, AWS_REGION: "us-east-1" };

export interface Rig {
  emu: Emulators;
  client: AwsLiveClient;
  close(): Promise<void>;
}

export async function rig(faults: { throttleRate?: number; errorRate?: number; dropRate?: number; seed?: number } = {}): Promise<Rig> {
  const emu = await startEmulators({ providers: ["aws"], seed: faults.seed ?? 7, ...(BOTOCORE_DIR ? { botocoreDir: BOTOCORE_DIR } : {}), ...faults });
  const client = await connectAws({ target: { region: "us-east-1" }, env: FAKE_ENV, endpoint: emu.endpoints.aws! }, { minBackoffMs: 5, maxBackoffMs: 100 });
  return {
    emu,
    client,
    async close() {
      client.close();
      await emu.close();
    },
  };
}

export async function loadExample(name: string): Promise<PipelineIR> {
  const r = await validateFile(join(REPO, "examples", name, "pipeglot.yaml"));
  if (!r.ir) throw new Error(`examples/${name} does not load`);
  return r.ir;
}

export const desiredOf = (ir: PipelineIR): DesiredResource[] => desired(compile(ir));

export const planOf = (ir: PipelineIR, client: AwsLiveClient, prune = false): Promise<Plan> => plan("aws", ir.name, desiredOf(ir), client, { prune });

export const fastApply = (p: Plan, client: AwsLiveClient): Promise<ApplyResult> => apply(p, client, { minBackoffMs: 5, maxBackoffMs: 200, retries: 10 });

/** The diff entries of a change, without the `pipeglot:hash` tag (it changes with every edit of the resource). */
export function meaningful(c: Plan["changes"][number]): (string | number)[][] {
  const tags = ((c.after ?? c.before) as { tags?: { key: string }[] } | undefined)?.tags ?? [];
  return c.diff
    .filter((d) => !(d.path[0] === "tags" && typeof d.path[1] === "number" && tags[d.path[1]]?.key === "pipeglot:hash" && d.path[2] === "value"))
    .map((d) => d.path);
}
