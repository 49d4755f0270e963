import { Prng } from "./prng.js";

/** Faults injected into an emulator's responses. Rates are probabilities in [0, 1]. */
export interface FaultOptions {
  /** Delay before every response, in milliseconds. */
  latencyMs?: number;
  /** Share of requests answered with the provider's throttling error (AWS ThrottlingException, GCB 429). */
  throttleRate?: number;
  /** Share of requests answered with a 5xx (AWS 500 InternalFailure / 503 ServiceUnavailable, GCB 503 UNAVAILABLE). */
  errorRate?: number;
  /** Share of requests whose connection is destroyed without an answer. */
  dropRate?: number;
}

export type FaultConfig = Required<FaultOptions>;

/** What happens to one request. */
export type FaultDecision = "none" | "drop" | "throttle" | "error";

export const NO_FAULTS: Readonly<FaultConfig> = { latencyMs: 0, throttleRate: 0, errorRate: 0, dropRate: 0 };

function checkRate(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new RangeError(`${name} must be a number between 0 and 1, got ${v}`);
}

export function normalizeFaults(base: FaultConfig, patch: FaultOptions): FaultConfig {
  const next: FaultConfig = { ...base };
  for (const key of Object.keys(NO_FAULTS) as (keyof FaultConfig)[]) {
    const v = patch[key];
    if (v === undefined) continue;
    if (key === "latencyMs") {
      if (!Number.isFinite(v) || v < 0) throw new RangeError(`latencyMs must be a non-negative number, got ${v}`);
    } else checkRate(key, v);
    next[key] = v;
  }
  return next;
}

/**
 * Holds the fault settings of one emulator (changeable while it runs) and decides, with a seeded
 * generator, what happens to each request. Exactly three draws per request, whatever the
 * settings, so changing one rate does not reshuffle the others' schedule.
 */
export class FaultController {
  private config: FaultConfig;
  private readonly prng: Prng;

  constructor(seed: number, initial: FaultOptions = {}) {
    this.prng = new Prng(seed);
    this.config = normalizeFaults(NO_FAULTS, initial);
  }

  get(): FaultConfig {
    return { ...this.config };
  }

  /** Change some settings; the others keep their values. */
  set(patch: FaultOptions): FaultConfig {
    this.config = normalizeFaults(this.config, patch);
    return this.get();
  }

  /** Back to no faults at all. */
  clear(): void {
    this.config = { ...NO_FAULTS };
  }

  decide(): FaultDecision {
    const drop = this.prng.next();
    const throttle = this.prng.next();
    const error = this.prng.next();
    if (drop < this.config.dropRate) return "drop";
    if (throttle < this.config.throttleRate) return "throttle";
    if (error < this.config.errorRate) return "error";
    return "none";
  }
}
