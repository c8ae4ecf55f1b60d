import { LocalChain } from './local/local-chain.js';
import { SubtensorChain } from './subtensor/subtensor-chain.js';
import type { Chain, ChainLogger, CommitRevealScheme } from './types.js';

export interface ConnectChainOptions {
  /** 'local' (embedded LocalChain unless `endpoint` is given), 'finney', 'test', or a ws(s):// URL. */
  network: string;
  /** Explicit subtensor endpoint; overrides the network's default. */
  endpoint?: string;
  /** LocalChain state directory (default `~/.omron/localnet`). */
  localnetDir?: string;
  /** LocalChain block time (default 12 000 ms). */
  blockTimeMs?: number;
  /** Scheme under commit-reveal: `timelock` (default, CRv4 as the SDK) or `hash` (CRv2). */
  commitReveal?: CommitRevealScheme;
  /** File where CRv2 reveals are saved before each commit, so a restart still reveals them. */
  pendingRevealsPath?: string;
  /** Where the chain logs reveals and dropped commits (a pino logger fits). */
  logger?: ChainLogger;
}

/**
 * Opens the chain a neuron runs against.
 *
 * @example
 * const chain = await connectChain({ network: 'local', blockTimeMs: 1000 });
 * const chain = await connectChain({ network: 'finney' });
 */
export async function connectChain(options: ConnectChainOptions): Promise<Chain> {
  const common = {
    ...(options.commitReveal ? { commitReveal: options.commitReveal } : {}),
    ...(options.pendingRevealsPath ? { pendingRevealsPath: options.pendingRevealsPath } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  if (options.network === 'local' && options.endpoint === undefined) {
    return LocalChain.open({ dir: options.localnetDir, blockTimeMs: options.blockTimeMs, ...common });
  }
  return SubtensorChain.connect({ network: options.network, endpoint: options.endpoint, ...common });
}
