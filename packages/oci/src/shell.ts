/**
 * The shell words pipeglot writes into OCI build and command specs: core's shell toolkit
 * (@pipeglot/core shell/), re-exported under the names this package's modules import.
 */
import { shWord } from "@pipeglot/core";

export {
  tokenize,
  renderWord,
  renderPattern,
  patternOf,
  literalOf,
  isWord,
  isOp,
  type Token,
  type WordToken,
  type OpToken,
  type WordSeg,
} from "@pipeglot/core";

/** Quote literal text for the shell: bare when it is safe, else in single quotes. */
export const quoteLiteral = shWord;
