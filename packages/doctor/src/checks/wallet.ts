import { access } from 'node:fs/promises';
import { isProtocolError, loadWallet, passwordEnvVarName, resolveWalletLocation } from '@omron/protocol';
import type { DoctorContext } from '../context.js';
import { type Check, fail, pass } from '../report.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The wallet's hotkey can be read and unlocked. An encrypted hotkey is unlocked the way the app does it
 * (`BT_PW_*`, else a prompt that does not echo); the password itself is never printed or stored.
 */
export const walletCheck: Check<DoctorContext> = {
  id: 'wallet',
  title: 'wallet',
  async run(ctx) {
    const { target } = ctx;
    const loc = resolveWalletLocation({
      name: target.wallet.name,
      hotkey: target.wallet.hotkey,
      ...(target.wallet.path === undefined ? {} : { path: target.wallet.path }),
      ...(target.env ? { env: target.env } : {}),
    });
    const where = `${loc.name}/${loc.hotkeyName} in ${loc.path}`;
    if (target.isLocal && !(await exists(loc.hotkeyFile))) {
      return pass(`development wallet ${where} does not exist yet; the first start creates it`, {
        path: loc.path,
        created: false,
      });
    }
    try {
      const wallet = await loadWallet({
        path: loc.path,
        name: loc.name,
        hotkey: loc.hotkeyName,
        ...(target.env ? { env: target.env } : {}),
      });
      ctx.wallet = wallet;
      ctx.hotkeyAddress = wallet.hotkey.address;
      return pass(`${where}: hotkey ${wallet.hotkey.address}, coldkey ${wallet.coldkeyAddress}`, {
        hotkey: wallet.hotkey.address,
        coldkey: wallet.coldkeyAddress,
        path: loc.path,
      });
    } catch (err) {
      if (!isProtocolError(err)) throw err;
      const create = `btcli wallet new-coldkey --wallet.name ${loc.name} && btcli wallet new-hotkey --wallet.name ${loc.name} --wallet.hotkey ${loc.hotkeyName}`;
      switch (err.code) {
        case 'WALLET_NOT_FOUND':
          return fail(
            `${where}: ${err.message}`,
            `create it (${create}), or point --wallet.path/--wallet.name/--wallet.hotkey at an existing one`,
          );
        case 'KEYFILE_PASSWORD_REQUIRED':
          return fail(
            `${where}: the hotkey is encrypted and there is no terminal to ask for its password`,
            `export ${passwordEnvVarName(loc.hotkeyFile)} (btcli's encoded password variable), or run the doctor in a terminal`,
          );
        case 'KEYFILE_WRONG_PASSWORD':
          return fail(`${where}: wrong password for the hotkey`, 'retry with the hotkey password');
        case 'KEYFILE_INVALID':
        case 'KEYFILE_UNSUPPORTED_ENCRYPTION':
          return fail(
            `${where}: ${err.message}`,
            'restore the keyfile from your backup (btcli wallet regen-hotkey with its mnemonic)',
          );
        default:
          return fail(`${where}: ${err.code}: ${err.message}`, 'check the wallet files');
      }
    }
  },
};
