/** @pipeglot/cli — the `pipeglot` command, also callable in-process. */
export { main } from "./main.js";
export { EXIT } from "./io.js";
