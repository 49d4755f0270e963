/**
 * `--fail-on lost|emulated` for translate and audit: a CI gate on what a translation gives up.
 * Without it, losses are reported and the exit code says only whether everything was written.
 */
import type { Argv } from "yargs";
import type { LossRow } from "@pipeglot/core";

export type FailOn = "lost" | "emulated";
const FAIL_ON: readonly FailOn[] = ["lost", "emulated"];

export function failOnOption<T>(y: Argv<T>): Argv<T> {
  return y.option("fail-on", {
    choices: FAIL_ON,
    describe: "Exit 1 when some feature is lost (lost), or lost or emulated (emulated), on some target",
  }) as unknown as Argv<T>;
}

/** The loss rows that trip the gate. */
export function gateRows(losses: readonly LossRow[], failOn: FailOn | undefined): LossRow[] {
  if (!failOn) return [];
  return losses.filter((l) => l.support === "lossy" || (failOn === "emulated" && l.support === "emulated"));
}
