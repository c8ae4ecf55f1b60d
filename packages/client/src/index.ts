export { OmronClient, type OmronClientOptions } from './client.js';
export { type ApiErrorCode, type ClientErrorCode, OmronClientError } from './errors.js';
export { type CircuitArtifacts, LocalVerifier, type LocalVerifierOptions } from './local-verify.js';
export { RpcConnection } from './rpc-client.js';
export {
  API_HEADERS,
  apiSignatureMessage,
  bodySha256,
  NONCE_PATTERN,
  newNonce,
  SIGNATURE_DOMAIN,
  SIGNATURE_WINDOW_S,
  type SignedFields,
  signApiRequest,
} from './signing.js';
export type {
  ApiErrorBody,
  CircuitInfo,
  InferAnswer,
  InferProgress,
  VerifyAnswer,
  VerifyRequest,
} from './types.js';
