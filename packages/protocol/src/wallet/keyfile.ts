import { chmod, readFile, writeFile } from 'node:fs/promises';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import { ProtocolError } from '../errors.js';
import { KeyfileJson, keypairFromKeyfileJson, SS58_FORMAT } from './keypair.js';
import { isNaclEncrypted, type NaclKdfParams, naclDecrypt, naclEncrypt } from './nacl.js';
import { passwordFromEnv, promptPassword } from './password.js';

export interface ReadKeyfileOptions {
  /** Password for an encrypted keyfile; otherwise `BT_PW_*`, then a terminal prompt. */
  password?: string;
  env?: NodeJS.ProcessEnv;
  /** @internal Lower KDF cost for tests; real btcli keyfiles need the default. */
  kdf?: NaclKdfParams;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new ProtocolError('WALLET_NOT_FOUND', `keyfile ${path} cannot be read`, { cause });
  }
}

function parseKeyfileJson(bytes: Uint8Array, path: string): KeyfileJson {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new ProtocolError('KEYFILE_INVALID', `keyfile ${path} is not JSON`, { cause });
  }
  const parsed = KeyfileJson.safeParse(raw);
  if (!parsed.success) throw new ProtocolError('KEYFILE_INVALID', `keyfile ${path} has unexpected fields`);
  return parsed.data;
}

async function decryptIfNeeded(
  bytes: Uint8Array,
  path: string,
  opts: ReadKeyfileOptions,
): Promise<Uint8Array> {
  const head = Buffer.from(bytes.subarray(0, 14)).toString('latin1');
  if (head.startsWith('$ANSIBLE_VAULT') || head.startsWith('gAAAAA')) {
    throw new ProtocolError(
      'KEYFILE_UNSUPPORTED_ENCRYPTION',
      `keyfile ${path} uses a legacy encryption; re-encrypt it with a current btcli`,
    );
  }
  if (!isNaclEncrypted(bytes)) return bytes;
  const password = opts.password ?? passwordFromEnv(path, opts.env) ?? (await promptPassword(path));
  return naclDecrypt(bytes, password, opts.kdf);
}

/** Loads the signing pair stored in a btcli keyfile (plain JSON or `$NACL`). */
export async function readKeyfile(path: string, opts: ReadKeyfileOptions = {}): Promise<KeyringPair> {
  const bytes = await decryptIfNeeded(await readBytes(path), path, opts);
  return keypairFromKeyfileJson(parseKeyfileJson(bytes, path));
}

/** Reads the ss58 address of a public keyfile such as `coldkeypub.txt`. */
export async function readPublicKeyfile(path: string): Promise<string> {
  const json = parseKeyfileJson(await readBytes(path), path);
  if (json.ss58Address) return json.ss58Address;
  const hex = json.publicKey ?? json.accountId;
  if (hex && isHex(hex, 256)) return encodeAddress(hexToU8a(hex), SS58_FORMAT);
  throw new ProtocolError('KEYFILE_INVALID', `public keyfile ${path} holds no address`);
}

/**
 * Writes keyfile JSON with owner-only permissions, encrypted as `$NACL` when a password is given.
 * Never overwrites: callers decide idempotency.
 */
export async function writeKeyfile(
  path: string,
  json: KeyfileJson,
  opts: { password?: string; kdf?: NaclKdfParams } = {},
): Promise<void> {
  const plain = Buffer.from(JSON.stringify(json), 'utf8');
  const data = opts.password === undefined ? plain : await naclEncrypt(plain, opts.password, opts.kdf);
  await writeFile(path, data, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}
