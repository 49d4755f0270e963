export {
  OciDevopsProtocol,
  OciError,
  OCI_API_VERSION,
  type OciEmulatorOptions,
  type OciKind,
  type OciResourceSnapshot,
  type WorkRequestInfo,
  type WorkRequestStatus,
} from "./devops.js";
export { SignatureVerifier, parseAuthorization, type ParsedSignature } from "./signature.js";
