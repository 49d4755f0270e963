/**
 * A live command's requests are bounded by core's time limits (kit/timeout.ts), not by the SDKs'
 * (none, 60 s, 300 s): a request abandoned at its bound may still hold a socket the SDK will not
 * close for minutes. Once the command is over and its output written, such a socket must not keep
 * the process alive: the exit code is already set.
 */
let armed = false;

/** A live command is running (plan, apply, pull): exit once it is over, whatever sockets remain. */
export function exitWhenDone(): void {
  armed = true;
}

/** Called when the command is over: with a live command, exit as soon as stdout and stderr are flushed. */
export function afterCommand(): void {
  if (!armed) return;
  // Unreferenced: when nothing else is left, the process ends on its own before this ever runs.
  const t = setInterval(() => {
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
  }, 100);
  t.unref();
}
