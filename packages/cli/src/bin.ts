#!/usr/bin/env node
import { afterCommand } from "./linger.js";
import { main } from "./main.js";

// A closed pipe (`pipeglot ... | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    afterCommand();
  },
  () => {
    process.exitCode = 3;
    afterCommand();
  },
);
