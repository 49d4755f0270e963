import type { Argv } from "yargs";
import { jsonSchemaText } from "@pipeglot/schema";
import { EXIT, out } from "../io.js";
import type { Command } from "../main.js";

export const schemaCommand: Command<object> = {
  command: "schema",
  describe: "Print the JSON Schema of the pipeline format (for editors and other tools)",
  builder: (y: Argv) => y.example("$0 schema > pipeline.schema.json", "Save it for your editor") as unknown as Argv<object>,
  async handler() {
    out(jsonSchemaText());
    return EXIT.ok;
  },
};
