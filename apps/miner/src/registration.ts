import type { Chain } from '@omron/chain';
import type { Wallet } from '@omron/protocol';
import type { Logger } from 'pino';
import type { MinerConfig } from './config.js';
import { MinerError } from './errors.js';

/**
 * The miner's uid. On the local network an unregistered hotkey is registered (as a miner); on a
 * real network it is an error that says how to register, since registration costs TAO.
 */
export async function ensureRegistered(
  chain: Chain,
  config: MinerConfig,
  wallet: Wallet,
  log: Logger,
): Promise<number> {
  const uid = await chain.uidForHotkey(config.netuid, wallet.hotkey.address);
  if (uid !== null) return uid;
  if (!config.isLocal) {
    throw new MinerError(
      'NOT_REGISTERED',
      `hotkey ${wallet.hotkey.address} (wallet ${wallet.name}/${wallet.hotkeyName}) is not registered on netuid ` +
        `${config.netuid} of ${config.subtensor.network}; register it first: btcli subnet register --netuid ${config.netuid}`,
    );
  }
  const registered = await chain.register(config.netuid, wallet, { role: 'miner' });
  log.info({ uid: registered, hotkey: wallet.hotkey.address }, 'registered on the local network');
  return registered;
}

/** The address announced on chain: `--axon.external_ip`, else a specific bind address, else loopback on the local network. */
export function advertisedIp(config: MinerConfig): string {
  if (config.axon.external_ip) return config.axon.external_ip;
  const bound = config.axon.ip;
  if (bound !== '0.0.0.0' && bound !== '::') return bound;
  if (config.isLocal) return '127.0.0.1';
  throw new MinerError(
    'INVALID_CONFIG',
    'set --axon.external_ip: the address validators should reach this miner on',
  );
}
