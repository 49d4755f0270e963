import type { Argv } from "yargs";
import { CliError, EXIT, out } from "../io.js";
import type { Command } from "../main.js";

interface Args {
  providers: string;
  port: string;
  host: string;
  latency: number;
  throttle: number;
  errors: number;
  drop: number;
  seed: number;
  botocore?: string;
  state?: string;
  envOut?: string;
  stepMs?: number;
  failStep: string[];
  format: "text" | "json";
}

const rate = (name: string) => (v: number) => {
  if (!(v >= 0 && v <= 1)) throw new Error(`--${name} is a share of requests from 0 to 1, got ${v}`);
  return v;
};

export const emulateCommand: Command<Args> = {
  command: "emulate",
  describe: "Run local emulators of the clouds' pipeline APIs, seeded so that the bundled examples apply (tests, demos, offline dry runs)",
  builder: (y: Argv) =>
    y
      .option("providers", { type: "string", default: "aws,azure,gcp,oci", describe: "Which emulators: aws, azure, gcp, oci (comma-separated)" })
      // A string, so that `--port abc` is reported as typed (yargs would make it NaN).
      .option("port", { type: "string", default: "0", describe: "Base port (aws = port, azure = +1, gcp = +2, oci = +3); 0 = any free port" })
      .option("host", { type: "string", default: "127.0.0.1", describe: "Address to listen on" })
      .option("state", { type: "string", describe: "Keep the emulated accounts in this file across restarts (internal format)" })
      .option("env-out", { type: "string", describe: "Also write the export lines to this file once listening (removed at exit); `. FILE` in a shell" })
      .option("latency", { type: "number", default: 0, describe: "Milliseconds added to every response" })
      .option("throttle", { type: "number", default: 0, coerce: rate("throttle"), describe: "Share of requests throttled (0..1)" })
      .option("errors", { type: "number", default: 0, coerce: rate("errors"), describe: "Share of requests answered with a 5xx (0..1)" })
      .option("drop", { type: "number", default: 0, coerce: rate("drop"), describe: "Share of connections dropped (0..1)" })
      .option("seed", { type: "number", default: 1, describe: "Seed of the fault schedule (same seed, same faults)" })
      .option("step-ms", { type: "number", describe: "Simulated milliseconds each unit of a pipeline run takes (default 100)" })
      .option("fail-step", {
        type: "string",
        array: true,
        default: [],
        describe: "Make this unit of a run fail, by its native or neutral job name (repeatable)",
      })
      .option("botocore", { type: "string", describe: "botocore models folder: validate AWS requests as AWS does" })
      .example("$0 emulate --port 4566", "All four; print the endpoints and the variables to export")
      .example("$0 emulate --env-out emu.env --state emu.json &", "In the background, state kept across restarts; then `. emu.env`")
      .example("$0 emulate --latency 50 --throttle 0.3", "Slow and throttled, to test retries") as unknown as Argv<Args>,
  async handler(args) {
    const emu = await import("@pipeglot/emulators");
    let started;
    try {
      started = await emu.emulateCommand({
        providers: args.providers,
        host: args.host,
        port: args.port,
        latency: args.latency,
        throttle: args.throttle,
        errors: args.errors,
        drop: args.drop,
        seed: args.seed,
        ...(args.botocore ? { botocoreDir: args.botocore } : {}),
        ...(args.state !== undefined ? { state: args.state } : {}),
        ...(args.envOut !== undefined ? { envOut: args.envOut } : {}),
        ...(args.stepMs !== undefined ? { stepMs: args.stepMs } : {}),
        failSteps: args.failStep,
      });
    } catch (e) {
      if (e instanceof emu.EmulateUsageError) throw new CliError(e.message, EXIT.usage);
      throw e;
    }
    if (args.format === "json") out(JSON.stringify({ endpoints: started.emulators.endpoints, env: started.env }, null, 2));
    else out(started.text);
    await new Promise<void>((resolve) => {
      const stop = () => void started.close().then(resolve, resolve);
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return EXIT.ok;
  },
};
