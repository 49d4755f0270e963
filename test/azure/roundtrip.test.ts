/**
 * Round trip through Azure Pipelines, apart from the known losses (./losses.ts), by the shared
 * runner; each case also with targets.azure.approvalMode environment (approvals as environment checks).
 */
import { provider } from "@pipeglot/azure";
import { roundtripSuite } from "../runner/roundtrip.js";
import { LOSSES } from "./losses.js";

roundtripSuite(provider, {
  losses: LOSSES,
  variants: { environment: (ir) => void (ir.targets.azure = { ...(ir.targets.azure ?? {}), approvalMode: "environment" }) },
});
