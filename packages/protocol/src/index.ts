export { type AxonOptions, type AxonRequestInfo, axonMiddleware, type BlacklistResult } from './axon.js';
export {
  type AxonCertificate,
  axonCertificateOf,
  ED25519_CERTIFICATE_ALGORITHM,
  encodeAxonCertificate,
  sameAxonCertificate,
} from './axon-certificate.js';
export {
  type AxonEnv,
  type AxonRefusal,
  type AxonVariables,
  axonErrorResponse,
  axonResponse,
  type CallerInfo,
} from './axon-response.js';
export { coerceToPyType, computeBodyHash, EMPTY_BODY_HASH, type PyFieldType, sha3Hex } from './body-hash.js';
export { type CallOptions, Dendrite, type DendriteOptions, type DendriteResponse } from './dendrite.js';
export { isProtocolError, ProtocolError, type ProtocolErrorCode } from './errors.js';
export { type ParsedSynapseHeaders, parseSynapseHeaders, synapseToHeaders } from './headers.js';
export { type HonoOnErrorOptions, honoOnError } from './hono-errors.js';
export { toWireJson } from './json.js';
export { NonceClock, nowNs } from './nonce.js';
export {
  ALLOWED_NONCE_DELTA_NS,
  type NonceCheck,
  NonceGuard,
  type NonceGuardOptions,
} from './nonce-guard.js';
export { type DendriteFetch, pinnedFetch } from './pinned-fetch.js';
export { PriorityGate } from './priority-gate.js';
export {
  AnyProofPayload,
  CHAIN_PAYLOAD_VERSION,
  ChainProofPayload,
  decodeProofPayload,
  encodeProofPayload,
  PROOF_PAYLOAD_VERSION,
  ProofPayload,
} from './proof-payload.js';
export { parsePythonJson } from './python-json.js';
export {
  PyFloat,
  type PyValue,
  pythonFloatRepr,
  pythonRepr,
  pythonStr,
  pythonStrRepr,
} from './python-str.js';
export { type AxonTarget, buildSignedRequest, type SignedRequest, synapseBodyHash } from './request.js';
export {
  checkResponseSignature,
  RESPONSE_SIGNATURE_HEADER,
  type ResponseSignatureFields,
  type ResponseSignatureStatus,
  responseBodyHash,
  responseSignatureMessage,
  signResponse,
} from './response-signature.js';
export { requestSignatureMessage, signMessage, verifyMessage } from './signature.js';
export {
  createSynapse,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TIMEOUT_S,
  defineSynapse,
  PingSynapseDefinition,
  type SynapseBase,
  type SynapseDefinition,
  unsignedRequestFields,
} from './synapse.js';
export {
  MAX_QUERY_OUTPUT_CHARS,
  QueryForCapacities,
  QueryForCapacitiesDefinition,
  type QueryForCapacitiesSynapse,
  QueryZkProof,
  QueryZkProofDefinition,
  QueryZkProofInput,
  type QueryZkProofSynapse,
} from './synapses.js';
export { emptyTerminalInfo, TerminalInfo } from './terminal-info.js';
export { PROTOCOL_VERSION } from './version.js';
export { type ReadKeyfileOptions, readKeyfile, readPublicKeyfile, writeKeyfile } from './wallet/keyfile.js';
export {
  btwalletPrivateKeyToPolkadot,
  KeyfileJson,
  keypairFromKeyfileJson,
  SS58_FORMAT,
} from './wallet/keypair.js';
export { encodeEnvPassword, passwordEnvVarName, passwordFromEnv } from './wallet/password.js';
export {
  createDevelopmentWallet,
  type LoadWalletOptions,
  loadWallet,
  resolveWalletLocation,
  type Wallet,
} from './wallet/wallet.js';
