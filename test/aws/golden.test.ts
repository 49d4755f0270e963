/** Golden files: the examples and the per-feature pairs (test/golden/aws/), through the shared runner. */
import { provider } from "@pipeglot/aws";
import { goldenSuite } from "../runner/golden.js";

goldenSuite(provider);
