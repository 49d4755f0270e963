/**
 * Operating OCI DevOps pipelines (issue #19): run (CreateBuildRun), status (GetBuildRun,
 * ListBuildRuns, GetDeployment), approve/reject (ApproveDeployment), hold/release (a
 * MANUAL_APPROVAL deploy stage: see hold.ts). The client is the live client connect() returns.
 */
import type { ProviderOperate } from "@pipeglot/core";
import type { OciLiveClient } from "../live/index.js";
import { contextOf } from "./context.js";
import { decide } from "./decide.js";
import { hold } from "./hold.js";
import { findRun } from "./runs.js";
import { startRun } from "./start.js";

export const operate: ProviderOperate<OciLiveClient> = {
  start: async (client, ref, opts) => startRun(await contextOf(client, ref), opts),
  status: async (client, ref, run) => findRun(await contextOf(client, ref), run),
  decide: async (client, ref, opts) => decide(await contextOf(client, ref), opts),
  hold: async (client, ref, opts) => hold(await contextOf(client, ref), opts),
};
