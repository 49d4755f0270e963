/**
 * The OCI SDK's retrier writes to console.warn on every failed call ("All retry attempts have
 * exhausted…", "Request cannot be retried…"), even with its retries off; pipeglot retries and
 * reports itself. While SDK calls are in flight, exactly those lines are dropped; every other
 * warning passes through.
 */
const SDK_CHATTER = /^(All retry attempts have exhausted|Request cannot be retried|Request failed with Exception)/;

let inFlight = 0;
let original: typeof console.warn | undefined;

async function quietly<T>(call: () => Promise<T>): Promise<T> {
  if (inFlight++ === 0) {
    const keep = console.warn;
    original = keep;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === "string" && SDK_CHATTER.test(args[0])) return;
      keep(...args);
    };
  }
  try {
    return await call();
  } finally {
    if (--inFlight === 0 && original) {
      console.warn = original;
      original = undefined;
    }
  }
}

/** `client` with every method call made quietly. */
export function quietClient<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        const r = (v as (...a: unknown[]) => unknown).apply(target, args);
        return r instanceof Promise ? quietly(() => r) : r;
      };
    },
  });
}
