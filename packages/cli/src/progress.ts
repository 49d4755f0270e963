/**
 * Progress of plan and apply, on standard error (standard output stays the plan):
 *   - on a terminal, a block redrawn in place (log-update): what is being read or written, each
 *     retry with its reason and wait, the time so far; each finished resource stays above it, and a
 *     summary line ends each provider;
 *   - off a terminal, one line per finished resource and per retry, and the summary line, with no
 *     time in them (logs stay comparable);
 *   - nothing with --quiet or --format json.
 */
import { createLogUpdate } from "log-update";
import { keyString, type ChangeResult, type ProgressEvent, type ResourceKey, type RetryNotice } from "@pipeglot/core";
import type { ProviderId } from "@pipeglot/schema";

export interface Progress {
  /** The engine's progress callback for one provider's plan or apply. */
  watch(provider: ProviderId, what: "plan" | "apply"): (e: ProgressEvent) => void;
  /** The provider's plan or apply is over: its summary line, and the live block cleared. */
  finish(provider: ProviderId): void;
  /** Clear anything still drawn (before an error is printed). */
  close(): void;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A plan's verdict on a resource, as the plan's summary says it. */
const OUTCOME: Record<string, string> = { create: "to create", update: "to update", delete: "to delete", noop: "unchanged", blocked: "blocked" };
const outcome = (o: string): string => OUTCOME[o] ?? o;

const retryText = (n: RetryNotice): string => `retrying in ${seconds(n.waitMs)} (attempt ${n.attempt} of ${n.of}): ${n.reason}`;

const resultText = (r: ChangeResult): string =>
  `${r.status} ${r.action} ${keyString(r.key)}${r.attempts > 1 ? ` (${r.attempts} attempts)` : ""}${r.message && r.status !== "done" ? `: ${r.message}` : ""}`;

/** What one provider's run has seen so far. */
class Tally {
  readonly started = Date.now();
  reading = 0;
  listing = false;
  readonly outcomes = new Map<string, number>();
  readonly writing = new Map<string, string>();
  readonly statuses = new Map<string, number>();
  lastRetry: { key?: ResourceKey; notice: RetryNotice } | undefined;

  constructor(
    readonly provider: ProviderId,
    readonly what: "plan" | "apply",
  ) {}

  /** The permanent line the event gives, if any; updates the tally. */
  note(e: ProgressEvent): string | undefined {
    switch (e.type) {
      case "reading":
        this.reading = e.count;
        return undefined;
      case "listing":
        this.listing = true;
        return undefined;
      case "read":
        this.outcomes.set(e.outcome, (this.outcomes.get(e.outcome) ?? 0) + 1);
        return `${this.provider}: read ${keyString(e.key)}: ${outcome(e.outcome)}`;
      case "writing":
        this.writing.set(keyString(e.key), `${e.action} ${keyString(e.key)}`);
        return undefined;
      case "written":
        this.writing.delete(keyString(e.result.key));
        this.statuses.set(e.result.status, (this.statuses.get(e.result.status) ?? 0) + 1);
        // Resources already in sync are counted, not listed: nothing was written.
        return e.result.action === "noop" ? undefined : `${this.provider}: ${resultText(e.result)}`;
      case "retrying":
        this.lastRetry = e.key ? { key: e.key, notice: e.notice } : { notice: e.notice };
        return `${this.provider}: ${e.key ? `${keyString(e.key)}: ` : ""}${retryText(e.notice)}`;
    }
  }

  private counts(m: Map<string, number>): string {
    return [...m].map(([k, n]) => `${n} ${outcome(k)}`).join(", ") || "nothing";
  }

  summary(): string {
    if (this.what === "plan") {
      const n = [...this.outcomes.values()].reduce((a, b) => a + b, 0);
      return `${this.provider}: read ${n} resource${n === 1 ? "" : "s"}: ${this.counts(this.outcomes)}`;
    }
    const n = [...this.statuses.values()].reduce((a, b) => a + b, 0);
    return `${this.provider}: applied ${n} change${n === 1 ? "" : "s"}: ${this.counts(this.statuses)}`;
  }

  /** The live block on a terminal. */
  block(now: number): string {
    const head =
      this.what === "plan"
        ? `${this.provider}: ${this.listing ? "listing owned resources" : this.reading ? `reading ${this.reading} resource${this.reading === 1 ? "" : "s"}` : "planning"}… ${seconds(now - this.started)}`
        : `${this.provider}: applying… ${[...this.statuses.values()].reduce((a, b) => a + b, 0)} finished, ${this.writing.size} in flight, ${seconds(now - this.started)}`;
    const lines = [head, ...[...this.writing.values()].map((w) => `  writing ${w}`)];
    const r = this.lastRetry;
    if (r) lines.push(`  ${r.key ? `${keyString(r.key)}: ` : ""}${retryText(r.notice)}`);
    return lines.join("\n");
  }
}

const SILENT: Progress = { watch: () => () => undefined, finish: () => undefined, close: () => undefined };

/** Lines on a stream that is not a terminal. */
function lines(stream: NodeJS.WriteStream): Progress {
  const tallies = new Map<ProviderId, Tally>();
  return {
    watch(provider, what) {
      const t = new Tally(provider, what);
      tallies.set(provider, t);
      return (e) => {
        const line = t.note(e);
        if (line !== undefined) stream.write(line + "\n");
      };
    },
    finish(provider) {
      const t = tallies.get(provider);
      if (t) stream.write(t.summary() + "\n");
      tallies.delete(provider);
    },
    close: () => undefined,
  };
}

/**
 * A terminal that reports no size (a pty nobody sized) as 80×24: log-update would wrap every
 * character in 0 columns and draw nothing in 0 rows.
 */
export function sizedTerminal(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return {
    isTTY: true,
    write: (text: string) => stream.write(text),
    get columns() {
      return stream.columns || 80;
    },
    get rows() {
      return stream.rows || 24;
    },
  } as unknown as NodeJS.WriteStream;
}

/** A block redrawn in place on a terminal. */
function live(stream: NodeJS.WriteStream): Progress {
  const draw = createLogUpdate(sizedTerminal(stream), { showCursor: true });
  let current: Tally | undefined;
  const timer = setInterval(() => current && draw(current.block(Date.now())), 250);
  timer.unref();
  return {
    watch(provider, what) {
      const t = (current = new Tally(provider, what));
      draw(t.block(Date.now()));
      return (e) => {
        const line = t.note(e);
        // On a terminal, the finished writes stay; a plan's reads end together: its summary says them.
        if (line !== undefined && e.type === "written") draw.persist(line);
        draw(t.block(Date.now()));
      };
    },
    finish() {
      const t = current;
      current = undefined;
      draw.clear();
      if (t) stream.write(`${t.summary()} in ${seconds(Date.now() - t.started)}\n`);
    },
    close() {
      current = undefined;
      clearInterval(timer);
      draw.clear();
    },
  };
}

/** The progress display for this run: none with --quiet or --format json, live on a terminal, lines elsewhere. */
export function progress(opts: { quiet: boolean; format: string; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet || opts.format === "json") return SILENT;
  return stream.isTTY ? live(stream) : lines(stream);
}
