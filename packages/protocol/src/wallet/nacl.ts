import { argon2i } from 'hash-wasm';
import nacl from 'tweetnacl';
import { ProtocolError } from '../errors.js';

/** btwallet's fixed argon2i salt (`NACL_SALT` in `src/keyfile.rs`). */
const NACL_SALT = Uint8Array.from(Buffer.from('137183dff15a09bc9c90b5518739e9b1', 'hex'));
const NACL_PREFIX = Buffer.from('$NACL');
const NONCE_BYTES = nacl.secretbox.nonceLength;

/**
 * Key-derivation cost. The defaults are libsodium's argon2i13 `OPSLIMIT_SENSITIVE` /
 * `MEMLIMIT_SENSITIVE`, which btwallet uses; anything else cannot open real btcli keyfiles
 * and exists only so tests can exercise the format cheaply.
 */
export interface NaclKdfParams {
  iterations: number;
  memoryKiB: number;
}

export const BTWALLET_KDF: NaclKdfParams = { iterations: 8, memoryKiB: 524_288 };

/** True when the keyfile bytes are btwallet's current `$NACL` format. */
export function isNaclEncrypted(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, NACL_PREFIX.length)).equals(NACL_PREFIX);
}

async function deriveKey(password: string, kdf: NaclKdfParams): Promise<Uint8Array> {
  return argon2i({
    password,
    salt: NACL_SALT,
    iterations: kdf.iterations,
    memorySize: kdf.memoryKiB,
    parallelism: 1,
    hashLength: 32,
    outputType: 'binary',
  });
}

/** Encrypts keyfile JSON bytes as `$NACL ‖ nonce(24) ‖ secretbox(ciphertext)`. */
export async function naclEncrypt(
  plaintext: Uint8Array,
  password: string,
  kdf: NaclKdfParams = BTWALLET_KDF,
): Promise<Uint8Array> {
  const key = await deriveKey(password, kdf);
  const nonce = nacl.randomBytes(NONCE_BYTES);
  const sealed = nacl.secretbox(plaintext, nonce, key);
  return Buffer.concat([NACL_PREFIX, nonce, sealed]);
}

/** Opens a `$NACL` keyfile; a wrong password is `KEYFILE_WRONG_PASSWORD`. */
export async function naclDecrypt(
  data: Uint8Array,
  password: string,
  kdf: NaclKdfParams = BTWALLET_KDF,
): Promise<Uint8Array> {
  const body = data.subarray(NACL_PREFIX.length);
  if (body.length < NONCE_BYTES + nacl.secretbox.overheadLength) {
    throw new ProtocolError('KEYFILE_INVALID', 'encrypted keyfile is truncated');
  }
  const key = await deriveKey(password, kdf);
  const opened = nacl.secretbox.open(body.subarray(NONCE_BYTES), body.subarray(0, NONCE_BYTES), key);
  if (!opened) throw new ProtocolError('KEYFILE_WRONG_PASSWORD', 'wrong password for $NACL keyfile');
  return opened;
}
