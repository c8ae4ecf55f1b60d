import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { compactAddLength, compactStripLength, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import type { RpcRecordings, SyntheticAnswer } from '../subtensor/replay-provider.js';
import { ReplayProvider } from '../subtensor/replay-provider.js';
import { SubtensorChain } from '../subtensor/subtensor-chain.js';

/**
 * Recorded finney data (never copied here): `$OMRON_SHARED_DIR/fixtures/subtensor`, else
 * `../shared/fixtures/subtensor` relative to the repository root.
 */
export const SUBTENSOR_FIXTURES = `${
  process.env.OMRON_SHARED_DIR
    ? resolve(process.env.OMRON_SHARED_DIR)
    : fileURLToPath(new URL('../../../../../shared', import.meta.url))
}/fixtures/subtensor/`;
export const HAVE_FIXTURES = existsSync(`${SUBTENSOR_FIXTURES}rpc-recordings.json`);
export const SKIP_REASON = `recorded subtensor fixtures absent at ${SUBTENSOR_FIXTURES}: skipping replay tests`;

/** Finney's genesis hash; the recordings start after connection set-up, so it is supplied here. */
export const FINNEY_GENESIS = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';

let recordings: RpcRecordings | undefined;
export function loadRecordings(): RpcRecordings {
  recordings ??= JSON.parse(
    readFileSync(`${SUBTENSOR_FIXTURES}rpc-recordings.json`, 'utf8'),
  ) as RpcRecordings;
  return recordings;
}

/** The recorded `Metadata_metadata_at_version(15)` result: `Option<OpaqueMetadata>` hex. */
export function loadMetadataCallResult(): `0x${string}` {
  return readFileSync(`${SUBTENSOR_FIXTURES}metadata-v15.hex`, 'utf8').trim() as `0x${string}`;
}

/** The recorded metadata, decoded with stock @polkadot/types. */
export function loadMetadata(registry = new TypeRegistry()): Metadata {
  const [, bytes] = compactStripLength(hexToU8a(loadMetadataCallResult()).subarray(1));
  return new Metadata(registry, bytes);
}

/**
 * The recorded metadata with `ChargeTransactionPayment` renamed to today's `ChargeTransactionPaymentWrapper`
 * (same tip encoding, unknown to @polkadot/api), re-encoded as a call result.
 */
export function wrapperMetadataCallResult(): `0x${string}` {
  const registry = new TypeRegistry();
  const original = loadMetadata(registry);
  const v15 = original.asV15.toJSON() as { extrinsic: { signedExtensions: { identifier: string }[] } };
  for (const ext of v15.extrinsic.signedExtensions) {
    if (ext.identifier === 'ChargeTransactionPayment') ext.identifier = 'ChargeTransactionPaymentWrapper';
  }
  const patched = new Metadata(registry, { magicNumber: original.magicNumber, metadata: { v15 } } as never);
  return u8aToHex(u8aConcat([1], compactAddLength(patched.toU8a())));
}

/** A SubtensorChain over recorded finney traffic from `scenarios`. */
export async function replayChain(
  scenarios: string[],
  options: { metadata?: `0x${string}`; synthetic?: Record<string, SyntheticAnswer> } = {},
): Promise<{ chain: SubtensorChain; provider: ReplayProvider }> {
  const metadata = options.metadata ?? loadMetadataCallResult();
  // Set-up calls some scenarios lack; answered from the scenario that did record them.
  const setup = loadRecordings().neurons_lite ?? {};
  const recorded = (method: string) => (setup[method]?.['[]'] as { result?: unknown } | undefined)?.result;
  const provider = new ReplayProvider(
    loadRecordings(),
    scenarios,
    {
      chain_getBlockHash: () => FINNEY_GENESIS,
      // The recorder did not read NeuronCertificates; answer "no TLS axon on this subnet".
      state_getKeysPaged: () => [],
      system_chain: () => recorded('system_chain'),
      rpc_methods: () => recorded('rpc_methods'),
      system_properties: () => ({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' }),
      state_call: ([method]) => {
        if (method === 'Metadata_metadata_versions') return '0x080e0000000f000000';
        if (method === 'Metadata_metadata_at_version') return metadata;
        throw new Error(`no recording for state_call ${String(method)}`);
      },
      ...options.synthetic,
    },
    { state_getStorage: 'state_getStorageAt' },
  );
  const chain = await SubtensorChain.fromProvider(provider, { network: 'finney-replay', pollMs: 20 });
  return { chain, provider };
}
