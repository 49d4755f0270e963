/** The shell toolkit every provider's compiler and importer share: quoting, the tokenizer, the metadata header, the step wrapper. */
export { shQuote, shWord, shGlob, shUnquote } from "./quote.js";
export { tokenize, renderWord, renderPattern, patternOf, literalOf, isWord, isOp, type Token, type WordToken, type OpToken, type WordSeg } from "./tokenize.js";
export { HEADER_PREFIX, headerLine, withHeader, parseHeaderLine, readHeader, splitHeader } from "./header.js";
export {
  SHELL_RUNNERS,
  cdTarget,
  execUnit,
  retryLoop,
  tolerate,
  guarded,
  wrap,
  type ExecSpec,
  type WrapSpec,
  type WrapperDialect,
  type WrapperVars,
} from "./wrapper.js";
