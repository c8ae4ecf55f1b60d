import { LocalChain } from './local/local-chain.js';
import { SubtensorChain } from './subtensor/subtensor-chain.js';
import type { Chain } from './types.js';

export interface ConnectChainOptions {
  /** 'local' (embedded LocalChain unless `endpoint` is given), 'finney', 'test', or a ws(s):// URL. */
  network: string;
  /** Explicit subtensor endpoint; overrides the network's default. */
  endpoint?: string;
  /** LocalChain state directory (default `~/.omron/localnet`). */
  localnetDir?: string;
  /** LocalChain block time (default 12 000 ms). */
  blockTimeMs?: number;
}

/**
 * Opens the chain a neuron runs against.
 *
 * @example
 * const chain = await connectChain({ network: 'local', blockTimeMs: 1000 });
 * const chain = await connectChain({ network: 'finney' });
 */
export async function connectChain(options: ConnectChainOptions): Promise<Chain> {
  if (options.network === 'local' && options.endpoint === undefined) {
    return LocalChain.open({ dir: options.localnetDir, blockTimeMs: options.blockTimeMs });
  }
  return SubtensorChain.connect({ network: options.network, endpoint: options.endpoint });
}
