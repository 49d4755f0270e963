/**
 * The differential run: the definition under the reference interpreter, then each cloud's
 * compiled output under its model, and each cloud's findings against the reference. One place
 * for `pipeglot run --local`, `compare`'s behaviour row and the tests.
 */
import type { ProviderOutput } from "@pipeglot/core";
import type { PipelineIR, ProviderId } from "@pipeglot/schema";
import { runLocal } from "./index.js";
import type { LocalRunOptions } from "./options.js";
import type { Finding } from "./trace-diff.js";
import { compareTraces } from "./trace-diff.js";
import type { Trace, TraceTarget } from "./trace.js";

export interface DifferentialResult {
  reference?: Trace;
  traces: Trace[];
  /** Per cloud run (when the reference ran too). */
  findings: Partial<Record<ProviderId, Finding[]>>;
  /** Clouds whose compile had errors: not run. */
  refused: ProviderId[];
}

/**
 * Runs `targets` in turn ("neutral" first when asked for) with `options(target)`; `outputs` holds
 * each cloud's compile (its diagnostics located as the caller wants them shown).
 */
export async function differentialRun(
  ir: PipelineIR,
  targets: readonly TraceTarget[],
  outputs: Partial<Record<ProviderId, ProviderOutput>>,
  options: (target: TraceTarget) => LocalRunOptions,
): Promise<DifferentialResult> {
  const ordered = [...targets].sort((a, b) => (a === "neutral" ? -1 : b === "neutral" ? 1 : 0));
  const traces: Trace[] = [];
  const refused: ProviderId[] = [];
  for (const t of ordered) {
    if (t === "neutral") {
      traces.push(await runLocal("neutral", ir, undefined, options(t)));
      continue;
    }
    const output = outputs[t];
    if (!output || output.diagnostics.some((d) => d.severity === "error")) {
      refused.push(t);
      continue;
    }
    traces.push(await runLocal(t, ir, output, options(t)));
  }
  const reference = traces.find((x) => x.target === "neutral");
  const findings: DifferentialResult["findings"] = {};
  if (reference) for (const x of traces) if (x.target !== "neutral") findings[x.target] = compareTraces(reference, x, ir, outputs[x.target]?.diagnostics ?? []);
  return { ...(reference ? { reference } : {}), traces, findings, refused };
}
