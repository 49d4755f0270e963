/**
 * DELIVER_ARTIFACT: each listed output artifact of the earlier BUILD stages is stored in the
 * repository its DevOps artifact points to, at the artifact's path and version, `${NAME}`
 * placeholders replaced by the build's parameters and exported variables.
 * https://docs.oracle.com/en-us/iaas/Content/devops/using/deliverartifact-stage.htm ("the version
 * … is defined by a parameter in the artifact URI. This parameter matches the build specification
 * exported variable or the build pipeline parameter name"); the repository here is a folder.
 */
import { cpSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { registryFile, type RunContext } from "./context.js";
import { expand } from "./env.js";
import { refName, type PipelineStage } from "./files.js";

interface DeliverItem {
  artifactName: string;
  artifactId: string;
}

export function runDeliver(ctx: RunContext, s: PipelineStage): boolean {
  const list = (s.raw.deliverArtifactCollection as { items?: DeliverItem[] } | undefined)?.items ?? [];
  const values = { ...ctx.params, ...ctx.exported };
  for (const item of list) {
    const art = ctx.files.artifacts.get(refName(item.artifactId) ?? "");
    const file = ctx.stageArtifacts.get(item.artifactName);
    if (!art || !file) {
      ctx.notes.push(
        `deliver stage ${s.displayName}: ${!art ? `deploy artifact ${item.artifactId} is not in the output` : `no build stage produced output artifact ${item.artifactName}`}: the stage fails`,
      );
      return false;
    }
    const sub = (t: unknown) => (art.substitute ? expand(String(t ?? ""), values) : String(t ?? ""));
    const dest = registryFile(ctx, sub(art.source.deployArtifactPath), sub(art.source.deployArtifactVersion));
    mkdirSync(dirname(dest), { recursive: true });
    cpSync(file, dest);
  }
  return true;
}
