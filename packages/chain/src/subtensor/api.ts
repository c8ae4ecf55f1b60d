import { ApiPromise, WsProvider } from '@polkadot/api';
import type { ApiOptions } from '@polkadot/api/types';
import { ChainError } from '../errors.js';

type Provider = NonNullable<ApiOptions['provider']>;

/**
 * Signed extensions of the current subtensor runtime that `@polkadot/api` does not know. Unknown extensions are
 * silently encoded as zero bytes, which drops the tip of `ChargeTransactionPaymentWrapper` and makes every
 * extrinsic malformed (research/bittensor.md §2.1). Harmless on runtimes that lack them.
 */
export const SUBTENSOR_SIGNED_EXTENSIONS = {
  ChargeTransactionPaymentWrapper: { extrinsic: { tip: 'Compact<Balance>' }, payload: {} },
  SudoTransactionExtension: { extrinsic: {}, payload: {} },
  CheckShieldedTxValidity: { extrinsic: {}, payload: {} },
  SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
  DrandPriority: { extrinsic: {}, payload: {} },
} as const;

/** Builds an ApiPromise over `provider` with the subtensor extensions; fails with CONNECTION_FAILED on timeout. */
export async function createSubtensorApi(provider: Provider, timeoutMs = 30_000): Promise<ApiPromise> {
  const api = new ApiPromise({ provider, signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS, noInitWarn: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      api.isReadyOrError,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new ChainError('CONNECTION_FAILED', `no chain ready within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    return api;
  } catch (error) {
    await api.disconnect().catch(() => undefined);
    if (error instanceof ChainError) throw error;
    throw new ChainError('CONNECTION_FAILED', `chain initialisation failed: ${String(error)}`, undefined, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Reconnect delay after `attempt` consecutive failures: 1 s doubling to 30 s, with ±20 % jitter. */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * A WebSocket provider that reconnects with exponential backoff (the stock one retries at a fixed interval).
 * `ApiPromise` re-subscribes by itself once the provider reports `connected` again.
 */
export function backoffWsProvider(endpoint: string): { provider: WsProvider; stop: () => void } {
  const provider = new WsProvider(endpoint, false);
  let attempt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const retry = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      attempt++;
      provider.connect().catch(retry);
    }, reconnectDelayMs(attempt));
  };
  provider.on('connected', () => {
    attempt = 0;
  });
  provider.on('disconnected', retry);
  provider.on('error', retry);
  provider.connect().catch(retry);
  return {
    provider,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** `api.tx.subtensorModule[name]`, or UNSUPPORTED when the runtime lacks the call. */
export function subtensorCall(api: ApiPromise, name: string) {
  const fn = api.tx.subtensorModule?.[name];
  if (!fn) throw new ChainError('UNSUPPORTED', `this runtime has no SubtensorModule.${name}`);
  return fn;
}

/** `api.call[section][method]`, or UNSUPPORTED when the runtime lacks the API. */
export function runtimeCall(api: ApiPromise, section: string, method: string) {
  const fn = api.call[section]?.[method];
  if (!fn) throw new ChainError('UNSUPPORTED', `this runtime has no ${section}.${method}`);
  return fn;
}
