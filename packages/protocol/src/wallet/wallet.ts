import { access, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import { mnemonicGenerate, mnemonicToMiniSecret } from '@polkadot/util-crypto';
import { ProtocolError } from '../errors.js';
import { withWalletCreateLock } from './create-lock.js';
import { type ReadKeyfileOptions, readKeyfile, readPublicKeyfile, writeKeyfile } from './keyfile.js';
import { keyfileJsonFor, sr25519Keyring } from './keypair.js';

/** A btcli wallet with its hotkey unlocked; the coldkey stays on disk (only its address is read). */
export interface Wallet {
  name: string;
  hotkeyName: string;
  /** Wallets directory, e.g. `~/.bittensor/wallets`. */
  path: string;
  hotkey: KeyringPair;
  coldkeyAddress: string;
}

export interface LoadWalletOptions {
  path?: string;
  name?: string;
  hotkey?: string;
  /** Password for an encrypted hotkey; otherwise `BT_PW_*`, then a terminal prompt. */
  password?: string;
  env?: NodeJS.ProcessEnv;
  /** @internal See {@link ReadKeyfileOptions.kdf}. */
  kdf?: ReadKeyfileOptions['kdf'];
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/** Resolves the SDK defaults: options, then `BT_WALLET_{PATH,NAME,HOTKEY}`, then `~/.bittensor/wallets`, `default`, `default`. */
export function resolveWalletLocation(opts: Omit<LoadWalletOptions, 'password' | 'kdf'> = {}) {
  const env = opts.env ?? process.env;
  const path = resolve(expandHome(opts.path ?? (env.BT_WALLET_PATH || '~/.bittensor/wallets')));
  const name = opts.name ?? (env.BT_WALLET_NAME || 'default');
  const hotkeyName = opts.hotkey ?? (env.BT_WALLET_HOTKEY || 'default');
  return {
    path,
    name,
    hotkeyName,
    hotkeyFile: join(path, name, 'hotkeys', hotkeyName),
    coldkeyPubFile: join(path, name, 'coldkeypub.txt'),
  };
}

/**
 * Loads a btcli wallet: the hotkey keyfile (plain or `$NACL`) and the coldkey address from
 * `coldkeypub.txt`.
 *
 * @example
 * const wallet = await loadWallet({ name: 'miner', hotkey: 'default' });
 * console.log(wallet.hotkey.address);
 */
export async function loadWallet(opts: LoadWalletOptions = {}): Promise<Wallet> {
  const loc = resolveWalletLocation(opts);
  const readOpts: ReadKeyfileOptions = {};
  if (opts.password !== undefined) readOpts.password = opts.password;
  if (opts.env !== undefined) readOpts.env = opts.env;
  if (opts.kdf !== undefined) readOpts.kdf = opts.kdf;
  const hotkey = await readKeyfile(loc.hotkeyFile, readOpts);
  const coldkeyAddress = await readPublicKeyfile(loc.coldkeyPubFile);
  return { name: loc.name, hotkeyName: loc.hotkeyName, path: loc.path, hotkey, coldkeyAddress };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Writes a fresh unencrypted key (secret keyfile + `…pub.txt`-style public file) from a new mnemonic. */
async function createKey(secretPath: string, publicPath: string): Promise<void> {
  const ring = await sr25519Keyring();
  const mnemonic = mnemonicGenerate(12);
  const pair = ring.addFromSeed(mnemonicToMiniSecret(mnemonic));
  try {
    await writeKeyfile(secretPath, keyfileJsonFor(pair, mnemonic));
    await writeKeyfile(publicPath, keyfileJsonFor(pair));
  } catch (err) {
    // Another process created the same key first: keep theirs (files are written exclusively).
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** In-flight creations per wallet directory. */
const creating = new Map<string, Promise<Wallet>>();

/**
 * Creates an unencrypted development wallet in btcli layout (for local networks only), or loads
 * it when it already exists. Missing parts (coldkey or hotkey) are added; existing keys are kept.
 * Concurrent calls are safe, in one process and across processes (a lock directory in the wallet).
 */
export async function createDevelopmentWallet(opts: {
  path: string;
  name: string;
  hotkey: string;
}): Promise<Wallet> {
  const loc = resolveWalletLocation({ path: opts.path, name: opts.name, hotkey: opts.hotkey, env: {} });
  const walletDir = join(loc.path, loc.name);
  // Serialize creators of one wallet within the process, so none sees a half-written key.
  const previous = creating.get(walletDir) ?? Promise.resolve();
  const run = previous
    .catch(() => {})
    .then(() => withWalletCreateLock(walletDir, () => createOrLoad(loc, walletDir)));
  creating.set(walletDir, run);
  return run.finally(() => {
    if (creating.get(walletDir) === run) creating.delete(walletDir);
  });
}

async function createOrLoad(
  loc: ReturnType<typeof resolveWalletLocation>,
  walletDir: string,
): Promise<Wallet> {
  await mkdir(join(walletDir, 'hotkeys'), { recursive: true, mode: 0o700 });
  if (!(await exists(loc.coldkeyPubFile))) {
    if (await exists(join(walletDir, 'coldkey'))) {
      throw new ProtocolError('KEYFILE_INVALID', `${walletDir} has a coldkey but no coldkeypub.txt`);
    }
    await createKey(join(walletDir, 'coldkey'), loc.coldkeyPubFile);
  }
  if (!(await exists(loc.hotkeyFile))) await createKey(loc.hotkeyFile, `${loc.hotkeyFile}pub.txt`);
  return loadWallet({ path: loc.path, name: loc.name, hotkey: loc.hotkeyName, env: {} });
}
