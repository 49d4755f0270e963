/** Golden files: the examples and the per-feature pairs (test/golden/oci/), through the shared runner. */
import { provider } from "@pipeglot/oci";
import { goldenSuite } from "../runner/golden.js";

goldenSuite(provider);
