import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { ChainError } from '../errors.js';

/**
 * Timelock encryption as subtensor's `tle` crate does it (ideal-lab5/timelock, `TinyBLS381` +
 * `AESGCMStreamCipherProvider`): Boneh–Franklin "FullIdent" IBE on BLS12-381 with the beacon key in G2 and
 * round signatures in G1 encrypts a fresh 32-byte AES-256-GCM key to the identity of a round; the message is
 * sealed with that key. A round's signature is the IBE secret for its identity, so anyone holding it decrypts.
 *
 * Wire format (arkworks `serialize_compressed` of `TLECiphertext`; `Vec<u8>` = u64 LE length + bytes):
 *   U: G2 compressed (96) | V: Vec<u8> (32) | W: Vec<u8> (32) | body: Vec<u8> | cipher_suite: Vec<u8> ("AES_GCM_")
 * where body = arkworks(AESOutput { ciphertext: Vec<u8> (ct ‖ 16-byte tag), nonce: Vec<u8> (12) }).
 */

const { G1, G2, fields } = bls12_381;

/** RFC 9380 suite drand quicknet signs with (hash to G1). */
export const QUICKNET_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
const CIPHER_SUITE = new TextEncoder().encode('AES_GCM_');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

type G1Point = InstanceType<typeof G1.Point>;
type G2Point = InstanceType<typeof G2.Point>;
type Gt = ReturnType<typeof bls12_381.pairing>;

function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

function xor32(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

/** The identity message of a round: sha256(round as big-endian u64), what the beacon signs. */
export function roundMessage(round: number | bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(round), false);
  return sha256(bytes);
}

/** Q_ID: the round's identity hashed to G1. */
export function roundIdentity(round: number | bigint): G1Point {
  return G1.hashToCurve(roundMessage(round), { DST: QUICKNET_DST }) as unknown as G1Point;
}

/** arkworks serialization of a pairing output: Fq12 = (c0, c1) of Fq6 = (c0, c1, c2) of Fq2; Fq as 48 bytes LE. */
function gtBytes(value: Gt): Uint8Array {
  const out = new Uint8Array(12 * 48);
  let offset = 0;
  for (const fq6 of [value.c0, value.c1]) {
    for (const fq2 of [fq6.c0, fq6.c1, fq6.c2]) {
      for (let x of [fq2.c0, fq2.c1]) {
        for (let i = 0; i < 48; i++, x >>= 8n) out[offset + i] = Number(x & 0xffn);
        offset += 48;
      }
    }
  }
  return out;
}

/** H3: sha256(sigma ‖ m) read big-endian, reduced mod r (arkworks `from_be_bytes_mod_order`). */
function h3(sigma: Uint8Array, message: Uint8Array): bigint {
  return fields.Fr.create(BigInt(`0x${Buffer.from(sha256(sigma, message)).toString('hex')}`));
}

function u64le(n: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(n), true);
  return bytes;
}

