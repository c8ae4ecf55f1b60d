import { ChainError } from './errors.js';

/** Endpoints by network name, as in the Bittensor SDK (`bittensor/core/settings.py`). */
export const SUBTENSOR_ENDPOINTS: Readonly<Record<string, string>> = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  // A subtensor node on this machine. `connectChain({ network: 'local' })` without an endpoint picks the
  // embedded LocalChain instead; SubtensorChain itself resolves `local` as the SDK does.
  local: 'ws://127.0.0.1:9944',
};

/** Resolves a network name or ws(s):// URL to an endpoint URL. */
export function resolveEndpoint(network: string, endpoint?: string): string {
  const candidate = endpoint ?? SUBTENSOR_ENDPOINTS[network] ?? network;
  if (!/^wss?:\/\/[^\s]+$/.test(candidate)) {
    throw new ChainError(
      'BAD_NETWORK',
      `unknown network ${JSON.stringify(network)}: use local, ${Object.keys(SUBTENSOR_ENDPOINTS).join(', ')} or a ws(s):// URL`,
    );
  }
  return candidate;
}
