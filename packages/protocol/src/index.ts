export { isProtocolError, ProtocolError, type ProtocolErrorCode } from './errors.js';
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
