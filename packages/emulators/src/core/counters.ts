/** What the emulator did with the requests of one operation. */
export interface OperationCount {
  /** Every request received (faulted ones included). */
  requests: number;
  /** Answered 2xx. */
  ok: number;
  /** Answered 4xx by the API itself (validation, not found, conflict...), not by fault injection. */
  clientErrors: number;
  /** Answered with an injected throttling error. */
  throttled: number;
  /** Answered with a 5xx: injected, or the emulator's own (internal failure, method not implemented). */
  serverErrors: number;
  /** Connection destroyed by fault injection. */
  dropped: number;
}

export type Outcome = Exclude<keyof OperationCount, "requests">;

/** Request counters per operation name (e.g. "CodePipeline.CreatePipeline", "CloudBuild.ListBuildTriggers"). */
export class RequestCounters {
  private readonly ops = new Map<string, OperationCount>();

  private entry(op: string): OperationCount {
    let e = this.ops.get(op);
    if (!e) {
      e = { requests: 0, ok: 0, clientErrors: 0, throttled: 0, serverErrors: 0, dropped: 0 };
      this.ops.set(op, e);
    }
    return e;
  }

  received(op: string): void {
    this.entry(op).requests++;
  }

  record(op: string, outcome: Outcome): void {
    this.entry(op)[outcome]++;
  }

  /** The counts of one operation (zeros if it was never called). */
  get(op: string): OperationCount {
    return { ...this.entry(op) };
  }

  /** All operations seen so far, sorted by name. */
  snapshot(): Record<string, OperationCount> {
    const out: Record<string, OperationCount> = {};
    for (const k of [...this.ops.keys()].sort()) out[k] = { ...this.ops.get(k)! };
    return out;
  }

  /** Total requests received, over all operations. */
  total(): number {
    let n = 0;
    for (const e of this.ops.values()) n += e.requests;
    return n;
  }

  reset(): void {
    this.ops.clear();
  }
}
