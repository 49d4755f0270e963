/**
 * Round trip through CodePipeline + CodeBuild, from the API JSON files and from the CloudFormation
 * template, apart from the known losses (./losses.ts), by the shared runner.
 */
import { provider } from "@pipeglot/aws";
import { roundtripSuite } from "../runner/roundtrip.js";
import { LOSSES } from "./losses.js";

roundtripSuite(provider, {
  losses: LOSSES,
  inputs: {
    "api-json": (out) => out.files.filter((f) => f.path.endsWith(".json")).map((f) => ({ path: f.path, content: f.content })),
    cloudformation: (out) => out.files.filter((f) => f.kind === "cloudformation.Template").map((f) => ({ path: f.path, content: f.content })),
  },
});