function vec(bytes: Uint8Array): Uint8Array[] {
  return [u64le(bytes.length), bytes];
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Parses a compressed G2 point (the beacon's public key), checking it is on the curve and in the subgroup. */
export function parseBeaconPublicKey(bytes: Uint8Array): G2Point {
  try {
    const point = G2.Point.fromBytes(bytes);
    point.assertValidity();
    return point;
  } catch (error) {
    throw new ChainError(
      'INVALID_INPUT',
      'beacon public key is not a compressed BLS12-381 G2 point',
      undefined,
      {
        cause: error,
      },
    );
  }
}

function parseSignature(bytes: Uint8Array): G1Point {
  try {
    const point = G1.Point.fromBytes(bytes);
    point.assertValidity();
    return point;
  } catch (error) {
    throw new ChainError(
      'TIMELOCK_DECRYPT_FAILED',
      'round signature is not a compressed G1 point',
      undefined,
      {
        cause: error,
      },
    );
  }
}

/** Checks a round signature against the beacon key: e(sig, G2) = e(Q_ID, pk). */
export function verifyRoundSignature(round: number, signature: Uint8Array, publicKey: Uint8Array): boolean {
  let sig: G1Point;
  try {
    sig = parseSignature(signature);
  } catch {
    return false;
  }
  const pk = parseBeaconPublicKey(publicKey);
  return fields.Fp12.eql(bls12_381.pairing(sig, G2.Point.BASE), bls12_381.pairing(roundIdentity(round), pk));
}

export interface TimelockEncryptOptions {
  round: number;
  /** Compressed G2 beacon key; the chain's own (quicknet on subtensor, the development beacon locally). */
  publicKey: Uint8Array;
  /** Randomness source (tests only); defaults to the CSPRNG. */
  random?: (length: number) => Uint8Array;
}

/** Encrypts `message` so that it opens with the beacon's signature for `round`; returns the chain's bytes. */
export function timelockEncrypt(message: Uint8Array, options: TimelockEncryptOptions): Uint8Array {
  const random = options.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  if (!Number.isSafeInteger(options.round) || options.round < 0) {
    throw new ChainError('INVALID_INPUT', `round must be a non-negative integer, got ${options.round}`);
  }
  const pk = parseBeaconPublicKey(options.publicKey);
  const key = random(32); // the AES key, IBE-encrypted in the header
  const sigma = sha256(random(32));
  const r = h3(sigma, key);
  const u = G2.Point.BASE.multiply(r);
  const gId = bls12_381.pairing(roundIdentity(options.round), pk.multiply(r));
  const v = xor32(sigma, sha256(gtBytes(gId)));
  const w = xor32(key, sha256(sigma));

  const nonce = random(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const sealed = concat([cipher.update(message), cipher.final(), cipher.getAuthTag()]);
  const body = concat([...vec(sealed), ...vec(nonce)]);
  return concat([u.toBytes(true), ...vec(v), ...vec(w), ...vec(body), ...vec(CIPHER_SUITE)]);
}

/** The parts of a serialized `TLECiphertext`. */
export interface TimelockCiphertext {
  u: Uint8Array;
  v: Uint8Array;
  w: Uint8Array;
  sealed: Uint8Array;
  nonce: Uint8Array;
  cipherSuite: string;
}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  take(n: number): Uint8Array {
    if (n > this.bytes.length - this.offset) throw new Error('truncated');
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  vec(): Uint8Array {
    const length = new DataView(this.take(8).slice().buffer).getBigUint64(0, true);
    if (length > BigInt(this.bytes.length)) throw new Error('length past the end');
    return this.take(Number(length));
  }
  done(): boolean {
    return this.offset === this.bytes.length;
  }
}

/** Parses the chain's ciphertext bytes (no cryptography). Throws TIMELOCK_DECRYPT_FAILED when malformed. */
export function parseTimelockCiphertext(bytes: Uint8Array): TimelockCiphertext {
  try {
    const reader = new Reader(bytes);
    const u = reader.take(96);
    const v = reader.vec();
    const w = reader.vec();
    const body = new Reader(reader.vec());
    const cipherSuite = Buffer.from(reader.vec()).toString('latin1');
    const sealed = body.vec();
    const nonce = body.vec();
    if (!reader.done() || !body.done()) throw new Error('trailing bytes');
    return { u, v, w, sealed, nonce, cipherSuite };
  } catch (error) {
    throw new ChainError(
      'TIMELOCK_DECRYPT_FAILED',
      `malformed timelock ciphertext: ${(error as Error).message}`,
    );
  }
}

/**
 * Opens a ciphertext with a round signature (48-byte compressed G1), as the chain's `tld`: recovers sigma and
 * the AES key, checks U = H3(sigma, key)·G2 (so a wrong signature or a tampered header fails), then AES-GCM.
 */
export function timelockDecrypt(bytes: Uint8Array, signature: Uint8Array): Uint8Array {
  const ct = parseTimelockCiphertext(bytes);
  const fail = (why: string) =>
    new ChainError('TIMELOCK_DECRYPT_FAILED', `timelock decryption failed: ${why}`);
  if (ct.cipherSuite !== 'AES_GCM_') throw fail(`unknown cipher suite ${JSON.stringify(ct.cipherSuite)}`);
  if (ct.v.length !== 32 || ct.w.length !== 32) throw fail('header is not 32-byte V and W');
  if (ct.nonce.length !== NONCE_BYTES || ct.sealed.length < TAG_BYTES) throw fail('bad AES-GCM body');
  let u: G2Point;
  try {
    u = G2.Point.fromBytes(ct.u);
    u.assertValidity();
  } catch {
    throw fail('U is not a G2 point');
  }
  const sig = parseSignature(signature);
  const sigma = xor32(ct.v, sha256(gtBytes(bls12_381.pairing(sig, u))));
  const key = xor32(ct.w, sha256(sigma));
  if (!G2.Point.BASE.multiply(h3(sigma, key)).equals(u)) throw fail('wrong round signature');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, ct.nonce);
    decipher.setAuthTag(ct.sealed.subarray(ct.sealed.length - TAG_BYTES));
    return concat([decipher.update(ct.sealed.subarray(0, ct.sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw fail('AES-GCM authentication failed');
  }
}
