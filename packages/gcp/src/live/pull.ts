/**
 * Provider.pull: the pipeline's live triggers (those tagged managed-by-pipeglot and
 * pipeglot-pipeline-<name>) as `triggers/<name>.json` files, the REST BuildTrigger shape the gcp
 * importer reads. Calls: one listing (listManaged) + one GET per trigger.
 */
import { toJson, type LiveClient, type NativeFile } from "@pipeglot/core";
import { byText } from "@pipeglot/schema";

export async function pull(client: LiveClient, pipeline: string): Promise<NativeFile[]> {
  const keys = await client.listManaged(pipeline);
  const live = await client.read(keys);
  const files: NativeFile[] = [];
  live.forEach((l, i) => {
    if (!l || !l.managed) return; // deleted between the listing and the read
    files.push({ path: `triggers/${keys[i]!.name}.json`, content: toJson(l.body) });
  });
  return files.sort(byText((x) => x.path));
}
