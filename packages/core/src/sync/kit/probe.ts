import { connect } from "node:net";
import { UNREACHABLE_CODES } from "./classify.js";

/**
 * Some SDKs drop the cause of a failed connection (one rethrows only `{message: "fetch failed"}`):
 * a request that got no answer cannot tell a refused connection from a dropped one. One TCP connect
 * to the endpoint tells: the refusal's code (ECONNREFUSED, ENOTFOUND...), or undefined when the
 * port answers (or the probe itself times out: then the network, not the endpoint, is in doubt).
 */
export function probeEndpoint(url: string, timeoutMs = 2_000): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve(undefined);
  }
  const port = u.port ? Number(u.port) : u.protocol === "http:" ? 80 : 443;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (code: string | undefined) => {
      socket.destroy();
      resolve(code);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once("connect", () => done(undefined));
    socket.once("error", (e: NodeJS.ErrnoException) => done(e.code !== undefined && UNREACHABLE_CODES.has(e.code) ? e.code : undefined));
  });
}
