import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToU8a } from '@polkadot/util';
import { argon2i } from 'hash-wasm';
import nacl from 'tweetnacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors.js';
import { encodeEnvPassword, passwordEnvVarName } from './password.js';
import { createDevelopmentWallet, loadWallet, resolveWalletLocation } from './wallet.js';

const MNEMONIC = 'old leopard transfer rib spatial phone calm indicate online fire caution review';
const SS58 = '5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-wallet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveWalletLocation', () => {
  it('uses BT_WALLET_* like the SDK, with explicit options first', () => {
    const env = { BT_WALLET_PATH: '/w', BT_WALLET_NAME: 'n', BT_WALLET_HOTKEY: 'h' };
    expect(resolveWalletLocation({ env }).hotkeyFile).toBe('/w/n/hotkeys/h');
    expect(resolveWalletLocation({ env, name: 'm' }).coldkeyPubFile).toBe('/w/m/coldkeypub.txt');
    expect(resolveWalletLocation({ env: {} }).hotkeyFile).toMatch(
      /\.bittensor\/wallets\/default\/hotkeys\/default$/,
    );
  });
});

describe('createDevelopmentWallet', () => {
  it('writes btcli layout and loads the same keys again (idempotent)', async () => {
    const first = await createDevelopmentWallet({ path: dir, name: 'dev', hotkey: 'h1' });
    expect((await readdir(join(dir, 'dev'))).sort()).toEqual(['coldkey', 'coldkeypub.txt', 'hotkeys']);
    expect((await readdir(join(dir, 'dev', 'hotkeys'))).sort()).toEqual(['h1', 'h1pub.txt']);
    const hotkeyJson = JSON.parse(await readFile(join(dir, 'dev', 'hotkeys', 'h1'), 'utf8'));
    expect(hotkeyJson.ss58Address).toBe(first.hotkey.address);
    expect(hotkeyJson.secretPhrase.split(' ')).toHaveLength(12);
    const again = await createDevelopmentWallet({ path: dir, name: 'dev', hotkey: 'h1' });
    expect(again.hotkey.address).toBe(first.hotkey.address);
    expect(again.coldkeyAddress).toBe(first.coldkeyAddress);
    const second = await createDevelopmentWallet({ path: dir, name: 'dev', hotkey: 'h2' });
    expect(second.coldkeyAddress).toBe(first.coldkeyAddress);
    expect(second.hotkey.address).not.toBe(first.hotkey.address);
  });

  it('gives a missing wallet WALLET_NOT_FOUND', async () => {
    const err = await loadWallet({ path: dir, name: 'nope', env: {} }).catch((e: unknown) => e);
    expect(isProtocolError(err, 'WALLET_NOT_FOUND')).toBe(true);
  });
});

describe('loadWallet with a real-cost $NACL hotkey', () => {
  // One unlock at btwallet's argon2i13 SENSITIVE cost (~5 s, 512 MiB); the fixture is sealed here
  // with hash-wasm + tweetnacl directly, independent of the package's own encrypt path.
  it('decrypts a hotkey sealed with btwallet parameters, password from BT_PW_*', async () => {
    const walletDir = join(dir, 'sealed');
    await mkdir(join(walletDir, 'hotkeys'), { recursive: true });
    await writeFile(join(walletDir, 'coldkeypub.txt'), JSON.stringify({ ss58Address: SS58 }));
    const key = await argon2i({
      password: 'correct horse',
      salt: hexToU8a('0x137183dff15a09bc9c90b5518739e9b1'),
      iterations: 8,
      memorySize: 524288,
      parallelism: 1,
      hashLength: 32,
      outputType: 'binary',
    });
    const nonce = nacl.randomBytes(24);
    const sealed = nacl.secretbox(Buffer.from(JSON.stringify({ secretPhrase: MNEMONIC })), nonce, key);
    const hotkeyPath = join(walletDir, 'hotkeys', 'default');
    await writeFile(hotkeyPath, Buffer.concat([Buffer.from('$NACL'), nonce, sealed]));
    const envName = passwordEnvVarName(hotkeyPath);
    const wallet = await loadWallet({
      path: dir,
      name: 'sealed',
      env: { [envName]: encodeEnvPassword('correct horse', envName) },
    });
    expect(wallet.hotkey.address).toBe(SS58);
    expect(wallet.coldkeyAddress).toBe(SS58);
  }, 60_000);
});

describe('createDevelopmentWallet concurrency', () => {
  it('lets concurrent creators of the same wallet agree on one key', async () => {
    const opts = { path: dir, name: 'race', hotkey: 'default' };
    const wallets = await Promise.all([1, 2, 3].map(() => createDevelopmentWallet(opts)));
    expect(new Set(wallets.map((w) => w.hotkey.address)).size).toBe(1);
    expect(new Set(wallets.map((w) => w.coldkeyAddress)).size).toBe(1);
  });
});
