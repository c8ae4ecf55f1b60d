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
    responseFields: ['reply'],
    hashFieldTypes: { values: { list: 'float' } },
  },
);

import { Hono } from 'hono';
import { type AxonOptions, axonMiddleware } from './axon.js';
import { type AxonEnv, axonResponse } from './axon-response.js';
import { ProtocolError } from './errors.js';
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
    if (synapse.query_input?.model_id === 'too-large') {
      throw new ProtocolError('PAYLOAD_TOO_LARGE', 'the input is over what this handler takes');
    }
    return axonResponse(c, { ...synapse, query_output: `seen by ${c.get('caller').hotkey}` });
  });
  app.post('/QueryForCapacities', (c) => axonResponse(c, { ...c.get('synapse'), capacities: { lstm: 400 } }));
  app.post('/Echo', (c) => {
    const synapse = c.get('synapse') as ReturnType<typeof EchoDefinition.schema.parse>;
    return axonResponse(c, { ...synapse, reply: synapse.text.toUpperCase() });
  });
  return app;
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh self-signed Ed25519 certificate from the openssl CLI (Node has no X.509 generator), or null with the
 * reason when openssl is missing.
 */
export function selfSignedEd25519(
  commonName = 'omron-axon',
): { cert: string; key: string } | { skip: string } {
  const dir = mkdtempSync(join(tmpdir(), 'omron-tls-'));
  try {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ed25519',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${commonName}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } catch (err) {
    return { skip: `openssl could not make a test certificate: ${(err as Error).message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
