import type { KeyringPair } from '@polkadot/keyring/types';
import { mnemonicToMiniSecret } from '@polkadot/util-crypto';
import { z } from 'zod';
import { defineSynapse } from './synapse.js';
import { sr25519Keyring } from './wallet/keypair.js';

/** Fixed test keys (btwallet test mnemonics); never used outside tests. */
export const VALIDATOR_MNEMONIC =
  'old leopard transfer rib spatial phone calm indicate online fire caution review';
export const MINER_MNEMONIC = 'stool feel open east woman high can denial forget screen trust salt';

export async function testPair(mnemonic: string): Promise<KeyringPair> {
  return (await sr25519Keyring()).addFromSeed(mnemonicToMiniSecret(mnemonic));
}

/** A synapse with required and hashed fields, which Omron's synapses do not have. */
export const EchoDefinition = defineSynapse(
  'Echo',
  { text: z.string(), values: z.array(z.number()), reply: z.string().nullable().default(null) },
  {
    requiredFields: ['text', 'values'],
    requiredHashFields: ['text', 'values'],
    hashFieldTypes: { values: { list: 'float' } },
  },
);

import { Hono } from 'hono';
import { type AxonOptions, axonMiddleware } from './axon.js';
import { type AxonEnv, axonResponse } from './axon-response.js';
import type { QueryZkProofSynapse } from './synapses.js';

/** A miner-like app: echoes inputs into outputs so tests can check what the handler saw. */
export function createTestAxonApp(
  opts: AxonOptions,
  handlerDelayMs = 0,
  firstRoutes?: (app: Hono<AxonEnv>) => void,
): Hono<AxonEnv> {
  const app = new Hono<AxonEnv>();
  app.use('*', axonMiddleware(opts));
  firstRoutes?.(app);
  app.post('/QueryZkProof', async (c) => {
    if (handlerDelayMs > 0) await new Promise((r) => setTimeout(r, handlerDelayMs));
    const synapse = c.get('synapse') as QueryZkProofSynapse;
    if (synapse.query_input?.model_id === 'throw') throw new Error('handler exploded');
    return axonResponse(c, { ...synapse, query_output: `seen by ${c.get('caller').hotkey}` });
  });
  app.post('/QueryForCapacities', (c) => axonResponse(c, { ...c.get('synapse'), capacities: { lstm: 400 } }));
  app.post('/Echo', (c) => {
    const synapse = c.get('synapse') as ReturnType<typeof EchoDefinition.schema.parse>;
    return axonResponse(c, { ...synapse, reply: synapse.text.toUpperCase() });
  });
  return app;
}
