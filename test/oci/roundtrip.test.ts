/** Round trip through OCI DevOps, apart from the known losses (./losses.ts), by the shared runner. */
import { provider } from "@pipeglot/oci";
import { roundtripSuite } from "../runner/roundtrip.js";
import { LOSSES } from "./losses.js";

roundtripSuite(provider, { losses: LOSSES });
