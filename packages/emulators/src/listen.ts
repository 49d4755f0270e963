/**
 * Where `pipeglot emulate` listens: the --port and --host a user typed, checked before anything
 * starts, and the operating system's refusals (port in use, no such address) as sentences.
 */
import { isIP } from "node:net";
import { PORT_OFFSETS, type ProviderId } from "./emulators.js";

type Problem = (message: string) => Error;

const offsets = (providers: readonly ProviderId[]) => providers.map((p) => `${p} +${PORT_OFFSETS[p]}`).join(", ");

/** The base port: a whole number such that every started provider's port (base + offset) is at most 65535; 0 = free ports. */
export function parsePort(value: number | string | undefined, providers: readonly ProviderId[], problem: Problem): number {
  if (value === undefined) return 0;
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) throw problem(`--port must be a port number (0 = any free port), got "${text}"`);
  const base = Number(text);
  if (base === 0) return 0;
  const top = Math.max(...providers.map((p) => PORT_OFFSETS[p]));
  if (base + top > 65535) {
    const last = providers.find((p) => base + PORT_OFFSETS[p] > 65535)!;
    throw problem(
      `--port ${base} would put the ${last} emulator on port ${base + PORT_OFFSETS[last]}, past 65535: each provider listens on the base port plus its offset (${offsets(providers)}), so the base port can be at most ${65535 - top}`,
    );
  }
  return base;
}

/** The interface to listen on: an IP address or a host name (a dotted quad must be a valid IPv4 address). */
export function parseHost(value: string | undefined, problem: Problem): string | undefined {
  if (value === undefined) return undefined;
  const host = value.trim();
  if (host === "") throw problem("--host must be an address to listen on, e.g. 127.0.0.1, ::1 or 0.0.0.0");
  if (/^[\d.]+$/.test(host) && isIP(host) !== 4) throw problem(`--host ${host} is not a valid IPv4 address (four numbers from 0 to 255)`);
  if (host.startsWith("[") && host.endsWith("]")) return parseHost(host.slice(1, -1), problem);
  return host;
}

/** The sentence for an error `listen()` gave, or undefined when it is not the user's to fix. */
export function listenProblem(e: unknown, host: string | undefined): string | undefined {
  const err = e as NodeJS.ErrnoException & { port?: number; address?: string };
  const where = `${err.address ?? host ?? "127.0.0.1"}${err.port !== undefined ? `:${err.port}` : ""}`;
  switch (err?.code) {
    case "EADDRINUSE":
      return `cannot listen on ${where}: the port is already in use (another pipeglot emulate, or another program); choose another --port, or leave it out to use free ports`;
    case "EACCES":
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges); choose a port of 1024 or more`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: this machine has no such address; use one of its own addresses, e.g. 127.0.0.1 or 0.0.0.0`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return `cannot listen on --host ${host}: the name does not resolve to an address of this machine`;
    case "EAFNOSUPPORT":
      return `cannot listen on ${where}: this machine does not support that address family`;
    default:
      return undefined;
  }
}
