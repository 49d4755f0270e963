/** The JSON Schema of the neutral format, generated from the zod schema (committed as pipeline.schema.json). */
import { z } from "zod";
import { PipelineDocumentSchema } from "./document.js";

export const SCHEMA_ID = "https://pipeglot.dev/schema/pipeline.v1.json";

export function jsonSchema(): Record<string, unknown> {
  const s = z.toJSONSchema(PipelineDocumentSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $schema: s.$schema, $id: SCHEMA_ID, title: "pipeglot pipeline", ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$schema")) };
}

/** The committed file's exact text. */
export function jsonSchemaText(): string {
  return JSON.stringify(jsonSchema(), null, 2) + "\n";
}
