import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors.js';
import { readKeyfile, readPublicKeyfile, writeKeyfile } from './keyfile.js';
import { isNaclEncrypted } from './nacl.js';
import { encodeEnvPassword, passwordEnvVarName, passwordFromEnv } from './password.js';

const MNEMONIC = 'old leopard transfer rib spatial phone calm indicate online fire caution review';
const SS58 = '5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX';
// Cheap KDF so the format is exercised quickly; the real btwallet cost is tested in wallet.test.ts.
const CHEAP_KDF = { iterations: 1, memoryKiB: 64 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omron-keyfile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('password environment variable', () => {
  it('names the variable like btwallet', () => {
    expect(passwordEnvVarName('/home/u/.bittensor/wallets/w/hotkeys/h')).toBe(
      'BT_PW__HOME_U__BITTENSOR_WALLETS_W_HOTKEYS_H',
    );
  });

  it('decodes base64(XOR(password, name)) and returns undefined when unset', () => {
    const path = '/x/.bittensor/wallets/a/coldkey';
    const name = passwordEnvVarName(path);
    const encoded = encodeEnvPassword('hünter2!', name);
    expect(encoded).not.toContain('hünter2');
    expect(passwordFromEnv(path, { [name]: encoded })).toBe('hünter2!');
    expect(passwordFromEnv(path, {})).toBeUndefined();
  });
});

describe('readKeyfile', () => {
  it('reads a plain keyfile and writes it owner-only', async () => {
    const path = join(dir, 'plain');
    await writeKeyfile(path, { secretPhrase: MNEMONIC, ss58Address: SS58 });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readKeyfile(path)).address).toBe(SS58);
  });

  it('opens a $NACL keyfile with an explicit password or BT_PW_*', async () => {
    const path = join(dir, 'enc');
    await writeKeyfile(path, { secretPhrase: MNEMONIC }, { password: 'pw-1', kdf: CHEAP_KDF });
    const bytes = await readFile(path);
    expect(isNaclEncrypted(bytes)).toBe(true);
    expect(bytes.toString('latin1')).not.toContain('leopard');
    expect((await readKeyfile(path, { password: 'pw-1', kdf: CHEAP_KDF })).address).toBe(SS58);
    const env = { [passwordEnvVarName(path)]: encodeEnvPassword('pw-1', passwordEnvVarName(path)) };
    expect((await readKeyfile(path, { env, kdf: CHEAP_KDF })).address).toBe(SS58);
  });

  it('reports a wrong password as KEYFILE_WRONG_PASSWORD without leaking it', async () => {
    const path = join(dir, 'enc2');
    await writeKeyfile(path, { secretPhrase: MNEMONIC }, { password: 'right', kdf: CHEAP_KDF });
    const err = await readKeyfile(path, { password: 'wrong-secret', kdf: CHEAP_KDF }).catch(
      (e: unknown) => e,
    );
    expect(isProtocolError(err, 'KEYFILE_WRONG_PASSWORD')).toBe(true);
    expect(String((err as Error).message)).not.toContain('wrong-secret');
  });

  it('refuses to prompt when stdin is not a terminal', async () => {
    const path = join(dir, 'enc3');
    await writeKeyfile(path, { secretPhrase: MNEMONIC }, { password: 'x', kdf: CHEAP_KDF });
    const err = await readKeyfile(path, { env: {}, kdf: CHEAP_KDF }).catch((e: unknown) => e);
    expect(isProtocolError(err, 'KEYFILE_PASSWORD_REQUIRED')).toBe(true);
    expect((err as Error).message).toContain(passwordEnvVarName(path));
  });

  it.each([
    ['$ANSIBLE_VAULT;1.1;AES256\n6162', 'KEYFILE_UNSUPPORTED_ENCRYPTION'],
    ['gAAAAABlegacyfernet', 'KEYFILE_UNSUPPORTED_ENCRYPTION'],
    ['{not json', 'KEYFILE_INVALID'],
    ['$NACLshort', 'KEYFILE_INVALID'],
    ['{"ss58Address": 5}', 'KEYFILE_INVALID'],
  ])('classifies %j as %s', async (content, code) => {
    const path = join(dir, `bad-${code}-${content.length}`);
    await writeFile(path, content);
    const err = await readKeyfile(path, { password: 'x', kdf: CHEAP_KDF }).catch((e: unknown) => e);
    expect(isProtocolError(err)).toBe(true);
    expect((err as { code: string }).code).toBe(code);
  });

  it('reports a missing file as WALLET_NOT_FOUND', async () => {
    const err = await readKeyfile(join(dir, 'missing')).catch((e: unknown) => e);
    expect(isProtocolError(err, 'WALLET_NOT_FOUND')).toBe(true);
  });
});

describe('readPublicKeyfile', () => {
  it('reads ss58Address, or encodes publicKey when only that is present', async () => {
    const a = join(dir, 'pubA');
    await writeFile(a, JSON.stringify({ ss58Address: SS58 }));
    expect(await readPublicKeyfile(a)).toBe(SS58);
    const b = join(dir, 'pubB');
    await writeFile(
      b,
      JSON.stringify({ publicKey: '0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446' }),
    );
    expect(await readPublicKeyfile(b)).toBe(SS58);
  });
});
